// Package kernels holds govlm's hot loops: raw loops over slices of float32,
// half-precision words and packed quantized blocks.
//
// Kernels allocate nothing, start no goroutines and trust their callers: the
// tensor package validates shapes and splits work across cores, then calls a
// kernel on each piece. Every exported kernel has a pure-Go reference twin
// (the *Ref functions in ref.go) that is the specification; assembly versions
// for amd64 (AVX2+FMA, AVX-512) and arm64 (NEON) are chosen once at start-up
// from the CPU's features. Building with the tag purego forces the references.
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
