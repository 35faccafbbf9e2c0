package tokenizer

import (
	"regexp"
	"strings"
)

// Many pre-tokenizer patterns besides the three known ones (Mistral's
// Tekken, o200k-style patterns, ...) end with the same lookahead idiom:
//
//	HEAD|\s+(?!\S)|\s+
//
// HEAD alone is valid RE2. At each position a backtracking engine first
// tries HEAD's alternatives, then a whitespace run that leaves its last
// space for the next word, then any whitespace run. lookaheadMatcher does
// exactly that with HEAD compiled as an anchored Go regexp.
const (
	lookaheadTail      = `|\s+(?!\S)|\s+`
	lookaheadTailShort = `|\s+(?!\S)`
)

type lookaheadMatcher struct {
	head     *regexp.Regexp // ^(?:HEAD)
	anySpace bool           // the pattern ends with |\s+ as well
}

// compileLookahead recognises HEAD|\s+(?!\S)[|\s+] with a Go-compatible HEAD.
func compileLookahead(expr string) (matcher, bool) {
	for _, tail := range []string{lookaheadTail, lookaheadTailShort} {
		head, ok := strings.CutSuffix(expr, tail)
		if !ok || strings.Contains(head, "(?!") || strings.Contains(head, "(?=") || strings.Contains(head, "(?<") {
			continue
		}
		re, err := regexp.Compile(`^(?:` + translateRegex(head) + `)`)
		if err != nil {
			return nil, false
		}
		return lookaheadMatcher{head: re, anySpace: tail == lookaheadTail}, true
	}
	return nil, false
}

func (m lookaheadMatcher) findAll(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		if loc := m.head.FindStringIndex(s[i:]); loc != nil {
			if loc[1] > 0 {
				out = append(out, [2]int{i, i + loc[1]})
				i += loc[1]
				continue
			}
			// An empty match is a match: the engine moves on one character.
			_, n := runeAt(s, i)
			i += n
			continue
		}
		r, n := runeAt(s, i)
		if classify(r) != classSpace {
			i += n
			continue
		}
		j, last := i, i
		for j < len(s) {
			r2, n2 := runeAt(s, j)
			if classify(r2) != classSpace {
				break
			}
			last = j
			j += n2
		}
		switch {
		case j == len(s):
			out = append(out, [2]int{i, j})
			i = j
		case last > i:
			out = append(out, [2]int{i, last})
			i = last
		case m.anySpace:
			out = append(out, [2]int{i, j})
			i = j
		default:
			i += n
		}
	}
	return out
}
