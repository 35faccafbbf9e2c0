//go:build amd64 && !purego && gc

package kernels

// Vectorised row operations (AVX2 + FMA, also used by the AVX-512 tier).
// Each routine takes n a positive multiple of 8; rowops_simd.go adapts them
// to slices.

// rowMax returns max(x[:n]).
//
//go:noescape
func rowMax(x *float32, n int) float32

// rowExpSubSum sets x[i] = exp(x[i]-sub), exactly 0 where x[i]-sub <
// softmaxCut, and returns Σ x[i].
//
//go:noescape
func rowExpSubSum(x *float32, n int, sub float32) float32

// rowScale sets x[i] *= s.
//
//go:noescape
func rowScale(x *float32, n int, s float32)

// rowMulScale sets dst[i] = x[i]·s·w[i].
//
//go:noescape
func rowMulScale(dst, x, w *float32, n int, s float32)

// rowSwish sets dst[i] = x[i] / (1 + exp(-x[i])), times mul[i] when mul is
// not nil.
//
//go:noescape
func rowSwish(dst, x, mul *float32, n int)

// rowGELUTanh sets dst[i] = x[i] / (1 + exp(-2·√(2/π)·(x[i] + 0.044715·x[i]³))).
//
//go:noescape
func rowGELUTanh(dst, x *float32, n int)
