package benchutil

import (
	"math"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// Norms says what RandomBF16 writes into RMSNorm weights.
type Norms int

const (
	// RMSNormZero fills RMSNorm weights with 0: Gemma's norms scale by
	// (1 + w), so 0 is a scale of 1.
	RMSNormZero Norms = iota
	// RMSNormOne fills RMSNorm weights with 1, the identity scale of
	// norms that multiply by w.
	RMSNormOne
)

// RandomBF16 returns a value for every required weight and bias of the
// module tree m, named by nn.Walk's paths and shaped by the modules'
// ParamSpecs: linear, embedding and convolution weights uniform with std
// ≈ 0.02 (a fixed xorshift sequence, so every run binds the same
// weights), LayerNorm weights 1, biases 0, RMSNorm weights as norms says.
// Values are BF16, except one-dimensional tensors, which are stored F32.
func RandomBF16(m any, norms Norms) map[string]*tensor.Tensor {
	w := map[string]*tensor.Tensor{}
	state := uint64(0x9e3779b97f4a7c15)
	const amp = 0.02 * 1.7320508 // uniform [-a, a] has std a/√3
	const one = 0x3f80           // 1.0 in BF16
	nn.Walk(m, func(path string, mod any) {
		spec, ok := mod.(nn.Specifier)
		if !ok {
			return
		}
		_, isRMS := mod.(*nn.RMSNorm)
		_, isLN := mod.(*nn.LayerNorm)
		for _, field := range []string{"weight", "bias"} {
			ps := spec.ParamSpec(field)
			if ps.Presence != nn.Required || len(ps.Shape) == 0 {
				continue
			}
			n := 1
			for _, d := range ps.Shape {
				n *= d
			}
			data := make([]uint16, n)
			switch {
			case field == "bias" || isRMS && norms == RMSNormZero:
				// zeros
			case isLN || isRMS:
				for i := range data {
					data[i] = one
				}
			default:
				for i := range data {
					state ^= state << 13
					state ^= state >> 7
					state ^= state << 17
					u := float32(state>>40)/float32(1<<24)*2 - 1
					data[i] = uint16(math.Float32bits(u*amp) >> 16)
				}
			}
			name := field
			if path != "" {
				name = path + "." + field
			}
			t := tensor.FromU16(tensor.BF16, data, ps.Shape...)
			if len(ps.Shape) == 1 {
				t = t.ToF32()
			}
			w[name] = t
		}
	})
	return w
}
