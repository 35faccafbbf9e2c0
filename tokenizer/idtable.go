package tokenizer

// idTable maps ids back to tokens: a slice when ids are dense, a map when
// a vocabulary uses a few very large ids (which must not make a huge slice).
type idTable struct {
	dense  []string
	has    []bool
	sparse map[int32]string
	size   int // largest id + 1
}

func newIDTable(vocab map[string]int32) idTable {
	maxID := int32(-1)
	for _, id := range vocab {
		if id > maxID {
			maxID = id
		}
	}
	t := idTable{size: int(maxID) + 1}
	if t.size <= 2*len(vocab)+1024 {
		t.dense = make([]string, t.size)
		t.has = make([]bool, t.size)
		for tok, id := range vocab {
			t.dense[id], t.has[id] = tok, true
		}
		return t
	}
	t.sparse = make(map[int32]string, len(vocab))
	for tok, id := range vocab {
		t.sparse[id] = tok
	}
	return t
}

func (t *idTable) get(id int32) (string, bool) {
	if t.sparse != nil {
		s, ok := t.sparse[id]
		return s, ok
	}
	if id < 0 || int(id) >= len(t.dense) || !t.has[id] {
		return "", false
	}
	return t.dense[id], true
}
