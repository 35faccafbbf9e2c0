package tokenizer

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// unigramModel is HF's Unigram model: the Viterbi path of highest total
// score through the pieces of the vocabulary; characters no piece covers
// score min_score - 10 as unk, and runs of them fuse into one token.
type unigramModel struct {
	pieces       []string
	scores       []float64
	vocab        map[string]int32
	unk          int32
	byteFallback bool
	minScore     float64
	trie         *tokenTrie
	hexID        [256]int32
	cache        *wordCache
}

const unigramUnkPenalty = 10.0

func newUnigram(pieces []string, scores []float64, unkID *int, byteFallback bool) (*unigramModel, error) {
	m := &unigramModel{
		pieces:       pieces,
		scores:       scores,
		vocab:        make(map[string]int32, len(pieces)),
		unk:          -1,
		byteFallback: byteFallback,
		minScore:     math.Inf(1),
		cache:        newWordCache(),
	}
	toks := make([]*addedToken, len(pieces))
	for i, p := range pieces {
		m.vocab[p] = int32(i) // a repeated piece keeps its last id, as in HF
		if scores[i] < m.minScore {
			m.minScore = scores[i]
		}
		toks[i] = &addedToken{ID: int32(i), Content: p}
	}
	m.trie = newTokenTrieDup(toks, true)
	if unkID != nil {
		if *unkID < 0 || *unkID >= len(pieces) {
			return nil, atField("unk_id", fmt.Errorf("%d is outside the vocabulary of %d pieces", *unkID, len(pieces)))
		}
		m.unk = int32(*unkID)
	}
	for b := 0; b < 256; b++ {
		m.hexID[b] = lookupOr(m.vocab, fmt.Sprintf("<0x%02X>", b))
	}
	return m, nil
}

func (m *unigramModel) tokenToID(s string) (int32, bool) {
	id, ok := m.vocab[s]
	return id, ok
}

func (m *unigramModel) idToToken(id int32) (string, bool) {
	if id < 0 || int(id) >= len(m.pieces) {
		return "", false
	}
	return m.pieces[id], true
}

func (m *unigramModel) vocabSize() int { return len(m.pieces) }

type unigramNode struct {
	id    int32
	score float64
	start int // -1: not reached
}

func (m *unigramModel) tokenize(p piece, dst []int32) []int32 {
	s := p.text()
	if s == "" {
		return dst
	}
	if ids, ok := m.cache.get(s); ok {
		return append(dst, ids...)
	}
	best := make([]unigramNode, len(s)+1)
	for i := 1; i < len(best); i++ {
		best[i].start = -1
	}
	unkScore := m.minScore - unigramUnkPenalty
	for at := 0; at < len(s); {
		_, mb := utf8.DecodeRuneInString(s[at:])
		base := best[at].score
		single := false
		n := int32(0)
		for j := at; j < len(s); j++ {
			n = m.trie.next(n, s[j])
			if n < 0 {
				break
			}
			k := m.trie.nodes[n].tok
			if k < 0 {
				continue
			}
			end := j + 1
			cand := base + m.scores[k]
			if t := &best[end]; t.start < 0 || cand > t.score {
				*t = unigramNode{id: k, score: cand, start: at}
			}
			if end-at == mb {
				single = true
			}
		}
		if !single && m.unk >= 0 {
			cand := base + unkScore
			if t := &best[at+mb]; t.start < 0 || cand > t.score {
				*t = unigramNode{id: m.unk, score: cand, start: at}
			}
		}
		at += mb
	}
	// Walk back; unknown runs fuse into one span.
	var rev []int32
	var spans [][2]int // fused unk spans, reversed
	for end := len(s); end > 0; {
		nd := best[end]
		if nd.start < 0 {
			// Unreachable without an unk piece: drop the character.
			_, n := utf8.DecodeLastRuneInString(s[:end])
			end -= n
			continue
		}
		if nd.id == m.unk {
			if k := len(spans) - 1; k >= 0 && spans[k][0] == end && rev[len(rev)-1] == -1 {
				spans[k][0] = nd.start
			} else {
				spans = append(spans, [2]int{nd.start, end})
				rev = append(rev, -1)
			}
		} else {
			rev = append(rev, nd.id)
		}
		end = nd.start
	}
	start := len(dst)
	sp := 0
	for i := len(rev) - 1; i >= 0; i-- {
		if rev[i] >= 0 {
			dst = append(dst, rev[i])
			continue
		}
		span := spans[len(spans)-1-sp]
		sp++
		text := s[span[0]:span[1]]
		if id, ok := m.vocab[text]; ok {
			dst = append(dst, id)
		} else if m.byteFallback && m.hexAll(text) {
			for k := 0; k < len(text); k++ {
				dst = append(dst, m.hexID[text[k]])
			}
		} else {
			dst = append(dst, m.unk)
		}
	}
	m.cache.put(s, append([]int32(nil), dst[start:]...))
	return dst
}

func (m *unigramModel) hexAll(s string) bool {
	for k := 0; k < len(s); k++ {
		if m.hexID[s[k]] < 0 {
			return false
		}
	}
	return true
}
