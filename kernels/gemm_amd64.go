//go:build amd64 && !purego && gc

package kernels

// The amd64 GEMM micro-kernels. Each computes one register tile
//
//	for p := 0; p < kc; p++ {
//		for i := 0; i < MR; i++ {
//			for j := 0; j < NR; j++ {
//				acc[i][j] += a[p*MR+i] * b[p*NR+j]
//			}
//		}
//	}
//	C[i*ldc+j] = acc[i][j] (+ C[i*ldc+j] when acc)
//
// over packed panels (see gemm.go); kc ≥ 1.

// gemmMicroAVX2 is the 6×16 tile: 12 YMM accumulators, FMA.
//
//go:noescape
func gemmMicroAVX2(kc int, a, b, c *float32, ldc int, acc bool)

// gemmMicroAVX512 is the 8×48 tile: 24 ZMM accumulators.
//
//go:noescape
func gemmMicroAVX512(kc int, a, b, c *float32, ldc int, acc bool)

var gemmArchAVX2 = microKernel{mr: 6, nr: 16, kc: 256, mc: 6 * 24, nc: 16 * 192, fn: gemmMicroAVX2, smallM: 16, ntMinM: 3, nnMinM: 6}

// gemmArchAVX512 takes deep k blocks: with kc = 1024 a 512×896 or 1024²
// operand needs one pass over C instead of four, and the 128×1024 A block
// (512 KiB) and the 1024×48 B micro-panel (192 KiB) both stay in L2. On a 2-core AVX-512 host this measured 5–15 % faster than
// kc 256, mc 320 at 512×896×4864, 1024³ and 512×4864×896.
var gemmArchAVX512 = microKernel{mr: 8, nr: 48, kc: 1024, mc: 8 * 16, nc: 48 * 64, fn: gemmMicroAVX512, smallM: 16, ntMinM: 3, nnMinM: 6}

// transpose8AVX writes dst[p*dstStride+i] = src[i*srcStride+p] for i < 8 and
// p < kc (a multiple of 8), one 8×8 block per step.
//
//go:noescape
func transpose8AVX(dst *float32, dstStride int, src *float32, srcStride int, kc int)
