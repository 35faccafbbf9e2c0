//go:build amd64 && !purego && gc

package kernels

// dotAVX2 and dotAVX512 return Σ x[i]*y[i] for i < n:
//
//	for i := 0; i < n; i++ {
//		s += x[i] * y[i]
//	}
//
//go:noescape
func dotAVX2(x, y *float32, n int) float32

//go:noescape
func dotAVX512(x, y *float32, n int) float32

// axpyAVX2 and axpyAVX512 compute y[i] += alpha*x[i] for i < n (fused).
//
//go:noescape
func axpyAVX2(alpha float32, x, y *float32, n int)

//go:noescape
func axpyAVX512(alpha float32, x, y *float32, n int)

// dotF16AVX2/AVX512 return Σ x[i]*f16(h[i]); dotBF16AVX2/AVX512 the same for
// bfloat16 weights:
//
//	for i := 0; i < n; i++ {
//		s += x[i] * f16ToF32(h[i])
//	}
//
//go:noescape
func dotF16AVX2(x *float32, h *uint16, n int) float32

//go:noescape
func dotF16AVX512(x *float32, h *uint16, n int) float32

//go:noescape
func dotBF16AVX2(x *float32, h *uint16, n int) float32

func dotF32With(f func(x, y *float32, n int) float32) func(x, y []float32) float32 {
	return func(x, y []float32) float32 {
		if len(x) == 0 {
			return 0
		}
		_ = y[len(x)-1]
		return f(&x[0], &y[0], len(x))
	}
}

func axpyF32With(f func(alpha float32, x, y *float32, n int)) func(alpha float32, x, y []float32) {
	return func(alpha float32, x, y []float32) {
		if len(x) == 0 {
			return
		}
		_ = y[len(x)-1]
		f(alpha, &x[0], &y[0], len(x))
	}
}

func dotHalfWith(f func(x *float32, h *uint16, n int) float32) func(x []float32, h []uint16) float32 {
	return func(x []float32, h []uint16) float32 {
		if len(h) == 0 {
			return 0
		}
		_ = x[len(h)-1]
		return f(&x[0], &h[0], len(h))
	}
}
