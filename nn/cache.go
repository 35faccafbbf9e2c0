package nn

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// CacheStep is the number of positions a growing cache allocates at a time.
const CacheStep = 256

// Cache stores the keys and values of one attention layer across decoding
// steps. Keys and values are F32 [seq, kvHeads, headDim] (values may have a
// different head size than keys).
//
// Caches are not safe for concurrent use; one request owns its caches.
type Cache interface {
	// Update appends k and v ([n, kvHeads, headDim]) for the positions
	// Offset() … Offset()+n-1 and returns the keys and values those n queries
	// attend to, with the attention options (Causal, QueryOffset, Window,
	// Mask) that make attention over them exact; the caller sets Scale and
	// Softcap. The returned tensors are valid until the next Update, Trim or
	// Release and belong to the cache: callers must not Release them.
	Update(k, v *tensor.Tensor) (keys, values *tensor.Tensor, opts tensor.AttentionOptions)
	// KeyPositions returns the absolute position of each key row returned by
	// the last Update, for callers that build their own mask.
	KeyPositions() []int
	// Offset returns the number of positions processed so far.
	Offset() int
	// Trim removes up to n of the most recent positions and returns how many
	// it removed; a cache that can no longer recover them removes fewer.
	Trim(n int) int
	// Copy returns an independent deep copy, e.g. to reuse a prompt prefix.
	Copy() Cache
	// State returns copies of the stored keys and values in position order
	// ([stored, kvHeads, headDim] each), or nils when empty. For tests and
	// debugging.
	State() (keys, values *tensor.Tensor)
}

// kvShape checks k and v against each other and against the cache's
// established head layout, returning n, heads, kDim, vDim. A mismatch is a
// bug in the calling model: it panics with a *tensor.ShapeError, which
// tensor.Recover turns into an error at the API boundary.
func kvShape(op string, k, v *tensor.Tensor, heads, kDim, vDim int) (int, int, int, int) {
	if k.Rank() != 3 || v.Rank() != 3 || k.Dim(0) != v.Dim(0) || k.Dim(1) != v.Dim(1) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{k.Shape(), v.Shape()}, Reason: "keys and values must be [n, kvHeads, headDim] with equal n and heads"})
	}
	n, h, kd, vd := k.Dim(0), k.Dim(1), k.Dim(2), v.Dim(2)
	if heads != 0 && (h != heads || kd != kDim || vd != vDim) {
		panic(&tensor.ShapeError{Op: op, Shapes: [][]int{k.Shape(), v.Shape()},
			Reason: fmt.Sprintf("the cache holds keys [*, %d, %d] and values [*, %d, %d]", heads, kDim, heads, vDim)})
	}
	return n, h, kd, vd
}

// KVCache is a cache that keeps every position, growing its storage in
// chunks of CacheStep positions.
type KVCache struct {
	k, v              []float32 // capacity × heads × dim
	offset            int
	heads, kDim, vDim int
}

// NewKVCache returns an empty growing cache.
func NewKVCache() *KVCache { return &KVCache{} }

// Update implements Cache.
func (c *KVCache) Update(k, v *tensor.Tensor) (*tensor.Tensor, *tensor.Tensor, tensor.AttentionOptions) {
	n, h, kd, vd := kvShape("KVCache.Update", k, v, c.heads, c.kDim, c.vDim)
	c.heads, c.kDim, c.vDim = h, kd, vd
	need := (c.offset + n)
	if need*h*kd > len(c.k) {
		capPos := (need + CacheStep - 1) / CacheStep * CacheStep
		c.k = grow(c.k, c.offset*h*kd, capPos*h*kd)
		c.v = grow(c.v, c.offset*h*vd, capPos*h*vd)
	}
	copy(c.k[c.offset*h*kd:], k.Data())
	copy(c.v[c.offset*h*vd:], v.Data())
	start := c.offset
	c.offset += n
	keys := tensor.FromF32(c.k[:c.offset*h*kd], c.offset, h, kd)
	values := tensor.FromF32(c.v[:c.offset*h*vd], c.offset, h, vd)
	return keys, values, tensor.AttentionOptions{Causal: true, QueryOffset: start}
}

func grow(s []float32, used, size int) []float32 {
	out := make([]float32, size)
	copy(out, s[:used])
	return out
}

// KeyPositions implements Cache.
func (c *KVCache) KeyPositions() []int { return span(0, c.offset) }

// span returns start, start+1, …, start+n-1.
func span(start, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = start + i
	}
	return out
}

// Offset implements Cache.
func (c *KVCache) Offset() int { return c.offset }

// Trim implements Cache; a growing cache can always trim.
func (c *KVCache) Trim(n int) int {
	n = min(max(n, 0), c.offset)
	c.offset -= n
	return n
}

// Copy implements Cache.
func (c *KVCache) Copy() Cache {
	d := *c
	d.k = append([]float32(nil), c.k[:c.offset*c.heads*c.kDim]...)
	d.v = append([]float32(nil), c.v[:c.offset*c.heads*c.vDim]...)
	return &d
}

// State implements Cache.
func (c *KVCache) State() (*tensor.Tensor, *tensor.Tensor) {
	if c.offset == 0 {
		return nil, nil
	}
	k := append([]float32(nil), c.k[:c.offset*c.heads*c.kDim]...)
	v := append([]float32(nil), c.v[:c.offset*c.heads*c.vDim]...)
	return tensor.FromF32(k, c.offset, c.heads, c.kDim), tensor.FromF32(v, c.offset, c.heads, c.vDim)
}

// ToQuantized converts the cache into a QuantizedCache holding the same
// positions, as generation does once QuantizedKVStart positions are cached.
func (c *KVCache) ToQuantized(bits, groupSize int) (*QuantizedCache, error) {
	q, err := NewQuantizedCache(bits, groupSize)
	if err != nil {
		return nil, err
	}
	if c.heads*c.kDim%groupSize != 0 || c.heads*c.vDim%groupSize != 0 {
		return nil, fmt.Errorf("nn: quantized cache: %d heads of sizes %d/%d are not multiples of the group size %d", c.heads, c.kDim, c.vDim, groupSize)
	}
	if c.offset > 0 {
		k, v := c.State()
		q.Update(k, v)
	}
	return q, nil
}
