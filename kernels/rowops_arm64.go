//go:build arm64 && !purego && gc

package kernels

// NEON row operations with the signatures of rowops_amd64.go: n is a
// positive multiple of 8; rowops_simd.go adapts them to slices.

//go:noescape
func rowMax(x *float32, n int) float32

//go:noescape
func rowExpSubSum(x *float32, n int, sub float32) float32

//go:noescape
func rowScale(x *float32, n int, s float32)

//go:noescape
func rowMulScale(dst, x, w *float32, n int, s float32)

//go:noescape
func rowSwish(dst, x, mul *float32, n int)

//go:noescape
func rowGELUTanh(dst, x *float32, n int)
