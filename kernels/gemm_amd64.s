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

// ---- AVX-512: 14×32 tile, accumulators Z0..Z27 (row i in Z(2i), Z(2i+1)),
// B rows in Z28, Z29, A broadcast from memory inside the FMA.

#define Z_ROW(aoff, c0, c1) \
	VFMADD231PS.BCST aoff(SI), Z28, c0 \
	VFMADD231PS.BCST aoff(SI), Z29, c1

#define Z_STEP(aoff, boff) \
	VMOVUPS boff(DI), Z28         \
	VMOVUPS boff+64(DI), Z29      \
	Z_ROW(aoff, Z0, Z1)           \
	Z_ROW(aoff+4, Z2, Z3)         \
	Z_ROW(aoff+8, Z4, Z5)         \
	Z_ROW(aoff+12, Z6, Z7)        \
	Z_ROW(aoff+16, Z8, Z9)        \
	Z_ROW(aoff+20, Z10, Z11)      \
	Z_ROW(aoff+24, Z12, Z13)      \
	Z_ROW(aoff+28, Z14, Z15)      \
	Z_ROW(aoff+32, Z16, Z17)      \
	Z_ROW(aoff+36, Z18, Z19)      \
	Z_ROW(aoff+40, Z20, Z21)      \
	Z_ROW(aoff+44, Z22, Z23)      \
	Z_ROW(aoff+48, Z24, Z25)      \
	Z_ROW(aoff+52, Z26, Z27)

#define Z_STORE(c0, c1) \
	TESTB   AL, AL         \
	JZ      3(PC)          \
	VADDPS  (R9), c0, c0   \
	VADDPS  64(R9), c1, c1 \
	VMOVUPS c0, (R9)       \
	VMOVUPS c1, 64(R9)     \
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
	VPXORD Z24, Z24, Z24
	VPXORD Z25, Z25, Z25
	VPXORD Z26, Z26, Z26
	VPXORD Z27, Z27, Z27
	MOVQ CX, DX
	SHRQ $1, DX
	JZ   zTail

zLoop2:
	PREFETCHT0 448(SI)
	PREFETCHT0 1024(DI)
	Z_STEP(0, 0)
	Z_STEP(56, 128)
	ADDQ $112, SI
	ADDQ $256, DI
	DECQ DX
	JNZ  zLoop2

zTail:
	ANDQ $1, CX
	JZ   zStore
	Z_STEP(0, 0)

zStore:
	MOVBLZX acc+40(FP), AX
	Z_STORE(Z0, Z1)
	Z_STORE(Z2, Z3)
	Z_STORE(Z4, Z5)
	Z_STORE(Z6, Z7)
	Z_STORE(Z8, Z9)
	Z_STORE(Z10, Z11)
	Z_STORE(Z12, Z13)
	Z_STORE(Z14, Z15)
	Z_STORE(Z16, Z17)
	Z_STORE(Z18, Z19)
	Z_STORE(Z20, Z21)
	Z_STORE(Z22, Z23)
	Z_STORE(Z24, Z25)
	Z_STORE(Z26, Z27)
	VZEROUPPER
	RET
