//go:build arm64 && !purego && gc

package kernels

// f16ToF32NEON and bf16ToF32NEON widen n values (n a positive multiple of 8)
// exactly as F16ToF32Ref and BF16ToF32Ref do:
//
//	for i := 0; i < n; i++ {
//		dst[i] = f16ToF32(src[i])
//	}
//
//go:noescape
func f16ToF32NEON(dst *float32, src *uint16, n int)

//go:noescape
func bf16ToF32NEON(dst *float32, src *uint16, n int)

// widenNEON runs whole blocks of 8 in assembly and the rest through ref.
func widenNEON(f func(dst *float32, src *uint16, n int), ref func([]float32, []uint16)) func(dst []float32, src []uint16) {
	return func(dst []float32, src []uint16) {
		n8 := len(dst) &^ 7
		if n8 > 0 {
			_ = src[n8-1]
			f(&dst[0], &src[0], n8)
		}
		ref(dst[n8:], src[n8:])
	}
}
