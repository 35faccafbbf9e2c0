package hub

import (
	"regexp"
	"strings"
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
			set := p[i+1 : j]
			b.WriteByte('[')
			if strings.HasPrefix(set, "!") {
				b.WriteByte('^')
				set = set[1:]
			} else if strings.HasPrefix(set, "^") {
				b.WriteByte('\\')
			}
			// Inside a class only '\' and '[' need escaping for RE2; ']' can
			// only appear first, where it is literal in both dialects.
			set = strings.ReplaceAll(set, `\`, `\\`)
			set = strings.ReplaceAll(set, `[`, `\[`)
			b.WriteString(set)
			b.WriteByte(']')
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString(`\z`)
	return b.String()
}
