package kernels

import "math"

// Row operations of the transformer layers: softmax, RMS normalisation and
// the gated activations. The *Ref functions are the specification; the
// dispatch variables (RowOps in kernels.go) point at vectorised versions
// whose exp is a polynomial accurate to a few float32 ulps. Inputs below
// exp's float32 range (x < -87.3) give results within 1.2e-38 of zero
// instead of exactly zero, except in the softmax (see softmaxCut).

// softmaxCut is the score, relative to the row's maximum, below which the
// softmax returns exactly 0. e^-72 ≈ 5.4e-32: dropping such terms cannot
// change a float32 sum of up to 10^23 of them, and every weight that is
// kept stays a normal float32 after the division by a sum of up to 4·10^6
// terms. Subnormal weights would slow the next GEMM about tenfold.
const softmaxCut = -72

// SoftmaxF32Ref replaces x with softmax(x): exp(x[i]-max) / Σ exp(x[j]-max),
// with exactly 0 where x[i]-max < softmaxCut (-Inf among them).
func SoftmaxF32Ref(x []float32) {
	if len(x) == 0 {
		return
	}
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var sum float32
	for i, v := range x {
		var e float32
		if d := v - m; !(d < softmaxCut) {
			e = float32(math.Exp(float64(d)))
		}
		x[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range x {
		x[i] *= inv
	}
}

// RMSNormF32Ref computes dst[i] = x[i] · w[i] / sqrt(mean(x²) + eps). Gemma's
// (1 + w) weights are folded into w by the caller.
func RMSNormF32Ref(dst, x, w []float32, eps float32) {
	if len(x) == 0 {
		return
	}
	var ss float32
	for _, v := range x {
		ss += v * v
	}
	inv := float32(1 / math.Sqrt(float64(ss/float32(len(x))+eps)))
	for i, v := range x {
		dst[i] = v * inv * w[i]
	}
}

// SiLUF32Ref computes dst[i] = x[i] · sigmoid(x[i]) = x[i] / (1 + exp(-x[i])).
func SiLUF32Ref(dst, x []float32) {
	for i, v := range x {
		dst[i] = float32(float64(v) / (1 + math.Exp(-float64(v))))
	}
}

// SiLUMulF32Ref computes dst[i] = silu(gate[i]) · up[i] (the SwiGLU gate).
func SiLUMulF32Ref(dst, gate, up []float32) {
	for i, v := range gate {
		dst[i] = float32(float64(v)/(1+math.Exp(-float64(v)))) * up[i]
	}
}

// GELUTanhF32Ref computes the tanh approximation of GELU,
// dst[i] = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), which equals
// x / (1 + exp(-2·√(2/π)·(x + 0.044715·x³))).
func GELUTanhF32Ref(dst, x []float32) {
	const c = 0.7978845608028654 // √(2/π)
	for i, v := range x {
		u := c * (float64(v) + 0.044715*float64(v)*float64(v)*float64(v))
		dst[i] = float32(float64(v) / (1 + math.Exp(-2*u)))
	}
}
