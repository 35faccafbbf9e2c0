package nn

import (
	"fmt"
	"math"

	"github.com/govlm/govlm/tensor"
)

// RotatingCache keeps a bounded number of positions: the first Keep ever
// seen (attention sinks) and the most recent Size−Keep. A query at position p
// attends to the keys at positions j ≤ p with j < Keep or j > p − (Size −
// Keep).
//
// With Keep = 0 it is the cache of a sliding-window layer whose window is
// Size (transformers' sliding_window: p − j < Size); with Keep > 0 it is the
// max-KV-size cache that bounds memory for long generations.
//
// Storage is a ring of Size slots: position p lives in slot p when p < Keep
// and in slot Keep + (p−Keep) mod (Size−Keep) otherwise. A single decoding
// step writes its slot in place and attends to all slots in slot order (the
// order of keys does not matter to attention); a multi-token chunk is
// attended over the stored positions in order followed by the chunk, so that
// each query of the chunk sees exactly its window.
type RotatingCache struct {
	size, keep        int
	k, v              []float32 // size slots
	offset            int
	heads, kDim, vDim int
	lastPos           []int // key positions of the last Update, when ordered
	lastSlots         bool  // the last Update returned the slots as stored
}

// NewRotatingCache returns a sliding-window cache keeping the last window
// positions.
func NewRotatingCache(window int) (*RotatingCache, error) { return NewMaxKVCache(window, 0) }

// NewMaxKVCache returns a cache of at most size positions that always keeps
// the first keep ones (mlx-lm keeps 4 for --max-kv-size).
func NewMaxKVCache(size, keep int) (*RotatingCache, error) {
	if size <= 0 || keep < 0 || keep >= size {
		return nil, fmt.Errorf("nn: rotating cache needs size > 0 and 0 ≤ keep < size, got size %d keep %d", size, keep)
	}
	return &RotatingCache{size: size, keep: keep}, nil
}

// Size returns the number of positions the cache holds at most.
func (c *RotatingCache) Size() int { return c.size }

// Keep returns the number of leading positions that are never evicted.
func (c *RotatingCache) Keep() int { return c.keep }

func (c *RotatingCache) slot(p int) int {
	if p < c.keep {
		return p
	}
	return c.keep + (p-c.keep)%(c.size-c.keep)
}

// stored returns the positions held before the next write, in order.
func (c *RotatingCache) storedPositions() []int {
	if c.offset <= c.size {
		return span(0, c.offset)
	}
	ring := c.size - c.keep
	out := span(0, c.keep)
	return append(out, span(c.offset-ring, ring)...)
}

func (c *RotatingCache) write(p int, k, v []float32) {
	hk, hv := c.heads*c.kDim, c.heads*c.vDim
	s := c.slot(p)
	copy(c.k[s*hk:(s+1)*hk], k)
	copy(c.v[s*hv:(s+1)*hv], v)
}

// Update implements Cache.
func (c *RotatingCache) Update(k, v *tensor.Tensor) (*tensor.Tensor, *tensor.Tensor, tensor.AttentionOptions) {
	n, h, kd, vd := kvShape("RotatingCache.Update", k, v, c.heads, c.kDim, c.vDim)
	if c.k == nil {
		c.heads, c.kDim, c.vDim = h, kd, vd
		c.k = make([]float32, c.size*h*kd)
		c.v = make([]float32, c.size*h*vd)
	}
	hk, hv := h*kd, h*vd
	kd32, vd32 := k.Data(), v.Data()
	start := c.offset
	switch {
	case start+n <= c.size:
		// Nothing is evicted yet: slots are positions.
		for i := range n {
			c.write(start+i, kd32[i*hk:(i+1)*hk], vd32[i*hv:(i+1)*hv])
		}
		c.offset += n
		c.lastPos, c.lastSlots = nil, false
		end := c.offset
		return tensor.FromF32(c.k[:end*hk], end, h, kd), tensor.FromF32(c.v[:end*hv], end, h, vd),
			tensor.AttentionOptions{Causal: true, QueryOffset: start}
	case n == 1:
		// One decoding step past the window: every stored slot is visible.
		c.write(start, kd32, vd32)
		c.offset++
		c.lastPos, c.lastSlots = nil, true
		return tensor.FromF32(c.k, c.size, h, kd), tensor.FromF32(c.v, c.size, h, vd), tensor.AttentionOptions{}
	}
	// A chunk that evicts: attend over the stored positions in order, then
	// the chunk, and only then overwrite slots.
	pos := c.storedPositions()
	m := len(pos)
	keys := make([]float32, (m+n)*hk)
	values := make([]float32, (m+n)*hv)
	for i, p := range pos {
		s := c.slot(p)
		copy(keys[i*hk:], c.k[s*hk:(s+1)*hk])
		copy(values[i*hv:], c.v[s*hv:(s+1)*hv])
	}
	copy(keys[m*hk:], kd32)
	copy(values[m*hv:], vd32)
	for i := range n {
		pos = append(pos, start+i)
		c.write(start+i, kd32[i*hk:(i+1)*hk], vd32[i*hv:(i+1)*hv])
	}
	c.offset += n
	c.lastPos, c.lastSlots = pos, false
	var opts tensor.AttentionOptions
	if c.keep == 0 {
		opts = tensor.AttentionOptions{Causal: true, QueryOffset: m, Window: c.size}
	} else {
		opts = tensor.AttentionOptions{Mask: c.mask(start, n, pos)}
	}
	return tensor.FromF32(keys, m+n, h, kd), tensor.FromF32(values, m+n, h, vd), opts
}

// mask builds the additive [n, len(pos)] mask of the keep+recent rule.
func (c *RotatingCache) mask(start, n int, pos []int) *tensor.Tensor {
	ring := c.size - c.keep
	inf := float32(math.Inf(-1))
	m := make([]float32, n*len(pos))
	for i := range n {
		q := start + i
		row := m[i*len(pos) : (i+1)*len(pos)]
		for j, p := range pos {
			if p > q || (p >= c.keep && p <= q-ring) {
				row[j] = inf
			}
		}
	}
	return tensor.FromF32(m, n, len(pos))
}

// KeyPositions implements Cache.
func (c *RotatingCache) KeyPositions() []int {
	if !c.lastSlots {
		if c.lastPos != nil {
			return append([]int(nil), c.lastPos...)
		}
		return span(0, c.offset)
	}
	// Slot order after writing position last = offset−1.
	last := c.offset - 1
	ring := c.size - c.keep
	out := make([]int, c.size)
	ls := c.slot(last)
	for s := range out {
		if s < c.keep {
			out[s] = s
			continue
		}
		out[s] = last - ((ls-s)%ring+ring)%ring
	}
	return out
}

// Offset implements Cache.
func (c *RotatingCache) Offset() int { return c.offset }

// Trim implements Cache. Positions can be trimmed only while nothing has been
// evicted (Offset() ≤ Size()); afterwards Trim removes nothing.
func (c *RotatingCache) Trim(n int) int {
	if c.offset > c.size {
		return 0
	}
	n = min(max(n, 0), c.offset)
	c.offset -= n
	c.lastPos, c.lastSlots = nil, false
	return n
}

// Copy implements Cache.
func (c *RotatingCache) Copy() Cache {
	d := *c
	d.k = append([]float32(nil), c.k...)
	d.v = append([]float32(nil), c.v...)
	d.lastPos = append([]int(nil), c.lastPos...)
	return &d
}

// State implements Cache: the stored positions in order.
func (c *RotatingCache) State() (*tensor.Tensor, *tensor.Tensor) {
	if c.offset == 0 {
		return nil, nil
	}
	hk, hv := c.heads*c.kDim, c.heads*c.vDim
	pos := c.storedPositions()
	k := make([]float32, len(pos)*hk)
	v := make([]float32, len(pos)*hv)
	for i, p := range pos {
		s := c.slot(p)
		copy(k[i*hk:], c.k[s*hk:(s+1)*hk])
		copy(v[i*hv:], c.v[s*hv:(s+1)*hv])
	}
	return tensor.FromF32(k, len(pos), c.heads, c.kDim), tensor.FromF32(v, len(pos), c.heads, c.vDim)
}
