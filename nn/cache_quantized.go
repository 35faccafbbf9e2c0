package nn

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// QuantizedCache is a growing cache that stores keys and values in MLX's
// affine format (4 or 8 bits, groups of 32, 64 or 128 consecutive values of
// a position's heads×headDim row, so a group never straddles two heads when
// the head size is a multiple of the group and covers several small heads
// otherwise) and dequantizes them to F32 for attention. It trades a little
// accuracy and some dequantization work per step for 4–8× less cache memory.
type QuantizedCache struct {
	bits, group       int
	heads, kDim, vDim int
	offset            int
	k, v              quantRows
	scratchK          *tensor.Tensor // dequantized keys of the last Update (owner)
	scratchV          *tensor.Tensor
}

// quantRows is a growing list of quantized rows of one width.
type quantRows struct {
	q              []uint32
	scales, biases []float32
}

// NewQuantizedCache returns an empty quantized cache. bits must be 4 or 8 and
// groupSize 32, 64 or 128; heads×head size must be a multiple of groupSize.
func NewQuantizedCache(bits, groupSize int) (*QuantizedCache, error) {
	if bits != 4 && bits != 8 {
		return nil, fmt.Errorf("nn: quantized cache: %d bits unsupported (want 4 or 8)", bits)
	}
	if groupSize != 32 && groupSize != 64 && groupSize != 128 {
		return nil, fmt.Errorf("nn: quantized cache: group size %d unsupported (want 32, 64 or 128)", groupSize)
	}
	return &QuantizedCache{bits: bits, group: groupSize}, nil
}

// Bits returns the quantization width.
func (c *QuantizedCache) Bits() int { return c.bits }

// GroupSize returns the quantization group size.
func (c *QuantizedCache) GroupSize() int { return c.group }

func (r *quantRows) append(x *tensor.Tensor, bits, group int) {
	rows := x.Dim(0)
	flat := x.Reshape(rows, x.Dim(1)*x.Dim(2))
	qt, err := tensor.Quantize(flat, bits, group)
	if err != nil {
		panic(err) // a *tensor.ShapeError or *DTypeError
	}
	_, _, q, s, b := qt.Quant()
	r.q = append(r.q, q...)
	r.scales = append(r.scales, s...)
	r.biases = append(r.biases, b...)
}

func (r *quantRows) truncate(rows, cols, bits, group int) {
	r.q = r.q[:rows*cols*bits/32]
	r.scales = r.scales[:rows*cols/group]
	r.biases = r.biases[:rows*cols/group]
}

func (r *quantRows) dequantize(rows, cols, bits, group int) *tensor.Tensor {
	qt, err := tensor.NewQuantized(bits, group, r.q[:rows*cols*bits/32], r.scales[:rows*cols/group], r.biases[:rows*cols/group], rows, cols)
	if err != nil {
		panic(err) // a *tensor.ShapeError: the rows do not fit
	}
	return qt.ToF32()
}

func (c *QuantizedCache) releaseScratch() {
	if c.scratchK != nil {
		c.scratchK.Release()
		c.scratchV.Release()
		c.scratchK, c.scratchV = nil, nil
	}
}

// Update implements Cache. The returned tensors are dequantized copies,
// released by the next Update.
func (c *QuantizedCache) Update(k, v *tensor.Tensor) (*tensor.Tensor, *tensor.Tensor, tensor.AttentionOptions) {
	n, h, kd, vd := kvShape("QuantizedCache.Update", k, v, c.heads, c.kDim, c.vDim)
	if h*kd%c.group != 0 || h*vd%c.group != 0 {
		panic(&tensor.ShapeError{Op: "QuantizedCache.Update", Shapes: [][]int{k.Shape(), v.Shape()},
			Reason: fmt.Sprintf("heads×head sizes must be multiples of the group size %d", c.group)})
	}
	c.heads, c.kDim, c.vDim = h, kd, vd
	c.k.append(k, c.bits, c.group)
	c.v.append(v, c.bits, c.group)
	start := c.offset
	c.offset += n
	c.releaseScratch()
	c.scratchK = c.k.dequantize(c.offset, h*kd, c.bits, c.group)
	c.scratchV = c.v.dequantize(c.offset, h*vd, c.bits, c.group)
	return c.scratchK.Reshape(c.offset, h, kd), c.scratchV.Reshape(c.offset, h, vd),
		tensor.AttentionOptions{Causal: true, QueryOffset: start}
}

// KeyPositions implements Cache.
func (c *QuantizedCache) KeyPositions() []int { return span(0, c.offset) }

// Offset implements Cache.
func (c *QuantizedCache) Offset() int { return c.offset }

// Trim implements Cache.
func (c *QuantizedCache) Trim(n int) int {
	n = min(max(n, 0), c.offset)
	c.offset -= n
	c.k.truncate(c.offset, c.heads*c.kDim, c.bits, c.group)
	c.v.truncate(c.offset, c.heads*c.vDim, c.bits, c.group)
	c.releaseScratch()
	return n
}

// Copy implements Cache.
func (c *QuantizedCache) Copy() Cache {
	d := *c
	d.scratchK, d.scratchV = nil, nil
	d.k = quantRows{append([]uint32(nil), c.k.q...), append([]float32(nil), c.k.scales...), append([]float32(nil), c.k.biases...)}
	d.v = quantRows{append([]uint32(nil), c.v.q...), append([]float32(nil), c.v.scales...), append([]float32(nil), c.v.biases...)}
	return &d
}

// State implements Cache: the dequantized keys and values.
func (c *QuantizedCache) State() (*tensor.Tensor, *tensor.Tensor) {
	if c.offset == 0 {
		return nil, nil
	}
	k := c.k.dequantize(c.offset, c.heads*c.kDim, c.bits, c.group).Reshape(c.offset, c.heads, c.kDim)
	v := c.v.dequantize(c.offset, c.heads*c.vDim, c.bits, c.group).Reshape(c.offset, c.heads, c.vDim)
	return k, v
}
