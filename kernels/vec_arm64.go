//go:build arm64 && !purego && gc

package kernels

import "math"

// dotNEON returns Σ x[i]*y[i] for i < n, n a positive multiple of 16.
//
//go:noescape
func dotNEON(x, y *float32, n int) float32

// axpyNEON computes y[i] += alpha*x[i] for i < n, n a positive multiple of 16.
//
//go:noescape
func axpyNEON(alpha float32, x, y *float32, n int)

// dotF16NEON and dotBF16NEON return Σ x[i]*float32(h[i]) for i < n, n a
// positive multiple of 16.
//
//go:noescape
func dotF16NEON(x *float32, h *uint16, n int) float32

//go:noescape
func dotBF16NEON(x *float32, h *uint16, n int) float32

// The slice adapters run whole blocks of 16 in assembly and the tail in Go.

func dotF32NEON(x, y []float32) float32 {
	n := len(x) &^ 15
	var s float32
	if n > 0 {
		_ = y[n-1]
		s = dotNEON(&x[0], &y[0], n)
	}
	return s + DotF32Ref(x[n:], y[n:len(x)])
}

func axpyF32NEON(alpha float32, x, y []float32) {
	n := len(x) &^ 15
	if n > 0 {
		_ = y[n-1]
		axpyNEON(alpha, &x[0], &y[0], n)
	}
	AxpyF32Ref(alpha, x[n:], y[n:len(x)])
}

func dotHalfNEON(f func(x *float32, h *uint16, n int) float32, widen func(uint16) float32) func(x []float32, h []uint16) float32 {
	return func(x []float32, h []uint16) float32 {
		n := len(h) &^ 15
		var s float32
		if n > 0 {
			_ = x[n-1]
			s = f(&x[0], &h[0], n)
		}
		for i := n; i < len(h); i++ {
			s += x[i] * widen(h[i])
		}
		return s
	}
}

func bf16ToF32(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
