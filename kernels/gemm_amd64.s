//go:build amd64 && !purego && gc

#include "textflag.h"

// ---- AVX2 + FMA: 6×16 tile, accumulators Y4..Y15 (row i in Y(4+2i), Y(5+2i)).

#define AVX2_ROW(aoff, bc, c0, c1) \
	VBROADCASTSS aoff(SI), bc \
	VFMADD231PS  Y0, bc, c0   \
	VFMADD231PS  Y1, bc, c1

#define AVX2_STEP(aoff, boff) \
	VMOVUPS boff(DI), Y0                \
	VMOVUPS boff+32(DI), Y1             \
	AVX2_ROW(aoff, Y2, Y4, Y5)          \
	AVX2_ROW(aoff+4, Y3, Y6, Y7)        \
	AVX2_ROW(aoff+8, Y2, Y8, Y9)        \
	AVX2_ROW(aoff+12, Y3, Y10, Y11)     \
	AVX2_ROW(aoff+16, Y2, Y12, Y13)     \
	AVX2_ROW(aoff+20, Y3, Y14, Y15)

#define AVX2_STORE(c0, c1) \
	TESTB   AL, AL         \
	JZ      3(PC)          \
	VADDPS  (R9), c0, c0   \
	VADDPS  32(R9), c1, c1 \
	VMOVUPS c0, (R9)       \
	VMOVUPS c1, 32(R9)     \
	ADDQ    R8, R9

// func gemmMicroAVX2(kc int, a, b, c *float32, ldc int, acc bool)
TEXT ·gemmMicroAVX2(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), R9
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	VXORPS Y12, Y12, Y12
	VXORPS Y13, Y13, Y13
	VXORPS Y14, Y14, Y14
	VXORPS Y15, Y15, Y15
	MOVQ CX, DX
	SHRQ $2, DX
	JZ   avx2tail

avx2loop4:
	PREFETCHT0 256(SI)
	AVX2_STEP(0, 0)
	AVX2_STEP(24, 64)
	PREFETCHT0 512(DI)
	AVX2_STEP(48, 128)
	AVX2_STEP(72, 192)
	ADDQ $96, SI
	ADDQ $256, DI
	DECQ DX
	JNZ  avx2loop4

avx2tail:
	ANDQ $3, CX
	JZ   avx2store

avx2loop1:
	AVX2_STEP(0, 0)
	ADDQ $24, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  avx2loop1

avx2store:
	MOVBLZX acc+40(FP), AX
	AVX2_STORE(Y4, Y5)
	AVX2_STORE(Y6, Y7)
	AVX2_STORE(Y8, Y9)
	AVX2_STORE(Y10, Y11)
	AVX2_STORE(Y12, Y13)
	AVX2_STORE(Y14, Y15)
	VZEROUPPER
	RET

// ---- AVX-512: 8×48 tile, accumulators Z0..Z23 (row i in Z(3i)..Z(3i+2)),
// B rows in Z24..Z26, A broadcasts in Z30/Z31.

#define Z_ROW(aoff, bc, c0, c1, c2) \
	VBROADCASTSS aoff(SI), bc \
	VFMADD231PS  Z24, bc, c0  \
	VFMADD231PS  Z25, bc, c1  \
	VFMADD231PS  Z26, bc, c2

#define Z_STEP(aoff, boff) \
	VMOVUPS boff(DI), Z24                \
	VMOVUPS boff+64(DI), Z25             \
	VMOVUPS boff+128(DI), Z26            \
	Z_ROW(aoff, Z30, Z0, Z1, Z2)         \
	Z_ROW(aoff+4, Z31, Z3, Z4, Z5)       \
	Z_ROW(aoff+8, Z30, Z6, Z7, Z8)       \
	Z_ROW(aoff+12, Z31, Z9, Z10, Z11)    \
	Z_ROW(aoff+16, Z30, Z12, Z13, Z14)   \
	Z_ROW(aoff+20, Z31, Z15, Z16, Z17)   \
	Z_ROW(aoff+24, Z30, Z18, Z19, Z20)   \
	Z_ROW(aoff+28, Z31, Z21, Z22, Z23)

#define Z_STORE(c0, c1, c2) \
	TESTB   AL, AL          \
	JZ      4(PC)           \
	VADDPS  (R9), c0, c0    \
	VADDPS  64(R9), c1, c1  \
	VADDPS  128(R9), c2, c2 \
	VMOVUPS c0, (R9)        \
	VMOVUPS c1, 64(R9)      \
	VMOVUPS c2, 128(R9)     \
	ADDQ    R8, R9

// func gemmMicroAVX512(kc int, a, b, c *float32, ldc int, acc bool)
TEXT ·gemmMicroAVX512(SB), NOSPLIT, $0-41
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DI
	MOVQ c+24(FP), R9
	MOVQ ldc+32(FP), R8
	SHLQ $2, R8
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	VPXORD Z16, Z16, Z16
	VPXORD Z17, Z17, Z17
	VPXORD Z18, Z18, Z18
	VPXORD Z19, Z19, Z19
	VPXORD Z20, Z20, Z20
	VPXORD Z21, Z21, Z21
	VPXORD Z22, Z22, Z22
	VPXORD Z23, Z23, Z23
	MOVQ CX, DX
	SHRQ $2, DX
	JZ   zTail

zLoop4:
	PREFETCHT0 512(SI)
	PREFETCHT0 1536(DI)
	Z_STEP(0, 0)
	PREFETCHT0 1600(DI)
	Z_STEP(32, 192)
	PREFETCHT0 1664(DI)
	Z_STEP(64, 384)
	Z_STEP(96, 576)
	ADDQ $128, SI
	ADDQ $768, DI
	DECQ DX
	JNZ  zLoop4

zTail:
	ANDQ $3, CX
	JZ   zStore

zLoop1:
	Z_STEP(0, 0)
	ADDQ $32, SI
	ADDQ $192, DI
	DECQ CX
	JNZ  zLoop1

zStore:
	MOVBLZX acc+40(FP), AX
	Z_STORE(Z0, Z1, Z2)
	Z_STORE(Z3, Z4, Z5)
	Z_STORE(Z6, Z7, Z8)
	Z_STORE(Z9, Z10, Z11)
	Z_STORE(Z12, Z13, Z14)
	Z_STORE(Z15, Z16, Z17)
	Z_STORE(Z18, Z19, Z20)
	Z_STORE(Z21, Z22, Z23)
	VZEROUPPER
	RET

// ---- 8×8 transposing copy for packing (AVX).

// func transpose8AVX(dst *float32, dstStride int, src *float32, srcStride int, kc int)
TEXT ·transpose8AVX(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ dstStride+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ srcStride+24(FP), R9
	MOVQ kc+32(FP), CX
	SHLQ $2, R8
	SHLQ $2, R9
	SHRQ $3, CX
	JZ   tdone
	LEAQ (R9)(R9*2), R10 // 3 source rows
	LEAQ (R8)(R8*2), R11 // 3 destination rows

tloop:
	MOVQ    SI, AX
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R9*1), Y1
	VMOVUPS (AX)(R9*2), Y2
	VMOVUPS (AX)(R10*1), Y3
	LEAQ    (AX)(R9*4), AX
	VMOVUPS (AX), Y4
	VMOVUPS (AX)(R9*1), Y5
	VMOVUPS (AX)(R9*2), Y6
	VMOVUPS (AX)(R10*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	MOVQ    DI, AX
	VMOVUPS Y8, (AX)
	VMOVUPS Y9, (AX)(R8*1)
	VMOVUPS Y10, (AX)(R8*2)
	VMOVUPS Y11, (AX)(R11*1)
	LEAQ    (AX)(R8*4), AX
	VMOVUPS Y12, (AX)
	VMOVUPS Y13, (AX)(R8*1)
	VMOVUPS Y14, (AX)(R8*2)
	VMOVUPS Y15, (AX)(R11*1)
	ADDQ    $32, SI
	LEAQ    (DI)(R8*8), DI
	DECQ    CX
	JNZ     tloop

tdone:
	VZEROUPPER
	RET
