//go:build amd64 && !purego && gc

#include "textflag.h"

// Integer row reductions of MatVecQ (see quant.go). One 32-value block at a
// time: the block's integer dot product Σ q·Q lands in Y5 as eight int32
// partial sums, is scaled by the activation block's step and summed per
// weight group; each group then adds scale·Σ + bias·Σx.
//
// Registers: SI weights, R10 activation values, R11 activation steps,
// R12 activation block sums, R8 scales, R9 biases, CX groups left,
// DX blocks per group, Y8 vector total, X9 bias total, Y7 group sum,
// X10 group Σx, Y14 int16 ones, Y15 0x0f bytes.

DATA qConsts<>+0(SB)/4, $0x00010001
DATA qConsts<>+4(SB)/4, $0x0f0f0f0f
GLOBL qConsts<>(SB), RODATA|NOPTR, $8

// Q4_UNPACK widens the 16 bytes at SI into 32 values 0..15 in element order
// in Y3 (low nibble first).
#define Q4_UNPACK \
	VMOVDQU     (SI), X1      \
	VPSRLW      $4, X1, X2    \
	VPAND       X15, X1, X1   \
	VPAND       X15, X2, X2   \
	VPUNPCKLBW  X2, X1, X3    \
	VPUNPCKHBW  X2, X1, X4    \
	VINSERTI128 $1, X4, Y3, Y3

#define Q4_AVX2 \
	Q4_UNPACK                 \
	VPMADDUBSW (R10), Y3, Y5  \
	VPMADDWD   Y14, Y5, Y5

#define Q4_VNNI \
	Q4_UNPACK                 \
	VPXORD   Y5, Y5, Y5       \
	VPDPBUSD (R10), Y3, Y5

#define Q8_AVX2 \
	VPMOVZXBW (SI), Y3         \
	VPMOVZXBW 16(SI), Y4       \
	VPMOVSXBW (R10), Y1        \
	VPMOVSXBW 16(R10), Y2      \
	VPMADDWD  Y1, Y3, Y5       \
	VPMADDWD  Y2, Y4, Y4       \
	VPADDD    Y4, Y5, Y5

#define Q8_VNNI \
	VMOVDQU  (SI), Y3         \
	VPXORD   Y5, Y5, Y5       \
	VPDPBUSD (R10), Y3, Y5

// QROW is the group/block loop around BLOCK; qbytes is the weight bytes per
// block (16 for Q4, 32 for Q8). The result is left in X0.
#define QROW(BLOCK, qbytes, LG, LB) \
	VPBROADCASTD qConsts<>+0(SB), Y14 \
	VPBROADCASTD qConsts<>+4(SB), Y15 \
	VXORPS Y8, Y8, Y8           \
	VXORPS X9, X9, X9           \
LG:                             \
	VXORPS Y7, Y7, Y7           \
	VXORPS X10, X10, X10        \
	MOVQ   DX, BX               \
LB:                             \
	BLOCK                       \
	VCVTDQ2PS    Y5, Y5         \
	VBROADCASTSS (R11), Y6      \
	VFMADD231PS  Y6, Y5, Y7     \
	VADDSS       (R12), X10, X10 \
	ADDQ   $qbytes, SI          \
	ADDQ   $32, R10             \
	ADDQ   $4, R11              \
	ADDQ   $4, R12              \
	DECQ   BX                   \
	JNZ    LB                   \
	VBROADCASTSS (R8), Y6       \
	VFMADD231PS  Y6, Y7, Y8     \
	VMOVSS       (R9), X6       \
	VFMADD231SS  X6, X10, X9    \
	ADDQ   $4, R8               \
	ADDQ   $4, R9               \
	DECQ   CX                   \
	JNZ    LG                   \
	VEXTRACTF128 $1, Y8, X1     \
	VADDPS       X1, X8, X0     \
	VSHUFPS      $0x4E, X0, X0, X1 \
	VADDPS       X1, X0, X0     \
	VSHUFPS      $0xB1, X0, X0, X1 \
	VADDPS       X1, X0, X0     \
	VADDSS       X9, X0, X0

// func qdotQ4AVX2(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32
TEXT ·qdotQ4AVX2(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ bpg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ xsum+56(FP), R12
	QROW(Q4_AVX2, 16, q4a_g, q4a_b)
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// func qdotQ8AVX2(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32
TEXT ·qdotQ8AVX2(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ bpg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ xsum+56(FP), R12
	QROW(Q8_AVX2, 32, q8a_g, q8a_b)
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// func qdotQ4VNNI(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32
TEXT ·qdotQ4VNNI(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ bpg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ xsum+56(FP), R12
	QROW(Q4_VNNI, 16, q4v_g, q4v_b)
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// func qdotQ8VNNI(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32
TEXT ·qdotQ8VNNI(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ bpg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ xsum+56(FP), R12
	QROW(Q8_VNNI, 32, q8v_g, q8v_b)
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// Float row reductions for MatVec on quantized weights (no activation
// quantization): per group, scale·Σ q·x + bias·gsum, with gsum = Σx of the
// group computed once per call by the caller. Sixteen values a step (two
// accumulators) on AVX2. Registers: DI x, SI weights, R8 scales, R9 biases,
// R12 gsum, CX groups left, DX steps per group, Y6/Y7 group Σq·x, Y8 total,
// X9 bias total.

DATA qShifts<>+0(SB)/4, $0
DATA qShifts<>+4(SB)/4, $4
DATA qShifts<>+8(SB)/4, $8
DATA qShifts<>+12(SB)/4, $12
DATA qShifts<>+16(SB)/4, $16
DATA qShifts<>+20(SB)/4, $20
DATA qShifts<>+24(SB)/4, $24
DATA qShifts<>+28(SB)/4, $28
DATA qShifts<>+32(SB)/4, $0x0f
GLOBL qShifts<>(SB), RODATA|NOPTR, $36

// Q4F_LOAD widens the eight nibbles of the word at SI to float32 in Y0.
#define Q4F_LOAD \
	VPBROADCASTD (SI), Y0  \
	VPSRLVD      Y13, Y0, Y0 \
	VPAND        Y12, Y0, Y0 \
	VCVTDQ2PS    Y0, Y0      \
	ADDQ         $4, SI

#define Q8F_LOAD \
	VPMOVZXBD (SI), Y0 \
	VCVTDQ2PS Y0, Y0   \
	ADDQ      $8, SI

#define QFROW(LOAD, LG, LB) \
	VMOVDQU      qShifts<>+0(SB), Y13 \
	VPBROADCASTD qShifts<>+32(SB), Y12 \
	VXORPS Y8, Y8, Y8      \
	VXORPS X9, X9, X9      \
	SHRQ   $3, DX          \
LG:                        \
	VXORPS Y6, Y6, Y6      \
	VXORPS Y7, Y7, Y7      \
	MOVQ   DX, BX          \
	SHRQ   $1, BX          \
LB:                        \
	LOAD                   \
	VFMADD231PS (DI), Y0, Y6 \
	LOAD                   \
	VFMADD231PS 32(DI), Y0, Y7 \
	ADDQ   $64, DI         \
	DECQ   BX              \
	JNZ    LB              \
	VADDPS       Y7, Y6, Y6 \
	VBROADCASTSS (R8), Y2  \
	VFMADD231PS  Y2, Y6, Y8 \
	VMOVSS       (R9), X3  \
	VFMADD231SS  (R12), X3, X9 \
	ADDQ   $4, R8          \
	ADDQ   $4, R9          \
	ADDQ   $4, R12         \
	DECQ   CX              \
	JNZ    LG              \
	VEXTRACTF128 $1, Y8, X1 \
	VADDPS       X1, X8, X0 \
	VSHUFPS      $0x4E, X0, X0, X1 \
	VADDPS       X1, X0, X0 \
	VSHUFPS      $0xB1, X0, X0, X1 \
	VADDPS       X1, X0, X0 \
	VADDSS       X9, X0, X0

// func dotQ4FAVX2(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32
TEXT ·dotQ4FAVX2(SB), NOSPLIT, $0-60
	MOVQ x+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ gsum+32(FP), R12
	MOVQ ngroups+40(FP), CX
	MOVQ groupSize+48(FP), DX
	QFROW(Q4F_LOAD, q4f_g, q4f_b)
	VMOVSS X0, ret+56(FP)
	VZEROUPPER
	RET

// func dotQ8FAVX2(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32
TEXT ·dotQ8FAVX2(SB), NOSPLIT, $0-60
	MOVQ x+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ gsum+32(FP), R12
	MOVQ ngroups+40(FP), CX
	MOVQ groupSize+48(FP), DX
	QFROW(Q8F_LOAD, q8f_g, q8f_b)
	VMOVSS X0, ret+56(FP)
	VZEROUPPER
	RET

// Paired-block integer reductions for group sizes that are multiples of 64:
// two 32-value blocks per step against ActQ8's derived layouts (q4 pair
// order for Q4, natural order for Q8), activation steps as per-lane vectors
// (s4 / s8), and per-group Σx from gsum2 / gsum4.
// Registers: SI weights, R10 activation values, R11 activation step
// vectors, R12 group sums, R8 scales, R9 biases, CX groups left, DX pairs
// per group, Y7/Z7 group sum, Y8/Z8 total, X9 bias total.

// Q4 pair, AVX2: u4×s8 products cannot saturate int16, so lo and hi add as
// words before widening.
#define Q4P_AVX2 \
	VMOVDQU    (SI), Y1        \
	VPSRLW     $4, Y1, Y2      \
	VPAND      Y15, Y1, Y1     \
	VPAND      Y15, Y2, Y2     \
	VPMADDUBSW (R10), Y1, Y3   \
	VPMADDUBSW 32(R10), Y2, Y4 \
	VPADDW     Y4, Y3, Y3      \
	VPMADDWD   Y14, Y3, Y5     \
	VCVTDQ2PS  Y5, Y5          \
	VFMADD231PS (R11), Y5, Y7

#define Q8P_VNNI \
	VMOVDQU64 (SI), Z1        \
	VPXORD    Z5, Z5, Z5      \
	VPDPBUSD  (R10), Z1, Z5   \
	VCVTDQ2PS Z5, Z5          \
	VFMADD231PS (R11), Z5, Z7

// QPROW is the group/pair loop; V is Y or Z (register width), qbytes and
// sbytes the weight and step-vector bytes per pair.
#define QPROW(PAIR, ACC, TOT, qbytes, sbytes, LG, LP) \
	VPBROADCASTD qConsts<>+0(SB), Y14 \
	VPBROADCASTD qConsts<>+4(SB), Y15 \
	VPXORD TOT, TOT, TOT        \
	VXORPS X9, X9, X9           \
LG:                             \
	VPXORD ACC, ACC, ACC        \
	MOVQ   DX, BX               \
LP:                             \
	PAIR                        \
	ADDQ   $qbytes, SI          \
	ADDQ   $64, R10             \
	ADDQ   $sbytes, R11         \
	DECQ   BX                   \
	JNZ    LP                   \
	VFMADD231PS.BCST (R8), ACC, TOT \
	VMOVSS      (R9), X6        \
	VFMADD231SS (R12), X6, X9   \
	ADDQ   $4, R8               \
	ADDQ   $4, R9               \
	ADDQ   $4, R12              \
	DECQ   CX                   \
	JNZ    LG

// QP_HSUM_Y8 leaves Σ Y8 + X9 in X0.
#define QP_HSUM_Y8 \
	VEXTRACTF128 $1, Y8, X1     \
	VADDPS       X1, X8, X0     \
	VSHUFPS      $0x4E, X0, X0, X1 \
	VADDPS       X1, X0, X0     \
	VSHUFPS      $0xB1, X0, X0, X1 \
	VADDPS       X1, X0, X0     \
	VADDSS       X9, X0, X0

// func qdotQ4PairAVX2(q *uint32, scales, biases *float32, ngroups, ppg int, xq *int8, xs, gsum *float32) float32
TEXT ·qdotQ4PairAVX2(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ ppg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ gsum+56(FP), R12
	VPBROADCASTD qConsts<>+0(SB), Y14
	VPBROADCASTD qConsts<>+4(SB), Y15
	VXORPS Y8, Y8, Y8
	VXORPS X9, X9, X9

q4pa_g:
	PREFETCHT0 1024(SI)
	PREFETCHT0 256(R8)
	PREFETCHT0 256(R9)
	VXORPS Y7, Y7, Y7
	MOVQ   DX, BX

q4pa_p:
	Q4P_AVX2
	ADDQ $32, SI
	ADDQ $64, R10
	ADDQ $32, R11
	DECQ BX
	JNZ  q4pa_p
	VBROADCASTSS (R8), Y6
	VFMADD231PS  Y6, Y7, Y8
	VMOVSS       (R9), X6
	VFMADD231SS  (R12), X6, X9
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R12
	DECQ CX
	JNZ  q4pa_g
	QP_HSUM_Y8
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// func qdotQ8PairVNNI(q *uint32, scales, biases *float32, ngroups, ppg int, xq *int8, xs, gsum *float32) float32
TEXT ·qdotQ8PairVNNI(SB), NOSPLIT, $0-68
	MOVQ q+0(FP), SI
	MOVQ scales+8(FP), R8
	MOVQ biases+16(FP), R9
	MOVQ ngroups+24(FP), CX
	MOVQ ppg+32(FP), DX
	MOVQ xq+40(FP), R10
	MOVQ xs+48(FP), R11
	MOVQ gsum+56(FP), R12
	QPROW(Q8P_VNNI, Z7, Z8, 64, 64, q8pv_g, q8pv_p)
	VEXTRACTF64X4 $1, Z8, Y1
	VADDPS        Y1, Y8, Y8
	QP_HSUM_Y8
	VMOVSS X0, ret+64(FP)
	VZEROUPPER
	RET

// AVX-512 float row reductions: sixteen values a step. QFROW512 prefetches
// the weights 1 KiB and the scales and biases 256 B ahead, once per group.

#define Q8F_LOAD16 \
	VPMOVZXBD (SI), Z0 \
	VCVTDQ2PS Z0, Z0   \
	ADDQ      $16, SI

#define QFROW512(LOAD, LG, LB) \
	VPXORD Z8, Z8, Z8      \
	VPXORD Z9, Z9, Z9      \
	VXORPS X10, X10, X10   \
	SHRQ   $5, DX          \
LG:                        \
	PREFETCHT0 1024(SI)    \
	PREFETCHT0 256(R8)     \
	PREFETCHT0 256(R9)     \
	VPXORD Z6, Z6, Z6      \
	VPXORD Z7, Z7, Z7      \
	MOVQ   DX, BX          \
LB:                        \
	LOAD                   \
	VFMADD231PS (DI), Z0, Z6 \
	LOAD                   \
	VFMADD231PS 64(DI), Z0, Z7 \
	ADDQ   $128, DI        \
	DECQ   BX              \
	JNZ    LB              \
	VFMADD231PS.BCST (R8), Z6, Z8 \
	VFMADD231PS.BCST (R8), Z7, Z9 \
	VMOVSS       (R9), X3  \
	VFMADD231SS  (R12), X3, X10 \
	ADDQ   $4, R8          \
	ADDQ   $4, R9          \
	ADDQ   $4, R12         \
	DECQ   CX              \
	JNZ    LG              \
	VADDPS        Z9, Z8, Z8 \
	VEXTRACTF64X4 $1, Z8, Y1 \
	VADDPS        Y1, Y8, Y8 \
	VEXTRACTF128  $1, Y8, X1 \
	VADDPS        X1, X8, X0 \
	VSHUFPS       $0x4E, X0, X0, X1 \
	VADDPS        X1, X0, X0 \
	VSHUFPS       $0xB1, X0, X0, X1 \
	VADDPS        X1, X0, X0 \
	VADDSS        X10, X0, X0

// func dotQ8FAVX512(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32
TEXT ·dotQ8FAVX512(SB), NOSPLIT, $0-60
	MOVQ x+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ gsum+32(FP), R12
	MOVQ ngroups+40(FP), CX
	MOVQ groupSize+48(FP), DX
	QFROW512(Q8F_LOAD16, q8z_g, q8z_b)
	VMOVSS X0, ret+56(FP)
	VZEROUPPER
	RET

// Group dequantization for GEMM packing: dst = scale·q + bias over whole
// groups, eight values a step. Registers: DI dst, SI weights, R8 scales,
// R9 biases, CX groups left, DX steps per group.
#define DEQROW(LOAD, LG, LB) \
	VMOVDQU      qShifts<>+0(SB), Y13 \
	VPBROADCASTD qShifts<>+32(SB), Y12 \
	SHRQ   $3, DX          \
LG:                        \
	VBROADCASTSS (R8), Y6  \
	VBROADCASTSS (R9), Y7  \
	MOVQ   DX, BX          \
LB:                        \
	LOAD                   \
	VFMADD213PS Y7, Y6, Y0 \
	VMOVUPS Y0, (DI)       \
	ADDQ   $32, DI         \
	DECQ   BX              \
	JNZ    LB              \
	ADDQ   $4, R8          \
	ADDQ   $4, R9          \
	DECQ   CX              \
	JNZ    LG              \
	VZEROUPPER

// func dequantQ4AVX2(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)
TEXT ·dequantQ4AVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ ngroups+32(FP), CX
	MOVQ groupSize+40(FP), DX
	DEQROW(Q4F_LOAD, dq4_g, dq4_b)
	RET

// func dequantQ8AVX2(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)
TEXT ·dequantQ8AVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ ngroups+32(FP), CX
	MOVQ groupSize+40(FP), DX
	DEQROW(Q8F_LOAD, dq8_g, dq8_b)
	RET

// Q4 float row reduction against x in pair-split order (see permuteQ4X):
// each 16 bytes of weights hold 32 values, byte j the values 2j (low
// nibble) and 2j+1 (high nibble), and xp holds the block's even-index x
// first, then its odd-index x. So one VPMOVZXBD gives sixteen bytes as
// dwords, their low nibbles are the even values and (after a shift) their
// high nibbles the odd ones, with no cross-lane permute of the weights; a VPERMPS table lookup turns each
// nibble into its float32. Software prefetch of the weights 1 KiB ahead
// (and of scales and biases) lets the row stream at memory speed; without
// it the loop and the hardware prefetcher did not overlap (62 % of read
// bandwidth against 88-94 %). Registers as QFROW512, Z11 the table.

// nibbleF32 is the float32 value of each nibble, 0 to 15: VPERMPS with a
// byte's dword as index looks up its low nibble, conversion included.
DATA nibbleF32<>+0(SB)/4, $0.0
DATA nibbleF32<>+4(SB)/4, $1.0
DATA nibbleF32<>+8(SB)/4, $2.0
DATA nibbleF32<>+12(SB)/4, $3.0
DATA nibbleF32<>+16(SB)/4, $4.0
DATA nibbleF32<>+20(SB)/4, $5.0
DATA nibbleF32<>+24(SB)/4, $6.0
DATA nibbleF32<>+28(SB)/4, $7.0
DATA nibbleF32<>+32(SB)/4, $8.0
DATA nibbleF32<>+36(SB)/4, $9.0
DATA nibbleF32<>+40(SB)/4, $10.0
DATA nibbleF32<>+44(SB)/4, $11.0
DATA nibbleF32<>+48(SB)/4, $12.0
DATA nibbleF32<>+52(SB)/4, $13.0
DATA nibbleF32<>+56(SB)/4, $14.0
DATA nibbleF32<>+60(SB)/4, $15.0
GLOBL nibbleF32<>(SB), RODATA|NOPTR, $64

// func dotQ4PAVX512(xp *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32
TEXT ·dotQ4PAVX512(SB), NOSPLIT, $0-60
	MOVQ xp+0(FP), DI
	MOVQ q+8(FP), SI
	MOVQ scales+16(FP), R8
	MOVQ biases+24(FP), R9
	MOVQ gsum+32(FP), R12
	MOVQ ngroups+40(FP), CX
	MOVQ groupSize+48(FP), DX
	VMOVUPS nibbleF32<>(SB), Z11
	VPXORD  Z8, Z8, Z8
	VPXORD  Z9, Z9, Z9
	VXORPS  X10, X10, X10
	SHRQ    $5, DX

q4p_g:
	PREFETCHT0 1024(SI)
	PREFETCHT0 256(R8)
	PREFETCHT0 256(R9)
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	MOVQ   DX, BX

q4p_b:
	VPMOVZXBD   (SI), Z0
	VPSRLD      $4, Z0, Z1
	VPERMPS     Z11, Z0, Z0
	VPERMPS     Z11, Z1, Z1
	VFMADD231PS (DI), Z0, Z6
	VFMADD231PS 64(DI), Z1, Z7
	ADDQ        $16, SI
	ADDQ        $128, DI
	DECQ        BX
	JNZ         q4p_b
	VFMADD231PS.BCST (R8), Z6, Z8
	VFMADD231PS.BCST (R8), Z7, Z9
	VMOVSS      (R9), X3
	VFMADD231SS (R12), X3, X10
	ADDQ        $4, R8
	ADDQ        $4, R9
	ADDQ        $4, R12
	DECQ        CX
	JNZ         q4p_g
	VADDPS        Z9, Z8, Z8
	VEXTRACTF64X4 $1, Z8, Y1
	VADDPS        Y1, Y8, Y8
	VEXTRACTF128  $1, Y8, X1
	VADDPS        X1, X8, X0
	VSHUFPS       $0x4E, X0, X0, X1
	VADDPS        X1, X0, X0
	VSHUFPS       $0xB1, X0, X0, X1
	VADDPS        X1, X0, X0
	VADDSS        X10, X0, X0
	VMOVSS        X0, ret+56(FP)
	VZEROUPPER
	RET
