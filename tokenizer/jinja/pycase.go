package jinja

import (
	"strings"
	"unicode"
)

// Python's str.upper, str.lower and title casing use Unicode's full case
// mappings, where one character can become several (ß -> SS). Go's unicode
// package has only the one-to-one mappings, so the unconditional
// multi-character mappings of SpecialCasing.txt that chat text is likely to
// contain are listed here.
var (
	specialUpper = map[rune]string{
		'ß': "SS", 'ŉ': "ʼN", 'ǰ': "J̌", 'ΐ': "Ϊ́", 'ΰ': "Ϋ́", 'և': "ԵՒ",
		'ẖ': "H̱", 'ẗ': "T̈", 'ẘ': "W̊", 'ẙ': "Y̊", 'ẚ': "Aʾ",
		'ﬀ': "FF", 'ﬁ': "FI", 'ﬂ': "FL", 'ﬃ': "FFI", 'ﬄ': "FFL", 'ﬅ': "ST", 'ﬆ': "ST",
	}
	specialTitle = map[rune]string{
		'ß': "Ss", 'ŉ': "ʼN", 'ǰ': "J̌", 'և': "Եւ",
		'ﬀ': "Ff", 'ﬁ': "Fi", 'ﬂ': "Fl", 'ﬃ': "Ffi", 'ﬄ': "Ffl", 'ﬅ': "St", 'ﬆ': "St",
	}
	specialLower = map[rune]string{'İ': "i̇"}
)

// pyUpper is str.upper.
func pyUpper(s string) string {
	var b strings.Builder
	for _, r := range s {
		if m, ok := specialUpper[r]; ok {
			b.WriteString(m)
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// pyLower is str.lower, including the final-sigma rule (Σ at the end of a
// word becomes ς).
func pyLower(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == 'Σ' && i > 0 && isCased(rs[i-1]) && (i+1 == len(rs) || !isCased(rs[i+1])):
			b.WriteRune('ς')
		case specialLower[r] != "":
			b.WriteString(specialLower[r])
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// pyTitleRune is the title-case form of one character.
func pyTitleRune(r rune) string {
	if m, ok := specialTitle[r]; ok {
		return m
	}
	return string(unicode.ToTitle(r))
}
