//go:build amd64 && !purego && gc

#include "textflag.h"

DATA qzConsts<>+0(SB)/4, $0x7fffffff
DATA qzConsts<>+4(SB)/4, $127.0
DATA qzConsts<>+8(SB)/4, $0x7f800000
GLOBL qzConsts<>(SB), RODATA|NOPTR, $12

// Dword indices that gather the even (then odd) elements of two 16-lane
// vectors.
DATA qzEven<>+0(SB)/4, $0
DATA qzEven<>+4(SB)/4, $2
DATA qzEven<>+8(SB)/4, $4
DATA qzEven<>+12(SB)/4, $6
DATA qzEven<>+16(SB)/4, $8
DATA qzEven<>+20(SB)/4, $10
DATA qzEven<>+24(SB)/4, $12
DATA qzEven<>+28(SB)/4, $14
DATA qzEven<>+32(SB)/4, $16
DATA qzEven<>+36(SB)/4, $18
DATA qzEven<>+40(SB)/4, $20
DATA qzEven<>+44(SB)/4, $22
DATA qzEven<>+48(SB)/4, $24
DATA qzEven<>+52(SB)/4, $26
DATA qzEven<>+56(SB)/4, $28
DATA qzEven<>+60(SB)/4, $30
GLOBL qzEven<>(SB), RODATA|NOPTR, $64

// QZ_BLOCK quantizes the 32 floats at SI (see quantBlocksAVX512); evens and
// odds of the block go to eoff(R13) and eoff+32(R13) in the q4 layout.
// Jumps to nan when the block holds a NaN or an infinity (Go handles those
// blocks, whose conversions of NaN products the reference defines).
#define QZ_BLOCK(eoff, zero, next, nan) \
	VMOVUPS    (SI), Z0                \
	VMOVUPS    64(SI), Z1              \
	VCMPPS     $3, Z0, Z0, K1          \
	VCMPPS     $3, Z1, Z1, K2          \
	KORW       K1, K2, K1              \
	KORTESTW   K1, K1                  \
	JNZ        nan                     \
	VANDPS     Z30, Z0, Z2             \
	VANDPS     Z30, Z1, Z3             \
	VMAXPS     Z3, Z2, Z2              \
	VADDPS     Z1, Z0, Z4              \
	VEXTRACTF64X4 $1, Z2, Y3           \
	VMAXPS     Y3, Y2, Y2              \
	VEXTRACTF64X4 $1, Z4, Y5           \
	VADDPS     Y5, Y4, Y4              \
	VEXTRACTF128 $1, Y2, X3            \
	VMAXPS     X3, X2, X2              \
	VEXTRACTF128 $1, Y4, X5            \
	VADDPS     X5, X4, X4              \
	VSHUFPS    $0x4E, X2, X2, X3       \
	VMAXPS     X3, X2, X2              \
	VSHUFPS    $0x4E, X4, X4, X5       \
	VADDPS     X5, X4, X4              \
	VSHUFPS    $0xB1, X2, X2, X3       \
	VMAXPS     X3, X2, X2              \
	VSHUFPS    $0xB1, X4, X4, X5       \
	VADDPS     X5, X4, X4              \
	VUCOMISS   qzConsts<>+8(SB), X2    \
	JEQ        nan                     \
	VMOVSS     X4, (R9)                \
	VXORPS     X6, X6, X6              \
	VUCOMISS   X6, X2                  \
	JEQ        zero                    \
	VDIVSS     X31, X2, X7             \
	VDIVSS     X2, X31, X8             \
	VMOVSS     X7, (R8)                \
	VBROADCASTSS X7, Y7                \
	VMOVUPS    X7, (R11)               \
	VMOVUPS    Y7, (R12)               \
	VBROADCASTSS X8, Z8                \
	VMULPS     Z8, Z0, Z0              \
	VMULPS     Z8, Z1, Z1              \
	VCVTPS2DQ  Z0, Z0                  \
	VCVTPS2DQ  Z1, Z1                  \
	VPMOVSDB   Z0, (DI)                \
	VPMOVSDB   Z1, 16(DI)              \
	VMOVDQA64  Z29, Z2                 \
	VPERMI2D   Z1, Z0, Z2              \
	VPMOVSDB   Z2, eoff(R13)           \
	VMOVDQA64  Z28, Z3                 \
	VPERMI2D   Z1, Z0, Z3              \
	VPMOVSDB   Z3, eoff+32(R13)        \
	VPADDD     Z1, Z0, Z0              \
	VEXTRACTI64X4 $1, Z0, Y1           \
	VPADDD     Y1, Y0, Y0              \
	VEXTRACTI128 $1, Y0, X1            \
	VPADDD     X1, X0, X0              \
	VPSHUFD    $0x4E, X0, X1           \
	VPADDD     X1, X0, X0              \
	VPSHUFD    $0xB1, X0, X1           \
	VPADDD     X1, X0, X0              \
	VMOVD      X0, (R10)               \
	JMP        next                    \
zero:                                  \
	MOVL       $0, (R8)                \
	MOVL       $0, (R10)               \
	VXORPS     Y7, Y7, Y7              \
	VMOVUPS    X7, (R11)               \
	VMOVUPS    Y7, (R12)               \
	VMOVDQU    X7, (DI)                \
	VMOVDQU    X7, 16(DI)              \
	VMOVDQU    X7, eoff(R13)           \
	VMOVDQU    X7, eoff+32(R13)        \
next:                                  \
	ADDQ       $128, SI                \
	ADDQ       $32, DI                 \
	ADDQ       $4, R8                  \
	ADDQ       $4, R9                  \
	ADDQ       $4, R10                 \
	ADDQ       $16, R11                \
	ADDQ       $32, R12

// func quantBlocksAVX512(x *float32, nblocks int, q, q4 *int8, scale, sum *float32, qsum *int32, s4, s8 *float32) int
TEXT ·quantBlocksAVX512(SB), NOSPLIT, $0-80
	MOVQ x+0(FP), SI
	MOVQ nblocks+8(FP), CX
	MOVQ q+16(FP), DI
	MOVQ q4+24(FP), R13
	MOVQ scale+32(FP), R8
	MOVQ sum+40(FP), R9
	MOVQ qsum+48(FP), R10
	MOVQ s4+56(FP), R11
	MOVQ s8+64(FP), R12
	VPBROADCASTD qzConsts<>+0(SB), Z30
	VMOVSS       qzConsts<>+4(SB), X31
	VMOVDQU64    qzEven<>(SB), Z29
	VPTERNLOGD   $0xff, Z28, Z28, Z28  // all ones
	VPSRLD       $31, Z28, Z28         // 1 in every lane
	VPADDD       Z29, Z28, Z28         // odd indices
	XORQ         AX, AX

qzloop:
	CMPQ CX, $2
	JL   qzlast
	QZ_BLOCK(0, qz0zero, qz0next, qznan)
	INCQ AX
	QZ_BLOCK(16, qz1zero, qz1next, qznan)
	INCQ AX
	ADDQ $64, R13
	SUBQ $2, CX
	JMP  qzloop

qzlast:
	TESTQ CX, CX
	JZ    qzdone
	QZ_BLOCK(0, qz2zero, qz2next, qznan)
	INCQ  AX

qzdone:
qznan:
	MOVQ AX, ret+72(FP)
	VZEROUPPER
	RET
