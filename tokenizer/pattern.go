package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// patternJSON is the {"String": "..."} or {"Regex": "..."} object used by
// Replace and Split.
type patternJSON struct {
	String *string `json:"String"`
	Regex  *string `json:"Regex"`
}

// matcher finds non-overlapping matches in a string, left to right, as
// [start, end) byte offsets.
type matcher interface {
	findAll(s string) [][2]int
}

// literalMatcher matches a fixed string.
type literalMatcher string

func (m literalMatcher) findAll(s string) [][2]int {
	if m == "" {
		return nil
	}
	var out [][2]int
	for off := 0; ; {
		i := strings.Index(s[off:], string(m))
		if i < 0 {
			return out
		}
		out = append(out, [2]int{off + i, off + i + len(m)})
		off += i + len(m)
	}
}

// regexpMatcher runs Go's regexp, whose leftmost-first semantics agree with
// the backtracking engine HF uses for patterns without lookaround.
type regexpMatcher struct{ re *regexp.Regexp }

func (m regexpMatcher) findAll(s string) [][2]int {
	locs := m.re.FindAllStringIndex(s, -1)
	out := make([][2]int, 0, len(locs))
	for _, l := range locs {
		if l[0] < l[1] {
			out = append(out, [2]int{l[0], l[1]})
		}
	}
	return out
}

// parsePattern builds a matcher from a pattern object.
func parsePattern(raw json.RawMessage) (matcher, error) {
	var p patternJSON
	if err := json.Unmarshal(raw, &p); err != nil {
		// A bare string is accepted too.
		var s string
		if err2 := json.Unmarshal(raw, &s); err2 != nil {
			return nil, fmt.Errorf("pattern: %w", err)
		}
		p.String = &s
	}
	switch {
	case p.String != nil:
		return literalMatcher(*p.String), nil
	case p.Regex != nil:
		return compileRegex(*p.Regex)
	}
	return nil, errors.New("pattern: neither String nor Regex given")
}

// compileRegex returns a hand-written matcher for the known pre-tokenizer
// patterns, the lookahead matcher for other patterns ending in the
// \s+(?!\S) idiom, and Go's regexp for anything else it can compile.
func compileRegex(expr string) (matcher, error) {
	if m, ok := knownSplitPatterns[expr]; ok {
		return m, nil
	}
	if m, ok := compileLookahead(expr); ok {
		return m, nil
	}
	re, err := regexp.Compile(translateRegex(expr))
	if err != nil {
		return nil, &UnsupportedError{Kind: "pattern", Type: expr}
	}
	return regexpMatcher{re}, nil
}

// translateRegex rewrites Oniguruma escapes whose meaning differs in Go's
// RE2 syntax: \s, \w and \d are Unicode-aware in HF's engine.
func translateRegex(expr string) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		if c == '\\' && i+1 < len(expr) {
			n := expr[i+1]
			rep := ""
			switch n {
			case 's':
				rep = `\s\p{Z}\x{85}\x0B`
			case 'S':
				if !inClass {
					rep = `[^\s\p{Z}\x{85}\x0B]`
				}
			case 'w':
				rep = `\p{L}\p{M}\p{N}\p{Pc}`
			case 'W':
				if !inClass {
					rep = `[^\p{L}\p{M}\p{N}\p{Pc}]`
				}
			case 'd':
				rep = `\p{Nd}`
			}
			if rep != "" {
				if inClass || rep[0] == '[' {
					b.WriteString(rep)
				} else {
					b.WriteString("[" + rep + "]")
				}
				i++
				continue
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
			continue
		}
		switch c {
		case '[':
			inClass = true
		case ']':
			inClass = false
		}
		b.WriteByte(c)
	}
	return b.String()
}
