package nn

import "github.com/govlm/govlm/tensor"

// RMSNorm is x / sqrt(mean(x²) + eps) · w over the last dimension, computed
// in float32. With AddOne (Gemma) the scale is (1 + w).
type RMSNorm struct {
	Weight *tensor.Tensor `nn:"weight"`
	Eps    float32
	AddOne bool

	dim int
}

// NewRMSNorm returns an RMSNorm over dim features.
func NewRMSNorm(dim int, eps float32) *RMSNorm { return &RMSNorm{Eps: eps, dim: dim} }

// NewGemmaRMSNorm returns an RMSNorm that scales by (1 + w).
func NewGemmaRMSNorm(dim int, eps float32) *RMSNorm {
	return &RMSNorm{Eps: eps, AddOne: true, dim: dim}
}

// ParamSpec implements Specifier.
func (n *RMSNorm) ParamSpec(name string) ParamSpec {
	if name == "weight" && n.dim > 0 {
		return ParamSpec{Shape: []int{n.dim}, Presence: Required}
	}
	return ParamSpec{}
}

// Forward normalises x [..., dim] and returns a tensor of the same shape.
func (n *RMSNorm) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.RMSNorm(x, n.Weight, n.Eps, n.AddOne)
}

// LayerNorm is (x − mean) / sqrt(var + eps) · w + b over the last dimension.
// Weight and bias are optional in the checkpoint (elementwise_affine=False
// layers have neither).
type LayerNorm struct {
	Weight *tensor.Tensor `nn:"weight,optional"`
	Bias   *tensor.Tensor `nn:"bias,optional"`
	Eps    float32

	dim    int
	affine Presence
}

// NewLayerNorm returns a LayerNorm over dim features with a required weight
// and bias.
func NewLayerNorm(dim int, eps float32) *LayerNorm {
	return &LayerNorm{Eps: eps, dim: dim, affine: Required}
}

// ParamSpec implements Specifier.
func (n *LayerNorm) ParamSpec(name string) ParamSpec {
	if n.dim > 0 && (name == "weight" || name == "bias") {
		return ParamSpec{Shape: []int{n.dim}, Presence: n.affine}
	}
	return ParamSpec{}
}

// Forward normalises x [..., dim] and returns a tensor of the same shape.
func (n *LayerNorm) Forward(x *tensor.Tensor) *tensor.Tensor {
	return tensor.LayerNorm(x, n.Weight, n.Bias, n.Eps)
}
