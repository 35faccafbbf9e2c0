package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// The pre-tokenizer regular expressions of GPT-2, Llama 3 and Qwen 2/3 use a
// negative lookahead (\s+(?!\S)) that Go's regexp cannot express. They are
// recognised by their exact text and run by the matchers below, which follow
// the alternatives of each pattern in order, as a backtracking engine would.
const (
	patternGPT2   = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
	patternLlama3 = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	patternQwen2  = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

var knownSplitPatterns = map[string]matcher{
	patternGPT2:   gpt2Matcher{},
	patternLlama3: llama3Matcher{maxDigits: 3},
	patternQwen2:  llama3Matcher{maxDigits: 1},
}

// charClass sorts a rune into the classes the patterns distinguish.
type charClass uint8

const (
	classOther  charClass = iota // none of the below
	classLetter                  // \p{L}
	classNumber                  // \p{N}
	classSpace                   // \s (Unicode White_Space)
)

var asciiClass = func() (t [utf8.RuneSelf]charClass) {
	for c := 0; c < utf8.RuneSelf; c++ {
		r := rune(c)
		switch {
		case unicode.IsLetter(r):
			t[c] = classLetter
		case unicode.IsNumber(r):
			t[c] = classNumber
		case unicode.IsSpace(r):
			t[c] = classSpace
		}
	}
	return t
}()

func classify(r rune) charClass {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// runeAt decodes the rune at byte offset i; an invalid byte counts as one
// rune of class other.
func runeAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// classAt is the class of the rune at i, or a sentinel 0xFF past the end.
func classAt(s string, i int) charClass {
	if i >= len(s) {
		return 0xFF
	}
	r, _ := runeAt(s, i)
	return classify(r)
}

// skipClass returns the offset after the run of runes of class c from i.
func skipClass(s string, i int, c charClass) int {
	for i < len(s) {
		r, n := runeAt(s, i)
		if classify(r) != c {
			break
		}
		i += n
	}
	return i
}

// foldIs reports whether r equals the lower-case ASCII letter a under simple
// Unicode case folding (ſ folds to s).
func foldIs(r rune, a byte) bool {
	return r == rune(a) || r == rune(a-'a'+'A') || (a == 's' && r == 'ſ')
}

// contraction returns the end of 's 't 're 've 'm 'll 'd at i (s[i] == '\”),
// or -1. fold selects case-insensitive matching.
func contraction(s string, i int, fold bool) int {
	eq := func(r rune, a byte) bool {
		if fold {
			return foldIs(r, a)
		}
		return r == rune(a)
	}
	j := i + 1
	if j >= len(s) {
		return -1
	}
	r1, n1 := runeAt(s, j)
	var r2 rune = -1
	n2 := 0
	if j+n1 < len(s) {
		r2, n2 = runeAt(s, j+n1)
	}
	switch {
	case eq(r1, 's'), eq(r1, 't'):
		return j + n1
	case eq(r1, 'r') && eq(r2, 'e'), eq(r1, 'v') && eq(r2, 'e'):
		return j + n1 + n2
	case eq(r1, 'm'):
		return j + n1
	case eq(r1, 'l') && eq(r2, 'l'):
		return j + n1 + n2
	case eq(r1, 'd'):
		return j + n1
	}
	return -1
}

// spaceRun handles the whitespace alternatives shared by the patterns:
// \s+(?!\S) then \s+. i is at a whitespace rune.
func spaceRun(s string, i int) int {
	j, last := i, i
	for j < len(s) {
		r, n := runeAt(s, j)
		if classify(r) != classSpace {
			break
		}
		last = j
		j += n
	}
	if j == len(s) || last == i {
		return j
	}
	return last
}

// streamMatcher is a matcher whose matches tile the text and can be handed
// out one at a time.
type streamMatcher interface {
	each(s string, fn func(start, end int))
}

// eachWith runs a "match at i" function over s. Every position matches
// something in these patterns, so matches tile the string.
func eachWith(s string, at func(string, int) int, fn func(start, end int)) {
	for i := 0; i < len(s); {
		j := at(s, i)
		fn(i, j)
		i = j
	}
}

// findAllWith collects the matches of eachWith.
func findAllWith(s string, at func(string, int) int) [][2]int {
	out := make([][2]int, 0, len(s)/6+1)
	eachWith(s, at, func(start, end int) { out = append(out, [2]int{start, end}) })
	return out
}

// gpt2Matcher runs patternGPT2.
type gpt2Matcher struct{}

func (gpt2Matcher) findAll(s string) [][2]int { return findAllWith(s, gpt2At) }

func (gpt2Matcher) each(s string, fn func(start, end int)) { eachWith(s, gpt2At, fn) }

func gpt2At(s string, i int) int {
	r, n := runeAt(s, i)
	if r == '\'' {
		if j := contraction(s, i, false); j > 0 {
			return j
		}
	}
	c := classify(r)
	start := i
	if r == ' ' {
		if nc := classAt(s, i+1); nc == classLetter || nc == classNumber || nc == classOther {
			c = nc
			start = i + 1
		}
	}
	switch c {
	case classLetter, classNumber, classOther:
		if start == i {
			start += n
		} else {
			_, m := runeAt(s, start)
			start += m
		}
		return skipClass(s, start, c)
	}
	return spaceRun(s, i)
}

// llama3Matcher runs patternLlama3 (maxDigits 3) and patternQwen2
// (maxDigits 1).
type llama3Matcher struct{ maxDigits int }

func (m llama3Matcher) findAll(s string) [][2]int {
	return findAllWith(s, m.at)
}

func (m llama3Matcher) each(s string, fn func(start, end int)) { eachWith(s, m.at, fn) }

func isCRLF(r rune) bool { return r == '\r' || r == '\n' }

func (m llama3Matcher) at(s string, i int) int {
	r, n := runeAt(s, i)
	if r == '\'' {
		if j := contraction(s, i, true); j > 0 {
			return j
		}
	}
	c := classify(r)
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if c == classLetter {
		return skipClass(s, i+n, classLetter)
	}
	if c != classNumber && !isCRLF(r) && classAt(s, i+n) == classLetter {
		return skipClass(s, i+n, classLetter)
	}
	// \p{N}{1,maxDigits}
	if c == classNumber {
		j := i + n
		for k := 1; k < m.maxDigits && j < len(s); k++ {
			r2, n2 := runeAt(s, j)
			if classify(r2) != classNumber {
				break
			}
			j += n2
		}
		return j
	}
	// ` ?[^\s\p{L}\p{N}]+[\r\n]*`
	start := -1
	if c == classOther {
		start = i
	} else if r == ' ' && classAt(s, i+1) == classOther {
		start = i + 1
	}
	if start >= 0 {
		j := skipClass(s, start, classOther)
		for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
			j++
		}
		return j
	}
	// c is whitespace here. \s*[\r\n]+ : up to the last CR/LF of the run.
	j, lastNL := i, -1
	for j < len(s) {
		r2, n2 := runeAt(s, j)
		if classify(r2) != classSpace {
			break
		}
		if isCRLF(r2) {
			lastNL = j
		}
		j += n2
	}
	if lastNL >= 0 {
		return lastNL + 1
	}
	return spaceRun(s, i)
}
