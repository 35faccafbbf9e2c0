//go:build arm64 && !purego && gc

#include "textflag.h"

// NEON kernels. Go's arm64 assembler lacks the by-element FMLA, FADD/FADDP
// and FCVTL forms, so those are WORD-encoded with the instruction spelled
// out in a comment.

// func dotNEON(x, y *float32, n int) float32
//
// n is a positive multiple of 16.
TEXT ·dotNEON(SB), NOSPLIT, $0-28
	MOVD x+0(FP), R0
	MOVD y+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

dloop:
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R1), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA  V4.S4, V16.S4, V0.S4
	VFMLA  V5.S4, V17.S4, V1.S4
	VFMLA  V6.S4, V18.S4, V2.S4
	VFMLA  V7.S4, V19.S4, V3.S4
	SUBS   $16, R2
	BNE    dloop
	WORD $0x4e21d400 // FADD V0.S4, V0.S4, V1.S4
	WORD $0x4e23d442 // FADD V2.S4, V2.S4, V3.S4
	WORD $0x4e22d400 // FADD V0.S4, V0.S4, V2.S4
	WORD $0x6e20d400 // FADDP V0.S4, V0.S4, V0.S4
	WORD $0x7e30d800 // FADDP S0, V0.S2
	FMOVS F0, ret+24(FP)
	RET

// func axpyNEON(alpha float32, x, y *float32, n int)
//
// n is a positive multiple of 16.
TEXT ·axpyNEON(SB), NOSPLIT, $0-32
	FMOVS alpha+0(FP), F31
	VDUP  V31.S[0], V31.S4
	MOVD  x+8(FP), R0
	MOVD  y+16(FP), R1
	MOVD  n+24(FP), R2

aloop:
	VLD1   (R1), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VFMLA  V4.S4, V31.S4, V0.S4
	VFMLA  V5.S4, V31.S4, V1.S4
	VFMLA  V6.S4, V31.S4, V2.S4
	VFMLA  V7.S4, V31.S4, V3.S4
	VST1.P [V0.S4, V1.S4, V2.S4, V3.S4], 64(R1)
	SUBS   $16, R2
	BNE    aloop
	RET

// func dotF16NEON(x *float32, h *uint16, n int) float32
//
// n is a positive multiple of 16.
TEXT ·dotF16NEON(SB), NOSPLIT, $0-28
	MOVD x+0(FP), R0
	MOVD h+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

hloop:
	VLD1.P 32(R1), [V4.H8, V5.H8]
	VLD1.P 64(R0), [V20.S4, V21.S4, V22.S4, V23.S4]
	WORD $0x0e217890 // FCVTL V16.S4, V4.H4
	WORD $0x4e217891 // FCVTL2 V17.S4, V4.H8
	WORD $0x0e2178b2 // FCVTL V18.S4, V5.H4
	WORD $0x4e2178b3 // FCVTL2 V19.S4, V5.H8
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V17.S4, V21.S4, V1.S4
	VFMLA  V18.S4, V22.S4, V2.S4
	VFMLA  V19.S4, V23.S4, V3.S4
	SUBS   $16, R2
	BNE    hloop
	WORD $0x4e21d400 // FADD V0.S4, V0.S4, V1.S4
	WORD $0x4e23d442 // FADD V2.S4, V2.S4, V3.S4
	WORD $0x4e22d400 // FADD V0.S4, V0.S4, V2.S4
	WORD $0x6e20d400 // FADDP V0.S4, V0.S4, V0.S4
	WORD $0x7e30d800 // FADDP S0, V0.S2
	FMOVS F0, ret+24(FP)
	RET

// func dotBF16NEON(x *float32, h *uint16, n int) float32
//
// n is a positive multiple of 16. A bfloat16 word is the high half of its
// float32, so zipping it above a zero half widens it exactly.
TEXT ·dotBF16NEON(SB), NOSPLIT, $0-28
	MOVD x+0(FP), R0
	MOVD h+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V30.B16, V30.B16, V30.B16

bloop:
	VLD1.P 32(R1), [V4.H8, V5.H8]
	VLD1.P 64(R0), [V20.S4, V21.S4, V22.S4, V23.S4]
	VZIP1  V4.H8, V30.H8, V16.H8
	VZIP2  V4.H8, V30.H8, V17.H8
	VZIP1  V5.H8, V30.H8, V18.H8
	VZIP2  V5.H8, V30.H8, V19.H8
	VFMLA  V16.S4, V20.S4, V0.S4
	VFMLA  V17.S4, V21.S4, V1.S4
	VFMLA  V18.S4, V22.S4, V2.S4
	VFMLA  V19.S4, V23.S4, V3.S4
	SUBS   $16, R2
	BNE    bloop
	WORD $0x4e21d400 // FADD V0.S4, V0.S4, V1.S4
	WORD $0x4e23d442 // FADD V2.S4, V2.S4, V3.S4
	WORD $0x4e22d400 // FADD V0.S4, V0.S4, V2.S4
	WORD $0x6e20d400 // FADDP V0.S4, V0.S4, V0.S4
	WORD $0x7e30d800 // FADDP S0, V0.S2
	FMOVS F0, ret+24(FP)
	RET
