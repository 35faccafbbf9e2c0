package tensor

import (
	"fmt"
	"math"

	"github.com/govlm/govlm/kernels"
)

// Activations are element-wise on F32 tensors and return a new tensor; the
// *InPlace forms overwrite their argument. They panic with a *DTypeError on
// other dtypes.

// GELU returns x·Φ(x) with the exact error function (PyTorch's default
// "gelu").
func GELU(x *Tensor) *Tensor { return unary("GELU", x, geluSlice) }

// GELUTanh returns the tanh approximation of GELU ("gelu_pytorch_tanh").
func GELUTanh(x *Tensor) *Tensor { return unary("GELUTanh", x, geluTanhSlice) }

// SiLU returns x·σ(x).
func SiLU(x *Tensor) *Tensor { return unary("SiLU", x, siluSlice) }

// QuickGELU returns x·σ(1.702x) (CLIP's quick_gelu).
func QuickGELU(x *Tensor) *Tensor { return unary("QuickGELU", x, quickGELUSlice) }

// ReLU returns max(x, 0).
func ReLU(x *Tensor) *Tensor { return unary("ReLU", x, reluSlice) }

// GELUInPlace applies GELU to x in place.
func GELUInPlace(x *Tensor) { unaryInPlace("GELUInPlace", x, geluSlice) }

// GELUTanhInPlace applies GELUTanh to x in place.
func GELUTanhInPlace(x *Tensor) { unaryInPlace("GELUTanhInPlace", x, geluTanhSlice) }

// SiLUInPlace applies SiLU to x in place.
func SiLUInPlace(x *Tensor) { unaryInPlace("SiLUInPlace", x, siluSlice) }

// SwiGLU returns silu(gate)·up, the gated MLP of Llama and Qwen; gate and
// up have the same shape.
func SwiGLU(gate, up *Tensor) *Tensor {
	out := gated("SwiGLU", gate, up)
	parallelSlices(out.f32, gate.f32, up.f32, func(d, g, u []float32) {
		kernels.SiLUMulF32(d, g, u)
	})
	return out
}

// GeGLU returns gelu(gate)·up (Gemma's gated MLP), with the tanh
// approximation when tanhApprox is set.
func GeGLU(gate, up *Tensor, tanhApprox bool) *Tensor {
	out := gated("GeGLU", gate, up)
	f := geluSlice
	if tanhApprox {
		f = geluTanhSlice
	}
	parallelSlices(out.f32, gate.f32, up.f32, func(d, g, u []float32) {
		f(d, g)
		for i := range d {
			d[i] *= u[i]
		}
	})
	return out
}

// gated validates the operands of a gated activation and returns its
// output, not yet written.
func gated(op string, gate, up *Tensor) *Tensor {
	gate.wantF32(op)
	up.wantF32(op)
	if !sameShape(gate.shape, up.shape) {
		panic(shapeErr(op, "gate and up must have the same shape", gate, up))
	}
	return empty(gate.shape...)
}

const actGrain = 16384 // elements per parallel chunk of an activation

// unary returns f applied to x; f(dst, src) writes dst from src and may be
// called with dst and src the same slice.
func unary(op string, x *Tensor, f func(dst, src []float32)) *Tensor {
	xd := x.wantF32(op)
	out := empty(x.shape...)
	parallelSlices(out.f32, xd, nil, func(d, s, _ []float32) { f(d, s) })
	return out
}

func unaryInPlace(op string, x *Tensor, f func(dst, src []float32)) {
	xd := x.wantF32(op)
	parallelSlices(xd, xd, nil, func(d, s, _ []float32) { f(d, s) })
}

// parallelSlices calls fn on matching chunks of d, a and (when not nil) b.
func parallelSlices(d, a, b []float32, fn func(d, a, b []float32)) {
	parFor(len(d), actGrain, func(lo, hi int) {
		if b == nil {
			fn(d[lo:hi], a[lo:hi], nil)
			return
		}
		fn(d[lo:hi], a[lo:hi], b[lo:hi])
	})
}

func geluSlice(d, s []float32) {
	for i, v := range s[:len(d)] {
		x := float64(v)
		d[i] = float32(0.5 * x * (1 + math.Erf(x/math.Sqrt2)))
	}
}

// geluTanhSlice and siluSlice are the vectorised kernels; tanh-GELU uses
// 0.5·(1 + tanh(u)) = σ(2u), which stays accurate for every u.
func geluTanhSlice(d, s []float32) { kernels.GELUTanhF32(d, s[:len(d)]) }

func siluSlice(d, s []float32) { kernels.SiLUF32(d, s[:len(d)]) }

// quickGELUSlice computes x·σ(1.702x) as silu(1.702x)/1.702 with the
// vectorised SiLU.
func quickGELUSlice(d, s []float32) {
	const a = 1.702
	for i, v := range s[:len(d)] {
		d[i] = a * v
	}
	kernels.SiLUF32(d, d)
	for i := range d {
		d[i] *= 1 / a
	}
}

func reluSlice(d, s []float32) {
	for i, v := range s[:len(d)] {
		if !(v > 0) {
			v = 0
		}
		d[i] = v
	}
}

// Activation looks up an activation by its Hugging Face config name
// ("gelu", "gelu_pytorch_tanh", "gelu_new", "silu", "swish", "quick_gelu",
// "relu"), so models can honour hidden_act. It returns an error for an
// unknown name.
func Activation(name string) (func(*Tensor) *Tensor, error) {
	switch name {
	case "gelu":
		return GELU, nil
	case "gelu_pytorch_tanh", "gelu_new", "gelu_fast", "gelu_python_tanh":
		return GELUTanh, nil
	case "silu", "swish":
		return SiLU, nil
	case "quick_gelu":
		return QuickGELU, nil
	case "relu":
		return ReLU, nil
	}
	return nil, fmt.Errorf("tensor: unknown activation %q", name)
}

// SoftcapInPlace sets x = cap·tanh(x/cap), the logit soft-capping of Gemma 2
// style models; cap <= 0 leaves x unchanged.
func SoftcapInPlace(x *Tensor, cap float32) {
	if cap <= 0 {
		x.wantF32("SoftcapInPlace")
		return
	}
	unaryInPlace("SoftcapInPlace", x, func(d, _ []float32) {
		for i, v := range d {
			d[i] = cap * float32(math.Tanh(float64(v/cap)))
		}
	})
}
