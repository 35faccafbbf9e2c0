package nn

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// Activation names an elementwise nonlinearity.
type Activation uint8

// Activations, with the Hugging Face hidden_act names ParseActivation
// accepts.
const (
	SiLU      Activation = iota // "silu", "swish"
	GELU                        // "gelu": exact, with erf
	GELUTanh                    // "gelu_pytorch_tanh", "gelu_new", "gelu_fast": tanh approximation
	QuickGELU                   // "quick_gelu": x·sigmoid(1.702x)
	ReLU                        // "relu"
)

// ParseActivation maps a config's hidden_act / hidden_activation string to
// an Activation.
func ParseActivation(name string) (Activation, error) {
	switch name {
	case "silu", "swish":
		return SiLU, nil
	case "gelu":
		return GELU, nil
	case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_tanh":
		return GELUTanh, nil
	case "quick_gelu":
		return QuickGELU, nil
	case "relu":
		return ReLU, nil
	}
	return 0, fmt.Errorf("nn: unsupported activation %q", name)
}

// Apply returns act(x) as a new tensor of x's shape.
func (a Activation) Apply(x *tensor.Tensor) *tensor.Tensor {
	switch a {
	case SiLU:
		return tensor.SiLU(x)
	case GELU:
		return tensor.GELU(x)
	case GELUTanh:
		return tensor.GELUTanh(x)
	case QuickGELU:
		return tensor.QuickGELU(x)
	case ReLU:
		return tensor.ReLU(x)
	}
	panic(fmt.Sprintf("nn: unknown activation %d", a))
}

// gated returns act(gate) * up.
func (a Activation) gated(gate, up *tensor.Tensor) *tensor.Tensor {
	switch a {
	case SiLU:
		return tensor.SwiGLU(gate, up)
	case GELU:
		return tensor.GeGLU(gate, up, false)
	case GELUTanh:
		return tensor.GeGLU(gate, up, true)
	}
	h := a.Apply(gate)
	out := tensor.Mul(h, up)
	h.Release()
	return out
}

// GatedMLP is down(act(gate(x)) · up(x)): SwiGLU with SiLU (Llama, Qwen2),
// GeGLU with a GELU (Gemma).
type GatedMLP struct {
	Gate *Linear `nn:"gate_proj"`
	Up   *Linear `nn:"up_proj"`
	Down *Linear `nn:"down_proj"`
	Act  Activation
}

// NewGatedMLP returns a GatedMLP hidden → inter → hidden with the given
// activation and bias on all three projections or none.
func NewGatedMLP(hidden, inter int, act Activation, bias bool) *GatedMLP {
	return &GatedMLP{
		Gate: NewLinear(hidden, inter, bias),
		Up:   NewLinear(hidden, inter, bias),
		Down: NewLinear(inter, hidden, bias),
		Act:  act,
	}
}

// Forward maps x [..., hidden] to [..., hidden].
func (m *GatedMLP) Forward(x *tensor.Tensor) *tensor.Tensor {
	g := m.Gate.Forward(x)
	u := m.Up.Forward(x)
	h := m.Act.gated(g, u)
	g.Release()
	u.Release()
	out := m.Down.Forward(h)
	h.Release()
	return out
}

// MLP is fc2(act(fc1(x))), the vision-tower MLP (SigLIP, CLIP, Qwen2-VL).
type MLP struct {
	FC1 *Linear `nn:"fc1"`
	FC2 *Linear `nn:"fc2"`
	Act Activation
}

// NewMLP returns an MLP hidden → inter → hidden with biases.
func NewMLP(hidden, inter int, act Activation) *MLP {
	return &MLP{FC1: NewLinear(hidden, inter, true), FC2: NewLinear(inter, hidden, true), Act: act}
}

// Forward maps x [..., hidden] to [..., hidden].
func (m *MLP) Forward(x *tensor.Tensor) *tensor.Tensor {
	h := m.FC1.Forward(x)
	a := m.Act.Apply(h)
	h.Release()
	out := m.FC2.Forward(a)
	a.Release()
	return out
}
