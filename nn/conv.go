package nn

import "github.com/govlm/govlm/tensor"

// Conv2D is a 2-D convolution with PyTorch's weight layout [out, in, kh, kw]
// (a vision tower's patch embedding when the stride equals the kernel).
// mlx-community checkpoints store conv weights channels-last, [out, kh, kw,
// in]; a model's Sanitize turns them back with tensor.Transpose(w, 0, 3, 1,
// 2) (Bind's shape check reports a weight left in the wrong layout).
type Conv2D struct {
	Weight *tensor.Tensor `nn:"weight"`
	Bias   *tensor.Tensor `nn:"bias,optional"`

	// StrideH, StrideW, PadH and PadW are the convolution's geometry.
	StrideH, StrideW, PadH, PadW int

	in, out, kh, kw int
	bias            Presence
}

// NewConv2D returns a Conv2D expecting a [out, in, kh, kw] weight and, when
// bias is set, a [out] bias.
func NewConv2D(in, out, kh, kw, stride, pad int, bias bool) *Conv2D {
	c := &Conv2D{StrideH: stride, StrideW: stride, PadH: pad, PadW: pad, in: in, out: out, kh: kh, kw: kw, bias: Absent}
	if bias {
		c.bias = Required
	}
	return c
}

// ParamSpec implements Specifier.
func (c *Conv2D) ParamSpec(name string) ParamSpec {
	if c.out == 0 {
		return ParamSpec{}
	}
	switch name {
	case "weight":
		return ParamSpec{Shape: []int{c.out, c.in, c.kh, c.kw}, Presence: Required}
	case "bias":
		return ParamSpec{Shape: []int{c.out}, Presence: c.bias}
	}
	return ParamSpec{}
}

// Forward convolves x [in, H, W] into [out, H', W'].
func (c *Conv2D) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.Conv2D(x, c.Weight, c.Bias, max(c.StrideH, 1), max(c.StrideW, 1), c.PadH, c.PadW)
}
