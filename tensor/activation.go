package tensor

import (
	"fmt"
	"math"
)

// Activations are element-wise on F32 tensors and return a new tensor; the
// *InPlace forms overwrite their argument. They panic with a *DTypeError on
// other dtypes.

const sqrt2OverPi = 0.7978845608028654 // √(2/π)

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
	parallelSlices(out.f32, up.f32, func(d, u []float32) {
		siluSlice(d)
		for i := range d {
			d[i] *= u[i]
		}
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
	parallelSlices(out.f32, up.f32, func(d, u []float32) {
		f(d)
		for i := range d {
			d[i] *= u[i]
		}
	})
	return out
}

func gated(op string, gate, up *Tensor) *Tensor {
	gate.wantF32(op)
	up.wantF32(op)
	if !sameShape(gate.shape, up.shape) {
		panic(shapeErr(op, "gate and up must have the same shape", gate, up))
	}
	return gate.Clone()
}

const actGrain = 16384 // elements per parallel chunk of an activation

func unary(op string, x *Tensor, f func([]float32)) *Tensor {
	x.wantF32(op)
	out := x.Clone()
	parallelSlices(out.f32, nil, func(d, _ []float32) { f(d) })
	return out
}

func unaryInPlace(op string, x *Tensor, f func([]float32)) {
	parallelSlices(x.wantF32(op), nil, func(d, _ []float32) { f(d) })
}

// parallelSlices calls fn on matching chunks of d and (when not nil) u.
func parallelSlices(d, u []float32, fn func(d, u []float32)) {
	parFor(len(d), actGrain, func(lo, hi int) {
		if u == nil {
			fn(d[lo:hi], nil)
			return
		}
		fn(d[lo:hi], u[lo:hi])
	})
}

func geluSlice(d []float32) {
	for i, v := range d {
		x := float64(v)
		d[i] = float32(0.5 * x * (1 + math.Erf(x/math.Sqrt2)))
	}
}

// geluTanhSlice uses 0.5·(1 + tanh(u)) = σ(2u), which stays accurate for
// every u with a float32 exponential.
func geluTanhSlice(d []float32) {
	for i, x := range d {
		u := sqrt2OverPi * (x + 0.044715*x*x*x)
		d[i] = x / (1 + expf(-2*u))
	}
}

func siluSlice(d []float32) {
	for i, v := range d {
		d[i] = v / (1 + expf(-v))
	}
}

func quickGELUSlice(d []float32) {
	for i, v := range d {
		d[i] = v / (1 + expf(-1.702*v))
	}
}

func reluSlice(d []float32) {
	for i, v := range d {
		if !(v > 0) {
			d[i] = 0
		}
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
	unaryInPlace("SoftcapInPlace", x, func(d []float32) {
		for i, v := range d {
			d[i] = cap * float32(math.Tanh(float64(v/cap)))
		}
	})
}
