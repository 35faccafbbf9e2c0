//go:build arm64 && !purego && gc

#include "textflag.h"

// Widening conversions to float32, eight values a step (n a positive
// multiple of 8). FCVTL quiets signalling NaNs where the reference keeps
// the payload, so NaN lanes get the half's quiet bit back:
// r = r &^ 0x400000 | (h & 0x200) << 13. FCVTL and CMHI are WORD-encoded.

DATA cvtNC<>+0(SB)/4, $0x00007fff
DATA cvtNC<>+4(SB)/4, $0x00007fff
DATA cvtNC<>+8(SB)/4, $0x00007fff
DATA cvtNC<>+12(SB)/4, $0x00007fff
DATA cvtNC<>+16(SB)/4, $0x00007c00
DATA cvtNC<>+20(SB)/4, $0x00007c00
DATA cvtNC<>+24(SB)/4, $0x00007c00
DATA cvtNC<>+28(SB)/4, $0x00007c00
DATA cvtNC<>+32(SB)/4, $0x00000200
DATA cvtNC<>+36(SB)/4, $0x00000200
DATA cvtNC<>+40(SB)/4, $0x00000200
DATA cvtNC<>+44(SB)/4, $0x00000200
DATA cvtNC<>+48(SB)/4, $0xffbfffff
DATA cvtNC<>+52(SB)/4, $0xffbfffff
DATA cvtNC<>+56(SB)/4, $0xffbfffff
DATA cvtNC<>+60(SB)/4, $0xffbfffff
GLOBL cvtNC<>(SB), RODATA|NOPTR, $64

// func f16ToF32NEON(dst *float32, src *uint16, n int)
TEXT ·f16ToF32NEON(SB), NOSPLIT, $0-24
	MOVD   dst+0(FP), R0
	MOVD   src+8(FP), R1
	MOVD   n+16(FP), R2
	MOVD   $cvtNC<>(SB), R3
	VLD1   (R3), [V24.S4, V25.S4, V26.S4, V27.S4]

h2floop:
	VLD1.P 16(R1), [V0.H8]
	WORD $0x0e217810 // FCVTL V16.S4, V0.H4
	WORD $0x4e217811 // FCVTL2 V17.S4, V0.H8
	VUXTL  V0.H4, V2.S4
	VAND   V24.B16, V2.B16, V3.B16
	WORD $0x6eb93464 // CMHI V4.S4, V3.S4, V25.S4
	VAND   V26.B16, V2.B16, V5.B16
	VSHL   $13, V5.S4, V5.S4
	VAND   V27.B16, V16.B16, V6.B16
	VORR   V5.B16, V6.B16, V6.B16
	VBIT   V4.B16, V6.B16, V16.B16
	VUXTL2 V0.H8, V2.S4
	VAND   V24.B16, V2.B16, V3.B16
	WORD $0x6eb93464 // CMHI V4.S4, V3.S4, V25.S4
	VAND   V26.B16, V2.B16, V5.B16
	VSHL   $13, V5.S4, V5.S4
	VAND   V27.B16, V17.B16, V6.B16
	VORR   V5.B16, V6.B16, V6.B16
	VBIT   V4.B16, V6.B16, V17.B16
	VST1.P [V16.S4, V17.S4], 32(R0)
	SUBS   $8, R2
	BNE    h2floop
	RET

// func bf16ToF32NEON(dst *float32, src *uint16, n int)
TEXT ·bf16ToF32NEON(SB), NOSPLIT, $0-24
	MOVD dst+0(FP), R0
	MOVD src+8(FP), R1
	MOVD n+16(FP), R2
	VEOR V30.B16, V30.B16, V30.B16

b2floop:
	VLD1.P 16(R1), [V0.H8]
	VZIP1  V0.H8, V30.H8, V16.H8
	VZIP2  V0.H8, V30.H8, V17.H8
	VST1.P [V16.S4, V17.S4], 32(R0)
	SUBS   $8, R2
	BNE    b2floop
	RET
