package tokenizer

import (
	"fmt"
	"unicode/utf8"
)

// wordPieceModel is BERT's WordPiece: greedy longest match from the left,
// continuation pieces carrying a prefix ("##"); a word with any part not in
// the vocabulary becomes the unk token.
type wordPieceModel struct {
	vocab    map[string]int32
	tokens   idTable
	unk      int32
	prefix   string
	maxChars int
}

func newWordPiece(vocab map[string]int32, unk, prefix string, maxChars int) (*wordPieceModel, error) {
	m := &wordPieceModel{vocab: vocab, tokens: newIDTable(vocab), unk: -1, prefix: prefix, maxChars: maxChars}
	if id, ok := vocab[unk]; ok {
		m.unk = id
	} else {
		return nil, atField("unk_token", fmt.Errorf("%q is not in the vocabulary", unk))
	}
	return m, nil
}

func (m *wordPieceModel) tokenToID(s string) (int32, bool) {
	id, ok := m.vocab[s]
	return id, ok
}

func (m *wordPieceModel) idToToken(id int32) (string, bool) {
	return m.tokens.get(id)
}

func (m *wordPieceModel) vocabSize() int { return m.tokens.size }

func (m *wordPieceModel) tokenize(p piece, dst []int32) []int32 {
	s := p.text()
	if s == "" {
		return dst
	}
	if utf8.RuneCountInString(s) > m.maxChars {
		return append(dst, m.unk)
	}
	start := len(dst)
	for at := 0; at < len(s); {
		found := int32(-1)
		end := len(s)
		for end > at {
			sub := s[at:end]
			if at > 0 {
				sub = m.prefix + sub
			}
			if id, ok := m.vocab[sub]; ok {
				found = id
				break
			}
			_, n := utf8.DecodeLastRuneInString(s[at:end])
			end -= n
		}
		if found < 0 {
			return append(dst[:start], m.unk)
		}
		dst = append(dst, found)
		at = end
	}
	return dst
}

// wordLevelModel maps each whole word to an id, or to unk.
type wordLevelModel struct {
	vocab  map[string]int32
	tokens idTable
	unk    int32
}

func (m *wordLevelModel) tokenToID(s string) (int32, bool) {
	id, ok := m.vocab[s]
	return id, ok
}

func (m *wordLevelModel) idToToken(id int32) (string, bool) {
	return m.tokens.get(id)
}

func (m *wordLevelModel) vocabSize() int { return m.tokens.size }

func (m *wordLevelModel) tokenize(p piece, dst []int32) []int32 {
	s := p.text()
	if s == "" {
		return dst
	}
	if id, ok := m.vocab[s]; ok {
		return append(dst, id)
	}
	if m.unk >= 0 {
		return append(dst, m.unk)
	}
	return dst
}
