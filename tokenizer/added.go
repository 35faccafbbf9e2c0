package tokenizer

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// addedToken is an entry of tokenizer.json's added_tokens.
type addedToken struct {
	ID         int32  `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// trieNode is a node of a byte trie over added-token contents; tok is the
// index of the token ending here, or -1.
type trieNode struct {
	keys []byte
	kids []int32
	tok  int32
}

// tokenTrie finds added tokens in text, leftmost first and longest at a
// position, like HF's Aho-Corasick matcher in leftmost-longest mode.
type tokenTrie struct {
	nodes []trieNode
	first [256]bool // bytes a token can start with
	toks  []*addedToken
}

// newTokenTrie builds the trie. For repeated contents the first token wins,
// or the last with lastWins.
func newTokenTrie(toks []*addedToken) *tokenTrie { return newTokenTrieDup(toks, false) }

func newTokenTrieDup(toks []*addedToken, lastWins bool) *tokenTrie {
	t := &tokenTrie{nodes: []trieNode{{tok: -1}}, toks: toks}
	for i, a := range toks {
		if a.Content == "" {
			continue
		}
		t.first[a.Content[0]] = true
		n := int32(0)
		for k := 0; k < len(a.Content); k++ {
			n = t.child(n, a.Content[k])
		}
		if t.nodes[n].tok < 0 || lastWins {
			t.nodes[n].tok = int32(i)
		}
	}
	return t
}

func (t *tokenTrie) child(n int32, b byte) int32 {
	nd := &t.nodes[n]
	i := sort.Search(len(nd.keys), func(i int) bool { return nd.keys[i] >= b })
	if i < len(nd.keys) && nd.keys[i] == b {
		return nd.kids[i]
	}
	id := int32(len(t.nodes))
	t.nodes = append(t.nodes, trieNode{tok: -1})
	nd = &t.nodes[n]
	nd.keys = append(nd.keys, 0)
	copy(nd.keys[i+1:], nd.keys[i:])
	nd.keys[i] = b
	nd.kids = append(nd.kids, 0)
	copy(nd.kids[i+1:], nd.kids[i:])
	nd.kids[i] = id
	return id
}

func (t *tokenTrie) next(n int32, b byte) int32 {
	nd := &t.nodes[n]
	for i, k := range nd.keys {
		if k == b {
			return nd.kids[i]
		}
		if k > b {
			break
		}
	}
	return -1
}

// longestAt returns the longest token starting at s[i:] and its end.
func (t *tokenTrie) longestAt(s string, i int) (tok int32, end int) {
	tok = -1
	n := int32(0)
	for j := i; j < len(s); j++ {
		n = t.next(n, s[j])
		if n < 0 {
			break
		}
		if t.nodes[n].tok >= 0 {
			tok, end = t.nodes[n].tok, j+1
		}
	}
	return tok, end
}

// split cuts s into text spans and added-token spans. A token span has
// tok >= 0 (an index into t.toks). With skipSpecial, special tokens are not
// matched (transformers' split_special_tokens).
func (t *tokenTrie) split(s string, out []tokSpan, skipSpecial bool) []tokSpan {
	if len(t.toks) == 0 {
		return append(out, tokSpan{0, len(s), -1})
	}
	startOff := 0
	for i := 0; i < len(s); {
		if !t.first[s[i]] {
			i++
			continue
		}
		k, end := t.longestAt(s, i)
		if k < 0 {
			i++
			continue
		}
		a := t.toks[k]
		start, stop := i, end
		i = end
		if skipSpecial && a.Special {
			continue
		}
		if a.SingleWord && (endsWithWord(s[:start]) || startsWithWord(s[stop:])) {
			continue
		}
		if a.LStrip {
			for start > startOff {
				r, n := utf8.DecodeLastRuneInString(s[:start])
				if !unicode.IsSpace(r) {
					break
				}
				start -= n
			}
		}
		if a.RStrip {
			for stop < len(s) {
				r, n := utf8.DecodeRuneInString(s[stop:])
				if !unicode.IsSpace(r) {
					break
				}
				stop += n
			}
			i = stop
		}
		if startOff < start {
			out = append(out, tokSpan{startOff, start, -1})
		}
		out = append(out, tokSpan{start, stop, k})
		startOff = stop
	}
	if startOff < len(s) {
		out = append(out, tokSpan{startOff, len(s), -1})
	}
	return out
}

type tokSpan struct {
	start, end int
	tok        int32
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

func endsWithWord(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordChar(r)
}

func startsWithWord(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordChar(r)
}
