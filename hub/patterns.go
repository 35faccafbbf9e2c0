package hub

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// DefaultPatterns selects what a model needs to run: configs, weights in
// safetensors, chat templates and tokenizer files.
var DefaultPatterns = []string{"*.json", "*.safetensors", "*.jinja", "tokenizer.model", "*.txt"}

// matcher selects repository files by glob patterns with the semantics of
// Python's fnmatch, as huggingface_hub's allow_patterns: '*' matches any run
// of characters including '/', '?' one character, "[abc]" and "[!abc]" sets.
// A pattern ending in '/' selects everything below that folder.
type matcher struct {
	patterns []string
	res      []*regexp.Regexp
}

// newMatcher compiles patterns; nil or empty patterns mean DefaultPatterns.
func newMatcher(patterns []string) (*matcher, error) {
	if len(patterns) == 0 {
		patterns = DefaultPatterns
	}
	m := &matcher{patterns: patterns, res: make([]*regexp.Regexp, 0, len(patterns))}
	for _, p := range patterns {
		if p == "" {
			return nil, &PatternError{Pattern: p, Reason: "empty pattern"}
		}
		if !utf8.ValidString(p) {
			return nil, &PatternError{Pattern: p, Reason: "not valid UTF-8"}
		}
		q := p
		if strings.HasSuffix(q, "/") {
			q += "*"
		}
		re, err := regexp.Compile(globToRegexp(q))
		if err != nil {
			return nil, &PatternError{Pattern: p, Reason: err.Error()}
		}
		m.res = append(m.res, re)
	}
	return m, nil
}

// match reports whether name matches any pattern.
func (m *matcher) match(name string) bool {
	for _, re := range m.res {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// globToRegexp translates an fnmatch pattern into an anchored regular
// expression. An unclosed '[' is a literal, as in fnmatch.
func globToRegexp(p string) string {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := i + 1
			if j < len(p) && p[j] == '!' {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				b.WriteString(`\[`)
				continue
			}
			b.WriteString(globClass(p[i+1 : j]))
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString(`\z`)
	return b.String()
}

// globClass translates the inside of an fnmatch set ("abc", "!a-z") into a
// regular expression class. Ranges whose ends are reversed are dropped, as
// fnmatch drops them; a set left empty matches nothing, or any character
// when negated.
func globClass(set string) string {
	negate := strings.HasPrefix(set, "!")
	if negate {
		set = set[1:]
	}
	r := []rune(set)
	var b strings.Builder
	for i := 0; i < len(r); {
		lo, hi := r[i], r[i]
		if i+2 < len(r) && r[i+1] == '-' {
			hi = r[i+2]
			i += 3
		} else {
			i++
		}
		if lo > hi {
			continue
		}
		b.WriteString(classRune(lo))
		if hi != lo {
			b.WriteByte('-')
			b.WriteString(classRune(hi))
		}
	}
	switch {
	case b.Len() == 0 && negate:
		return "."
	case b.Len() == 0:
		return `[^\x00-\x{10FFFF}]`
	case negate:
		return "[^" + b.String() + "]"
	}
	return "[" + b.String() + "]"
}

// classRune writes r for use inside a regular expression class.
func classRune(r rune) string {
	switch r {
	case '\\', ']', '[', '^', '-':
		return `\` + string(r)
	}
	return string(r)
}
