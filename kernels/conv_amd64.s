//go:build amd64 && !purego && gc

#include "textflag.h"

// Conversions between float32 and 16-bit floats, eight values per step with
// scalar tails (AVX2 + F16C; the AVX-512 tier uses these too).

DATA convConsts<>+0(SB)/4, $0x7fff7fff   // half magnitude mask
DATA convConsts<>+4(SB)/4, $0x7c007c00   // half infinity
DATA convConsts<>+8(SB)/4, $0x80008000   // half sign
DATA convConsts<>+12(SB)/4, $0x7e007e00  // half quiet NaN
DATA convConsts<>+16(SB)/4, $0x7fffffff  // float32 magnitude mask
DATA convConsts<>+20(SB)/4, $0x7f800000  // float32 infinity
DATA convConsts<>+24(SB)/4, $0x00007fff  // bf16 rounding bias
DATA convConsts<>+28(SB)/4, $0x00000001
DATA convConsts<>+32(SB)/4, $0x00000040  // bf16 quiet bit
DATA convConsts<>+36(SB)/4, $0x00007fff  // half magnitude (one word)
DATA convConsts<>+40(SB)/4, $0x00007c00  // half infinity (one word)
DATA convConsts<>+44(SB)/4, $0x00000200  // half quiet bit
DATA convConsts<>+48(SB)/4, $0x00400000  // float32 quiet bit
GLOBL convConsts<>(SB), RODATA|NOPTR, $52

// F16C quiets signalling NaNs; the reference keeps the payload as is. For
// NaN lanes (w = the half in a dword) put the half's quiet bit back:
// r = r &^ 0x400000 | (w & 0x200) << 13.
#define WIDE_FIX_NAN(w, r, t, m) \
	VPAND    Y10, w, t    \
	VPCMPGTD Y11, t, m    \
	VPAND    Y12, w, t    \
	VPSLLD   $13, t, t    \
	VPANDN   r, Y13, w    \
	VPOR     t, w, w      \
	VPBLENDVB m, w, r, r

// func f16ToF32AVX2(dst *float32, src *uint16, n int)
TEXT ·f16ToF32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VPBROADCASTD convConsts<>+36(SB), Y10
	VPBROADCASTD convConsts<>+40(SB), Y11
	VPBROADCASTD convConsts<>+44(SB), Y12
	VPBROADCASTD convConsts<>+48(SB), Y13

h2f8:
	CMPQ      CX, $8
	JL        h2f1
	VCVTPH2PS (SI), Y0
	VPMOVZXWD (SI), Y1
	WIDE_FIX_NAN(Y1, Y0, Y2, Y3)
	VMOVUPS   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       h2f8

h2f1:
	TESTQ     CX, CX
	JZ        h2fdone
	MOVWLZX   (SI), AX
	VMOVD     AX, X1
	VCVTPH2PS X1, X0
	WIDE_FIX_NAN(Y1, Y0, Y2, Y3)
	VMOVSS    X0, (DI)
	ADDQ      $2, SI
	ADDQ      $4, DI
	DECQ      CX
	JMP       h2f1

h2fdone:
	VZEROUPPER
	RET

// func bf16ToF32AVX2(dst *float32, src *uint16, n int)
TEXT ·bf16ToF32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX

b2f8:
	CMPQ      CX, $8
	JL        b2f1
	VPMOVZXWD (SI), Y0
	VPSLLD    $16, Y0, Y0
	VMOVDQU   Y0, (DI)
	ADDQ      $16, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JMP       b2f8

b2f1:
	TESTQ   CX, CX
	JZ      b2fdone
	MOVWLZX (SI), AX
	SHLL    $16, AX
	MOVL    AX, (DI)
	ADDQ    $2, SI
	ADDQ    $4, DI
	DECQ    CX
	JMP     b2f1

b2fdone:
	VZEROUPPER
	RET

// F32ToF16 rounds to nearest even in hardware; every NaN then becomes the
// reference's canonical sign|0x7e00.
#define HALF_FIX_NAN(x, t, m, f) \
	VPAND     Y10, x, t \
	VPCMPGTW  Y11, t, m \
	VPAND     Y12, x, f \
	VPOR      Y13, f, f \
	VPBLENDVB m, f, x, x

// func f32ToF16AVX2(dst *uint16, src *float32, n int)
TEXT ·f32ToF16AVX2(SB), NOSPLIT, $0-24
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	VPBROADCASTD convConsts<>+0(SB), Y10
	VPBROADCASTD convConsts<>+4(SB), Y11
	VPBROADCASTD convConsts<>+8(SB), Y12
	VPBROADCASTD convConsts<>+12(SB), Y13

f2h8:
	CMPQ      CX, $8
	JL        f2h1
	VMOVUPS   (SI), Y0
	VCVTPS2PH $0, Y0, X0
	HALF_FIX_NAN(Y0, Y1, Y2, Y3)
	VMOVDQU   X0, (DI)
	ADDQ      $32, SI
	ADDQ      $16, DI
	SUBQ      $8, CX
	JMP       f2h8

f2h1:
	TESTQ     CX, CX
	JZ        f2hdone
	VMOVSS    (SI), X0
	VCVTPS2PH $0, X0, X0
	HALF_FIX_NAN(Y0, Y1, Y2, Y3)
	VMOVD     X0, AX
	MOVW      AX, (DI)
	ADDQ      $4, SI
	ADDQ      $2, DI
	DECQ      CX
	JMP       f2h1

f2hdone:
	VZEROUPPER
	RET

// func f32ToBF16AVX2(dst *uint16, src *float32, n int)
TEXT ·f32ToBF16AVX2(SB), NOSPLIT, $0-24
	MOVQ         dst+0(FP), DI
	MOVQ         src+8(FP), SI
	MOVQ         n+16(FP), CX
	VPBROADCASTD convConsts<>+16(SB), Y10
	VPBROADCASTD convConsts<>+20(SB), Y11
	VPBROADCASTD convConsts<>+24(SB), Y12
	VPBROADCASTD convConsts<>+28(SB), Y13
	VPBROADCASTD convConsts<>+32(SB), Y14

f2b8:
	CMPQ       CX, $8
	JL         f2b1
	VMOVDQU    (SI), Y0
	VPAND      Y10, Y0, Y1      // |b|
	VPCMPGTD   Y11, Y1, Y2      // NaN lanes
	VPSRLD     $16, Y0, Y3      // b >> 16
	VPAND      Y13, Y3, Y4      // (b >> 16) & 1
	VPADDD     Y12, Y4, Y4
	VPADDD     Y0, Y4, Y4       // b + 0x7fff + lsb
	VPSRLD     $16, Y4, Y4
	VPOR       Y14, Y3, Y3      // NaN: quiet
	VPBLENDVB  Y2, Y3, Y4, Y4
	VPACKUSDW  Y4, Y4, Y4
	VPERMQ     $0x08, Y4, Y4
	VMOVDQU    X4, (DI)
	ADDQ       $32, SI
	ADDQ       $16, DI
	SUBQ       $8, CX
	JMP        f2b8

f2b1:
	TESTQ CX, CX
	JZ    f2bdone
	MOVL  (SI), AX
	MOVL  AX, BX
	ANDL  $0x7fffffff, BX
	CMPL  BX, $0x7f800000
	JA    f2bnan
	MOVL  AX, BX
	SHRL  $16, BX
	ANDL  $1, BX
	ADDL  $0x7fff, BX
	ADDL  BX, AX
	SHRL  $16, AX
	JMP   f2bstore

f2bnan:
	SHRL $16, AX
	ORL  $0x40, AX

f2bstore:
	MOVW AX, (DI)
	ADDQ $4, SI
	ADDQ $2, DI
	DECQ CX
	JMP  f2b1

f2bdone:
	VZEROUPPER
	RET
