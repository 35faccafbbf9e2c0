package nn

import "github.com/govlm/govlm/tensor"

// Linear is y = x·Wᵀ + b with W in the Hugging Face layout [out, in]. The
// weight may have any storage dtype, quantized ones included: the loader
// turns a checkpoint's "X.weight" (packed U32) + "X.scales" + "X.biases" into
// one Q4/Q8 tensor before binding.
type Linear struct {
	Weight *tensor.Tensor `nn:"weight"`
	Bias   *tensor.Tensor `nn:"bias,optional"`

	in, out int
	bias    Presence
}

// NewLinear returns a Linear that Bind checks for a weight of shape
// [out, in] and, when bias is true, a required bias of shape [out]; when bias
// is false a checkpoint bias is reported as unused.
func NewLinear(in, out int, bias bool) *Linear {
	l := &Linear{in: in, out: out, bias: Absent}
	if bias {
		l.bias = Required
	}
	return l
}

// ParamSpec implements Specifier.
func (l *Linear) ParamSpec(name string) ParamSpec {
	if l.in == 0 && l.out == 0 {
		return ParamSpec{}
	}
	switch name {
	case "weight":
		return ParamSpec{Shape: []int{l.out, l.in}, Presence: Required}
	case "bias":
		return ParamSpec{Shape: []int{l.out}, Presence: l.bias}
	}
	return ParamSpec{}
}

// Forward maps x [..., in] to [..., out].
func (l *Linear) Forward(x *tensor.Tensor) *tensor.Tensor {
	if l.Bias != nil {
		return tensor.MatMulBias(x, l.Weight, l.Bias)
	}
	return tensor.MatMul(x, l.Weight)
}

// InFeatures reports the input width of the weight.
func (l *Linear) InFeatures() int { return l.Weight.Dim(1) }

// OutFeatures reports the output width of the weight.
func (l *Linear) OutFeatures() int { return l.Weight.Dim(0) }
