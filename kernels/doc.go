// Package kernels holds govlm's hot loops: raw loops over slices of float32,
// half-precision words and packed quantized blocks.
//
// Kernels start no goroutines and trust their callers: the tensor package
// validates shapes and splits work across cores, then calls a kernel on each
// piece. They allocate nothing in steady state (GEMM packing buffers come
// from a sync.Pool; ActQ8 grows only when a longer row arrives). Every
// exported kernel has a pure-Go reference twin (the *Ref functions in ref.go
// and quant.go) that is the specification.
//
// # Tiers
//
// The dispatch variables in kernels.go point at one implementation tier,
// chosen once at start-up from the CPU's features (klauspost/cpuid):
//
//   - TierAVX512 (amd64, AVX-512 F/BW/VL/DQ; VNNI used when present)
//   - TierAVX2 (amd64, AVX2 + FMA + F16C)
//   - TierNEON (arm64; SDOT for MatVecQ where FEAT_DotProd exists). The
//     narrowing conversions F32ToF16 and F32ToBF16 stay in Go there.
//   - TierGeneric: portable Go, the only tier under the build tag purego or
//     on other architectures. It uses the references for conversions, dot
//     and axpy, allocation-free Go drivers for MatVec, MatVecQ and the GEMMs,
//     and a float32 polynomial exp for the row operations. (So purego means
//     "no assembly"; call the *Ref functions for the references themselves.)
//
// SetTier switches tiers (tests and benchmarks run every tier in Tiers()).
// Each tier's files come in a family: x_amd64.go (declarations, with the
// reference loop in the doc comment) + x_amd64.s, x_arm64.go + x_arm64.s,
// with build tags that exclude purego and non-gc compilers. NEON
// instructions Go's assembler lacks are WORD-encoded with the instruction in
// a comment; kernels/_gen/armword (its own module) re-encodes every comment
// and checks the words.
//
// # GEMM
//
// GemmNT, GemmF32NN and GemmF32NT share one blocked driver (gemm.go): cache
// blocks kc×nc of B are packed into nr-wide panels (converting F16, BF16, Q4
// and Q8 weights to float32 on the way, so prefill runs at the float32
// GEMM's speed for every weight type), blocks mc×kc of A into mr-tall
// panels, and a register-blocked micro-kernel computes mr×nr tiles (8×48 on
// AVX-512, 6×16 on AVX2, 8×12 on NEON). Up to 16 rows of A (decode, short
// prompts) skip packing: float32 weight rows stream through MatVec, other
// formats are converted once per L2-sized row block and reused by every
// row of A.
//
// PackedA packs a block of A once so that GemmNTPacked calls over several
// weight ranges share it (tensor.MatMul's tiles of one row block).
// GemmF32NT and GemmF32NN call DotF32 or AxpyF32 per row of A below a
// per-tier row count (on AVX2/AVX-512 3 and 6 rows: decode attention's
// query heads of one key/value group) and use the micro-kernel above it.
//
// # Quantized decode
//
// MatVec on Q4/Q8 weights dequantizes on the fly in float32. For Q4 on
// AVX-512 it first writes x in pair-split order (each 32 values' even
// indices, then the odd ones), so that a weight byte's low and high nibbles
// meet contiguous halves of x without shuffling. MatVecQ is the
// integer path: QuantizeActQ8 quantizes x once to int8 per 32 values, then
// each row reduces with integer dot products (VPDPBUSD with AVX-512 VNNI,
// VPMADDUBSW/VPMADDWD on AVX2) and applies the affine scale and bias per
// group (SDOT on arm64 with FEAT_DotProd). Its error bound is documented in
// quant.go and checked by the tests.
//
// # Row operations
//
// SoftmaxF32, RMSNormF32, SiLUF32, SiLUMulF32 and GELUTanhF32 (rowops.go)
// are vectorised (AVX2, NEON) with a polynomial exp accurate to a few
// float32 ulps; the generic tier runs the same polynomial in Go.
//
// Layout conventions: matrices are row-major; "NT" means the second operand
// is stored transposed (B is n×k, as Hugging Face stores Linear weights
// [out, in]), so C = A·Bᵀ. Leading dimensions (lda, ldb, ldc) are in
// elements.
//
// Quantized weights use the affine group format of MLX checkpoints: a row of
// k values is split into groups of groupSize; value i of group g is
// scale[g]*q[i] + bias[g], with q an unsigned 4- or 8-bit integer packed
// little-endian into uint32 words (8 nibbles or 4 bytes per word, lowest
// bits first).
package kernels
