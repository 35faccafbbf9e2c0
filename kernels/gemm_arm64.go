//go:build arm64 && !purego && gc

package kernels

// gemmMicroNEON is the 8×12 NEON micro-kernel (see gemm_amd64.go for the
// loop it computes).
//
//go:noescape
func gemmMicroNEON(kc int, a, b, c *float32, ldc int, acc bool)

var gemmArchNEON = microKernel{mr: 8, nr: 12, kc: 256, mc: 8 * 16, nc: 12 * 128, fn: gemmMicroNEON, smallM: 16, ntMinM: 17, nnMinM: 17} // crossover not measured on arm64 hardware
