package tokenizer

import (
	"fmt"
	"runtime"
	"sync"
	"unicode/utf8"
)

// bpeModel is HF's BPE model: the word is split into characters (or their
// bytes' <0xXX> tokens under byte_fallback), then the adjacent pair with the
// lowest merge rank, leftmost first, is merged until no pair has a merge.
type bpeModel struct {
	vocab  map[string]int32
	tokens idTable // id → token

	merges map[uint64]bpeMerge // key: left id << 32 | right id

	unk          int32 // -1 when there is no unk token
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
	prefix       string // continuing_subword_prefix
	suffix       string // end_of_word_suffix

	asciiID [utf8.RuneSelf]int32 // id of each one-byte token, -1 if absent
	byteID  [256]int32           // id of each byte's GPT-2 stand-in, -1 if absent
	hexID   [256]int32           // id of "<0xXX>", -1 if absent
	allByte bool                 // every byte has a stand-in token

	cache, byteCache *wordCache
	scratch          sync.Pool
}

// bpeMerge is what a pair merges into and with which priority.
type bpeMerge struct {
	rank uint32
	id   int32
}

// bpeSym is one symbol of a word being merged: a doubly linked list over an
// array, dead symbols having been merged into their left neighbour.
type bpeSym struct {
	id         int32
	prev, next int32
	dead       bool
}

// bpeCand is a merge candidate in the priority queue: key orders by rank,
// then by position of the left symbol; pair holds the two ids it was made
// from, so that a still-current candidate needs no second map lookup.
type bpeCand struct {
	key  uint64
	pair uint64
	id   int32
}

type bpeWork struct {
	syms []bpeSym
	heap []bpeCand
}

func pairKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// newBPE builds the lookup tables. merges are pairs of token strings in rank
// order.
func newBPE(vocab map[string]int32, merges [][2]string, unk string, fuseUnk, byteFallback, ignoreMerges bool, prefix, suffix string) (*bpeModel, error) {
	m := &bpeModel{
		vocab:        vocab,
		merges:       make(map[uint64]bpeMerge, len(merges)),
		unk:          -1,
		fuseUnk:      fuseUnk,
		byteFallback: byteFallback,
		ignoreMerges: ignoreMerges,
		prefix:       prefix,
		suffix:       suffix,
		cache:        newWordCache(),
		byteCache:    newWordCache(),
	}
	m.tokens = newIDTable(vocab)
	if unk != "" {
		id, ok := vocab[unk]
		if !ok {
			return nil, atField("unk_token", fmt.Errorf("%q is not in the vocabulary", unk))
		}
		m.unk = id
	}
	// Resolving the merges is 1.5 million lookups for a large vocabulary;
	// they are independent, so they run in parallel chunks (map reads are
	// safe concurrently) and the map is filled in rank order afterwards.
	type resolved struct {
		key uint64
		id  int32
		ok  bool
	}
	res := make([]resolved, len(merges))
	inChunks(len(merges), func(lo, hi int) {
		var buf []byte
		for i := lo; i < hi; i++ {
			mg := merges[i]
			a, okA := vocab[mg[0]]
			b, okB := vocab[mg[1]]
			right := mg[1]
			if prefix != "" && len(right) >= len(prefix) && right[:len(prefix)] == prefix {
				right = right[len(prefix):]
			}
			buf = append(append(buf[:0], mg[0]...), right...)
			c, okC := vocab[string(buf)] // no allocation for a map lookup
			res[i] = resolved{key: pairKey(a, b), id: c, ok: okA && okB && okC}
		}
	})
	for i, r := range res {
		if !r.ok {
			return nil, atField(fmt.Sprintf("merges[%d]", i), fmt.Errorf("merge %q + %q uses a token missing from the vocabulary", merges[i][0], merges[i][1]))
		}
		// A pair listed twice keeps its last rank, as HF's map does.
		m.merges[r.key] = bpeMerge{rank: uint32(i), id: r.id}
	}
	for c := range m.asciiID {
		m.asciiID[c] = lookupOr(vocab, string(rune(c)))
	}
	m.allByte = true
	for b := 0; b < 256; b++ {
		m.byteID[b] = lookupOr(vocab, byteToStr[b])
		m.hexID[b] = lookupOr(vocab, fmt.Sprintf("<0x%02X>", b))
		if m.byteID[b] < 0 {
			m.allByte = false
		}
	}
	return m, nil
}

func lookupOr(vocab map[string]int32, s string) int32 {
	if id, ok := vocab[s]; ok {
		return id
	}
	return -1
}

func (m *bpeModel) tokenToID(s string) (int32, bool) {
	id, ok := m.vocab[s]
	return id, ok
}

func (m *bpeModel) idToToken(id int32) (string, bool) {
	return m.tokens.get(id)
}

func (m *bpeModel) vocabSize() int { return m.tokens.size }

// tokenize appends the ids of one pre-tokenized piece to dst.
func (m *bpeModel) tokenize(p piece, dst []int32) []int32 {
	if p.s == "" {
		return dst
	}
	fast := p.byteLevel && m.allByte && m.prefix == "" && m.suffix == ""
	cache := m.cache
	if p.byteLevel {
		if !fast {
			p = piece{s: p.text()}
		} else {
			cache = m.byteCache
		}
	}
	if ids, ok := cache.get(p.s); ok {
		return append(dst, ids...)
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[p.text()]; ok {
			cache.put(p.s, []int32{id})
			return append(dst, id)
		}
	}
	w, _ := m.scratch.Get().(*bpeWork)
	if w == nil {
		w = &bpeWork{}
	}
	syms := w.syms[:0]
	if fast {
		for i := 0; i < len(p.s); i++ {
			syms = append(syms, bpeSym{id: m.byteID[p.s[i]]})
		}
	} else {
		syms = m.initialSymbols(p.s, syms)
	}
	syms, w.heap = m.mergeAll(syms, w.heap[:0])
	start := len(dst)
	for i := 0; i < len(syms); i = int(syms[i].next) {
		dst = append(dst, syms[i].id)
		if syms[i].next < 0 {
			break
		}
	}
	if len(syms) > 0 {
		cache.put(p.s, append([]int32(nil), dst[start:]...))
	}
	w.syms = syms
	m.scratch.Put(w)
	return dst
}

// initialSymbols splits a word into its starting symbols.
func (m *bpeModel) initialSymbols(word string, syms []bpeSym) []bpeSym {
	unkPending := false
	var unkID int32 = -1
	flushUnk := func() {
		if unkPending {
			syms = append(syms, bpeSym{id: unkID})
			unkPending = false
		}
	}
	for i := 0; i < len(word); {
		_, n := utf8.DecodeRuneInString(word[i:])
		ch := word[i : i+n]
		first, last := i == 0, i+n == len(word)
		i += n
		id := int32(-1)
		if m.prefix == "" && m.suffix == "" && n == 1 && ch[0] < utf8.RuneSelf {
			id = m.asciiID[ch[0]]
		} else {
			s := ch
			if !first && m.prefix != "" {
				s = m.prefix + s
			}
			if last && m.suffix != "" {
				s += m.suffix
			}
			ch = s
			if v, ok := m.vocab[s]; ok {
				id = v
			}
		}
		if id >= 0 {
			flushUnk()
			syms = append(syms, bpeSym{id: id})
			continue
		}
		if m.byteFallback && m.hexAll(ch) {
			for k := 0; k < len(ch); k++ {
				syms = append(syms, bpeSym{id: m.hexID[ch[k]]})
			}
			continue
		}
		if m.unk >= 0 {
			if unkPending && !m.fuseUnk {
				flushUnk()
			}
			unkPending, unkID = true, m.unk
		}
	}
	flushUnk()
	return syms
}

func (m *bpeModel) hexAll(s string) bool {
	for k := 0; k < len(s); k++ {
		if m.hexID[s[k]] < 0 {
			return false
		}
	}
	return true
}

// mergeAll links the symbols and applies merges in HF's order: the lowest
// (rank, position) candidate first; stale candidates are skipped when their
// pair no longer yields the same token.
func (m *bpeModel) mergeAll(syms []bpeSym, h []bpeCand) ([]bpeSym, []bpeCand) {
	n := len(syms)
	for i := range syms {
		syms[i].prev = int32(i - 1)
		syms[i].next = int32(i + 1)
		syms[i].dead = false
	}
	if n == 0 {
		return syms, h
	}
	syms[n-1].next = -1
	for i := 0; i+1 < n; i++ {
		pk := pairKey(syms[i].id, syms[i+1].id)
		if mg, ok := m.merges[pk]; ok {
			h = heapPush(h, bpeCand{key: uint64(mg.rank)<<32 | uint64(i), pair: pk, id: mg.id})
		}
	}
	for len(h) > 0 {
		var top bpeCand
		top, h = heapPop(h)
		pos := int32(uint32(top.key))
		cur := &syms[pos]
		if cur.dead || cur.next < 0 {
			continue
		}
		nx := cur.next
		right := syms[nx]
		if pk := pairKey(cur.id, right.id); pk != top.pair {
			// The pair changed since the candidate was queued; HF still
			// accepts it if the new pair merges into the same token.
			if mg, ok := m.merges[pk]; !ok || mg.id != top.id {
				continue
			}
		}
		cur.id = top.id
		cur.next = right.next
		syms[nx].dead = true
		if right.next >= 0 {
			syms[right.next].prev = pos
		}
		if cur.prev >= 0 {
			pk := pairKey(syms[cur.prev].id, cur.id)
			if mg, ok := m.merges[pk]; ok {
				h = heapPush(h, bpeCand{key: uint64(mg.rank)<<32 | uint64(uint32(cur.prev)), pair: pk, id: mg.id})
			}
		}
		if cur.next >= 0 {
			pk := pairKey(cur.id, syms[cur.next].id)
			if mg, ok := m.merges[pk]; ok {
				h = heapPush(h, bpeCand{key: uint64(mg.rank)<<32 | uint64(uint32(pos)), pair: pk, id: mg.id})
			}
		}
	}
	return syms, h
}

// inChunks runs fn over [0, n) split into one chunk per available CPU.
func inChunks(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers > 16 {
		workers = 16
	}
	if n < 4096 || workers == 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += step {
		hi := min(lo+step, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// heapPush and heapPop keep h a binary min-heap on key.
func heapPush(h []bpeCand, c bpeCand) []bpeCand {
	h = append(h, c)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].key <= h[i].key {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
	return h
}

func heapPop(h []bpeCand) (bpeCand, []bpeCand) {
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i := 0
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		s := l
		if r := l + 1; r < len(h) && h[r].key < h[l].key {
			s = r
		}
		if h[i].key <= h[s].key {
			break
		}
		h[i], h[s] = h[s], h[i]
		i = s
	}
	return top, h
}
