//go:build amd64 && !purego && gc

#include "textflag.h"

// Reductions and updates over float32 rows, and row reductions against
// half-precision weights. AVX2 versions finish with scalar tails, AVX-512
// versions with one masked step.

// HSUM_Y0 leaves the sum of Y0's eight lanes in X0's low lane.
#define HSUM_Y0 \
	VEXTRACTF128 $1, Y0, X1    \
	VADDPS       X1, X0, X0    \
	VSHUFPS      $0x4E, X0, X0, X1 \
	VADDPS       X1, X0, X0    \
	VSHUFPS      $0xB1, X0, X0, X1 \
	VADDPS       X1, X0, X0

// HSUM_Z0_3 adds Z0..Z3 and leaves the total in X0's low lane.
#define HSUM_Z0_3 \
	VADDPS        Z1, Z0, Z0 \
	VADDPS        Z3, Z2, Z2 \
	VADDPS        Z2, Z0, Z0 \
	VEXTRACTF64X4 $1, Z0, Y1 \
	VADDPS        Y1, Y0, Y0 \
	HSUM_Y0

// TAILMASK sets K1 to the low CX bits (CX < 16); clobbers AX.
#define TAILMASK \
	MOVQ   $1, AX  \
	SHLQ   CX, AX  \
	DECQ   AX      \
	KMOVW  AX, K1

#define ZERO4Y \
	VXORPS Y0, Y0, Y0 \
	VXORPS Y1, Y1, Y1 \
	VXORPS Y2, Y2, Y2 \
	VXORPS Y3, Y3, Y3

#define ZERO4Z \
	VPXORD Z0, Z0, Z0 \
	VPXORD Z1, Z1, Z1 \
	VPXORD Z2, Z2, Z2 \
	VPXORD Z3, Z3, Z3

// func dotAVX2(x, y *float32, n int) float32
TEXT ·dotAVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	ZERO4Y
	CMPQ CX, $32
	JL   d2by8

d2by32:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         d2by32

d2by8:
	CMPQ        CX, $8
	JL          d2sum
	VMOVUPS     (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         d2by8

d2sum:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	HSUM_Y0
	TESTQ  CX, CX
	JZ     d2done

d2by1:
	VMOVSS      (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         d2by1

d2done:
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func dotAVX512(x, y *float32, n int) float32
TEXT ·dotAVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	MOVQ n+16(FP), CX
	ZERO4Z
	CMPQ CX, $64
	JL   d5by16

d5by64:
	VMOVUPS     (SI), Z4
	VMOVUPS     64(SI), Z5
	VMOVUPS     128(SI), Z6
	VMOVUPS     192(SI), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JGE         d5by64

d5by16:
	CMPQ        CX, $16
	JL          d5tail
	VMOVUPS     (SI), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         d5by16

d5tail:
	TESTQ       CX, CX
	JZ          d5sum
	TAILMASK
	VMOVUPS.Z   (SI), K1, Z4
	VMOVUPS.Z   (DI), K1, Z5
	VFMADD231PS Z5, Z4, Z1

d5sum:
	HSUM_Z0_3
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func axpyAVX2(alpha float32, x, y *float32, n int)
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Y15
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	CMPQ         CX, $32
	JL           a2by8

a2by32:
	VMOVUPS     (DI), Y0
	VMOVUPS     32(DI), Y1
	VMOVUPS     64(DI), Y2
	VMOVUPS     96(DI), Y3
	VFMADD231PS (SI), Y15, Y0
	VFMADD231PS 32(SI), Y15, Y1
	VFMADD231PS 64(SI), Y15, Y2
	VFMADD231PS 96(SI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         a2by32

a2by8:
	CMPQ        CX, $8
	JL          a2tail
	VMOVUPS     (DI), Y0
	VFMADD231PS (SI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JMP         a2by8

a2tail:
	TESTQ CX, CX
	JZ    a2done

a2by1:
	VMOVSS      (DI), X0
	VFMADD231SS (SI), X15, X0
	VMOVSS      X0, (DI)
	ADDQ        $4, SI
	ADDQ        $4, DI
	DECQ        CX
	JNZ         a2by1

a2done:
	VZEROUPPER
	RET

// func axpyAVX512(alpha float32, x, y *float32, n int)
TEXT ·axpyAVX512(SB), NOSPLIT, $0-32
	VBROADCASTSS alpha+0(FP), Z15
	MOVQ         x+8(FP), SI
	MOVQ         y+16(FP), DI
	MOVQ         n+24(FP), CX
	CMPQ         CX, $64
	JL           a5by16

a5by64:
	VMOVUPS     (DI), Z0
	VMOVUPS     64(DI), Z1
	VMOVUPS     128(DI), Z2
	VMOVUPS     192(DI), Z3
	VFMADD231PS (SI), Z15, Z0
	VFMADD231PS 64(SI), Z15, Z1
	VFMADD231PS 128(SI), Z15, Z2
	VFMADD231PS 192(SI), Z15, Z3
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)
	ADDQ        $256, SI
	ADDQ        $256, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JGE         a5by64

a5by16:
	CMPQ        CX, $16
	JL          a5tail
	VMOVUPS     (DI), Z0
	VFMADD231PS (SI), Z15, Z0
	VMOVUPS     Z0, (DI)
	ADDQ        $64, SI
	ADDQ        $64, DI
	SUBQ        $16, CX
	JMP         a5by16

a5tail:
	TESTQ       CX, CX
	JZ          a5done
	TAILMASK
	VMOVUPS.Z   (DI), K1, Z0
	VMOVUPS.Z   (SI), K1, Z1
	VFMADD231PS Z1, Z15, Z0
	VMOVUPS     Z0, K1, (DI)

a5done:
	VZEROUPPER
	RET

// Row reductions against half-precision weights: Σ x[i]*float32(h[i]).
// LOADH_Y/Z(off, dst) widens eight/sixteen weights at off(DI) to float32.

#define F16_Y(off, dst) VCVTPH2PS off(DI), dst
#define BF16_Y(off, dst) VPMOVZXWD off(DI), dst; VPSLLD $16, dst, dst

// DOTH_AVX2 is the body of an AVX2 half-weight row dot; LOAD is F16_Y or
// BF16_Y and SCALAR widens the word in AX into X5.
#define DOTH_AVX2(LOAD, SCALAR, L32, L8, LSUM, L1, LDONE) \
	ZERO4Y                    \
	CMPQ CX, $32              \
	JL   L8                   \
L32:                          \
	LOAD(0, Y4)               \
	LOAD(16, Y5)              \
	LOAD(32, Y6)              \
	LOAD(48, Y7)              \
	VFMADD231PS (SI), Y4, Y0   \
	VFMADD231PS 32(SI), Y5, Y1 \
	VFMADD231PS 64(SI), Y6, Y2 \
	VFMADD231PS 96(SI), Y7, Y3 \
	ADDQ $128, SI             \
	ADDQ $64, DI              \
	SUBQ $32, CX              \
	CMPQ CX, $32              \
	JGE  L32                  \
L8:                           \
	CMPQ CX, $8               \
	JL   LSUM                 \
	LOAD(0, Y4)               \
	VFMADD231PS (SI), Y4, Y0  \
	ADDQ $32, SI              \
	ADDQ $16, DI              \
	SUBQ $8, CX               \
	JMP  L8                   \
LSUM:                         \
	VADDPS Y1, Y0, Y0         \
	VADDPS Y3, Y2, Y2         \
	VADDPS Y2, Y0, Y0         \
	HSUM_Y0                   \
	TESTQ CX, CX              \
	JZ    LDONE               \
L1:                           \
	MOVWLZX (DI), AX          \
	SCALAR                    \
	VFMADD231SS (SI), X5, X0  \
	ADDQ $4, SI               \
	ADDQ $2, DI               \
	DECQ CX                   \
	JNZ  L1                   \
LDONE:

#define F16_SCALAR VMOVD AX, X5; VCVTPH2PS X5, X5
#define BF16_SCALAR SHLL $16, AX; VMOVD AX, X5

// func dotF16AVX2(x *float32, h *uint16, n int) float32
TEXT ·dotF16AVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ h+8(FP), DI
	MOVQ n+16(FP), CX
	DOTH_AVX2(F16_Y, F16_SCALAR, f2by32, f2by8, f2sum, f2by1, f2done)
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

// func dotBF16AVX2(x *float32, h *uint16, n int) float32
TEXT ·dotBF16AVX2(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ h+8(FP), DI
	MOVQ n+16(FP), CX
	DOTH_AVX2(BF16_Y, BF16_SCALAR, b2by32, b2by8, b2sum, b2by1, b2done)
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET

#define F16_Z(off, dst) VCVTPH2PS off(DI), dst
#define F16_ZT VCVTPH2PS.Z (DI), K1, Z4

#define DOTH_AVX512(LOAD, TAILLOAD, L64, L16, LTAIL, LSUM) \
	ZERO4Z                    \
	CMPQ CX, $64              \
	JL   L16                  \
L64:                          \
	LOAD(0, Z4)               \
	LOAD(32, Z5)              \
	LOAD(64, Z6)              \
	LOAD(96, Z7)              \
	VFMADD231PS (SI), Z4, Z0    \
	VFMADD231PS 64(SI), Z5, Z1  \
	VFMADD231PS 128(SI), Z6, Z2 \
	VFMADD231PS 192(SI), Z7, Z3 \
	ADDQ $256, SI             \
	ADDQ $128, DI             \
	SUBQ $64, CX              \
	CMPQ CX, $64              \
	JGE  L64                  \
L16:                          \
	CMPQ CX, $16              \
	JL   LTAIL                \
	LOAD(0, Z4)               \
	VFMADD231PS (SI), Z4, Z0  \
	ADDQ $64, SI              \
	ADDQ $32, DI              \
	SUBQ $16, CX              \
	JMP  L16                  \
LTAIL:                        \
	TESTQ CX, CX              \
	JZ    LSUM                \
	TAILMASK                  \
	TAILLOAD                  \
	VMOVUPS.Z (SI), K1, Z5    \
	VFMADD231PS Z5, Z4, Z1    \
LSUM:                         \
	HSUM_Z0_3

// func dotF16AVX512(x *float32, h *uint16, n int) float32
TEXT ·dotF16AVX512(SB), NOSPLIT, $0-28
	MOVQ x+0(FP), SI
	MOVQ h+8(FP), DI
	MOVQ n+16(FP), CX
	DOTH_AVX512(F16_Z, F16_ZT, f5by64, f5by16, f5tail, f5sum)
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET
