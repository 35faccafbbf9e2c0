package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizer rewrites text before pre-tokenization. Offsets are not tracked:
// this package returns ids, not alignments.
type normalizer interface {
	normalize(s string) string
}

type unicodeNorm struct{ form norm.Form }

func (n unicodeNorm) normalize(s string) string { return n.form.String(s) }

type lowercaseNorm struct{}

func (lowercaseNorm) normalize(s string) string { return lowerRust(s) }

// lowerRust lower-cases rune by rune like Rust's char::to_lowercase, which
// HF applies: U+0130 becomes "i\u0307", every other rune maps to one rune.
func lowerRust(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
		}
	}
	return strings.ToLower(s)
}

type replaceNorm struct {
	pat     matcher
	content string
}

func (n replaceNorm) normalize(s string) string { return replaceAll(s, n.pat, n.content) }

// replaceAll substitutes content for every match of pat in s.
func replaceAll(s string, pat matcher, content string) string {
	if lit, ok := pat.(literalMatcher); ok {
		if lit == "" {
			return s
		}
		return strings.ReplaceAll(s, string(lit), content)
	}
	ms := pat.findAll(s)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, m := range ms {
		b.WriteString(s[prev:m[0]])
		b.WriteString(content)
		prev = m[1]
	}
	b.WriteString(s[prev:])
	return b.String()
}

type prependNorm struct{ prefix string }

func (n prependNorm) normalize(s string) string {
	if s == "" {
		return s
	}
	return n.prefix + s
}

type stripNorm struct{ left, right bool }

func (n stripNorm) normalize(s string) string {
	if n.left {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if n.right {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	return s
}

// stripAccentsNorm removes combining marks (it is meant to follow NFD).
type stripAccentsNorm struct{}

func (stripAccentsNorm) normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

// bertNorm is BERT's normalizer: clean control characters, pad CJK
// ideographs with spaces, strip accents and lower-case.
type bertNorm struct {
	cleanText, chinese, stripAccents, lowercase bool
}

func (n bertNorm) normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if n.cleanText {
			if r == 0 || r == 0xFFFD || isBertControl(r) {
				continue
			}
			if isBertWhitespace(r) {
				r = ' '
			}
		}
		if n.chinese && isCJK(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if n.stripAccents {
		out = stripAccentsNorm{}.normalize(norm.NFD.String(out))
	}
	if n.lowercase {
		out = lowerRust(out)
	}
	return out
}

func isBertWhitespace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r':
		return true
	}
	return unicode.Is(unicode.Zs, r)
}

func isBertControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r':
		return false
	}
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs)
}

func isCJK(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0x20000 && r <= 0x2A6DF) || (r >= 0x2A700 && r <= 0x2B73F) ||
		(r >= 0x2B740 && r <= 0x2B81F) || (r >= 0x2B820 && r <= 0x2CEAF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x2F800 && r <= 0x2FA1F)
}

type sequenceNorm []normalizer

func (n sequenceNorm) normalize(s string) string {
	for _, x := range n {
		s = x.normalize(s)
	}
	return s
}

// normalizerJSON holds the fields of every normalizer type.
type normalizerJSON struct {
	Type               string            `json:"type"`
	Normalizers        []json.RawMessage `json:"normalizers"`
	Pattern            json.RawMessage   `json:"pattern"`
	Content            string            `json:"content"`
	Prepend            string            `json:"prepend"`
	StripLeft          bool              `json:"strip_left"`
	StripRight         bool              `json:"strip_right"`
	CleanText          *bool             `json:"clean_text"`
	HandleChineseChars *bool             `json:"handle_chinese_chars"`
	StripAccents       *bool             `json:"strip_accents"`
	Lowercase          *bool             `json:"lowercase"`
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

// parseNormalizer builds a normalizer; JSON null gives nil.
func parseNormalizer(raw json.RawMessage) (normalizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var j normalizerJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	switch j.Type {
	case "NFC":
		return unicodeNorm{norm.NFC}, nil
	case "NFD":
		return unicodeNorm{norm.NFD}, nil
	case "NFKC":
		return unicodeNorm{norm.NFKC}, nil
	case "NFKD":
		return unicodeNorm{norm.NFKD}, nil
	case "Lowercase":
		return lowercaseNorm{}, nil
	case "StripAccents":
		return stripAccentsNorm{}, nil
	case "Replace":
		pat, err := parsePattern(j.Pattern)
		if err != nil {
			return nil, atField("pattern", err)
		}
		return replaceNorm{pat: pat, content: j.Content}, nil
	case "Prepend":
		return prependNorm{j.Prepend}, nil
	case "Strip":
		return stripNorm{left: j.StripLeft, right: j.StripRight}, nil
	case "BertNormalizer":
		lower := boolOr(j.Lowercase, true)
		return bertNorm{
			cleanText:    boolOr(j.CleanText, true),
			chinese:      boolOr(j.HandleChineseChars, true),
			stripAccents: boolOr(j.StripAccents, lower),
			lowercase:    lower,
		}, nil
	case "Sequence":
		seq := make(sequenceNorm, 0, len(j.Normalizers))
		for i, r := range j.Normalizers {
			n, err := parseNormalizer(r)
			if err != nil {
				return nil, atField(fmt.Sprintf("normalizers[%d]", i), err)
			}
			if n != nil {
				seq = append(seq, n)
			}
		}
		return seq, nil
	}
	return nil, &UnsupportedError{Kind: "normalizer", Type: j.Type}
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}
