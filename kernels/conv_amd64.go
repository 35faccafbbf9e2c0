//go:build amd64 && !purego && gc

package kernels

// Conversions for the AVX2 and AVX-512 tiers (AVX2 + F16C code serves
// both). Each converts n values exactly as the reference loop in ref.go:
//
//	for i := 0; i < n; i++ {
//		dst[i] = f16ToF32(src[i]) // or bf16, or the narrowing direction
//	}

//go:noescape
func f16ToF32AVX2(dst *float32, src *uint16, n int)

//go:noescape
func bf16ToF32AVX2(dst *float32, src *uint16, n int)

//go:noescape
func f32ToF16AVX2(dst *uint16, src *float32, n int)

//go:noescape
func f32ToBF16AVX2(dst *uint16, src *float32, n int)

func widenWith(f func(dst *float32, src *uint16, n int)) func(dst []float32, src []uint16) {
	return func(dst []float32, src []uint16) {
		if len(dst) == 0 {
			return
		}
		_ = src[len(dst)-1]
		f(&dst[0], &src[0], len(dst))
	}
}

func narrowWith(f func(dst *uint16, src *float32, n int)) func(dst []uint16, src []float32) {
	return func(dst []uint16, src []float32) {
		if len(dst) == 0 {
			return
		}
		_ = src[len(dst)-1]
		f(&dst[0], &src[0], len(dst))
	}
}
