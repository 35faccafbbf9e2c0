//go:build amd64 && !purego && gc

#include "textflag.h"

// Row operations (AVX2 + FMA; the AVX-512 tier uses them too) over n
// values, n a positive multiple of 8; the Go adapters run the last n%8
// values through the same code in a padded stack buffer.

// expC holds eight copies of each constant of EXP_Y: clamps, log2(e), ln2
// split in two, Cephes' expf polynomial, the exponent bias, 1, and GELU's
// -2·√(2/π) and 0.044715.
DATA expC<>+0(SB)/4, $88.3762626647949
DATA expC<>+4(SB)/4, $88.3762626647949
DATA expC<>+8(SB)/4, $88.3762626647949
DATA expC<>+12(SB)/4, $88.3762626647949
DATA expC<>+16(SB)/4, $88.3762626647949
DATA expC<>+20(SB)/4, $88.3762626647949
DATA expC<>+24(SB)/4, $88.3762626647949
DATA expC<>+28(SB)/4, $88.3762626647949
DATA expC<>+32(SB)/4, $-87.3365478515625
DATA expC<>+36(SB)/4, $-87.3365478515625
DATA expC<>+40(SB)/4, $-87.3365478515625
DATA expC<>+44(SB)/4, $-87.3365478515625
DATA expC<>+48(SB)/4, $-87.3365478515625
DATA expC<>+52(SB)/4, $-87.3365478515625
DATA expC<>+56(SB)/4, $-87.3365478515625
DATA expC<>+60(SB)/4, $-87.3365478515625
DATA expC<>+64(SB)/4, $1.4426950408889634
DATA expC<>+68(SB)/4, $1.4426950408889634
DATA expC<>+72(SB)/4, $1.4426950408889634
DATA expC<>+76(SB)/4, $1.4426950408889634
DATA expC<>+80(SB)/4, $1.4426950408889634
DATA expC<>+84(SB)/4, $1.4426950408889634
DATA expC<>+88(SB)/4, $1.4426950408889634
DATA expC<>+92(SB)/4, $1.4426950408889634
DATA expC<>+96(SB)/4, $0.693359375
DATA expC<>+100(SB)/4, $0.693359375
DATA expC<>+104(SB)/4, $0.693359375
DATA expC<>+108(SB)/4, $0.693359375
DATA expC<>+112(SB)/4, $0.693359375
DATA expC<>+116(SB)/4, $0.693359375
DATA expC<>+120(SB)/4, $0.693359375
DATA expC<>+124(SB)/4, $0.693359375
DATA expC<>+128(SB)/4, $-0.00021219444
DATA expC<>+132(SB)/4, $-0.00021219444
DATA expC<>+136(SB)/4, $-0.00021219444
DATA expC<>+140(SB)/4, $-0.00021219444
DATA expC<>+144(SB)/4, $-0.00021219444
DATA expC<>+148(SB)/4, $-0.00021219444
DATA expC<>+152(SB)/4, $-0.00021219444
DATA expC<>+156(SB)/4, $-0.00021219444
DATA expC<>+160(SB)/4, $0.000198756915
DATA expC<>+164(SB)/4, $0.000198756915
DATA expC<>+168(SB)/4, $0.000198756915
DATA expC<>+172(SB)/4, $0.000198756915
DATA expC<>+176(SB)/4, $0.000198756915
DATA expC<>+180(SB)/4, $0.000198756915
DATA expC<>+184(SB)/4, $0.000198756915
DATA expC<>+188(SB)/4, $0.000198756915
DATA expC<>+192(SB)/4, $0.0013981999507
DATA expC<>+196(SB)/4, $0.0013981999507
DATA expC<>+200(SB)/4, $0.0013981999507
DATA expC<>+204(SB)/4, $0.0013981999507
DATA expC<>+208(SB)/4, $0.0013981999507
DATA expC<>+212(SB)/4, $0.0013981999507
DATA expC<>+216(SB)/4, $0.0013981999507
DATA expC<>+220(SB)/4, $0.0013981999507
DATA expC<>+224(SB)/4, $0.0083334519073
DATA expC<>+228(SB)/4, $0.0083334519073
DATA expC<>+232(SB)/4, $0.0083334519073
DATA expC<>+236(SB)/4, $0.0083334519073
DATA expC<>+240(SB)/4, $0.0083334519073
DATA expC<>+244(SB)/4, $0.0083334519073
DATA expC<>+248(SB)/4, $0.0083334519073
DATA expC<>+252(SB)/4, $0.0083334519073
DATA expC<>+256(SB)/4, $0.041665795894
DATA expC<>+260(SB)/4, $0.041665795894
DATA expC<>+264(SB)/4, $0.041665795894
DATA expC<>+268(SB)/4, $0.041665795894
DATA expC<>+272(SB)/4, $0.041665795894
DATA expC<>+276(SB)/4, $0.041665795894
DATA expC<>+280(SB)/4, $0.041665795894
DATA expC<>+284(SB)/4, $0.041665795894
DATA expC<>+288(SB)/4, $0.16666665459
DATA expC<>+292(SB)/4, $0.16666665459
DATA expC<>+296(SB)/4, $0.16666665459
DATA expC<>+300(SB)/4, $0.16666665459
DATA expC<>+304(SB)/4, $0.16666665459
DATA expC<>+308(SB)/4, $0.16666665459
DATA expC<>+312(SB)/4, $0.16666665459
DATA expC<>+316(SB)/4, $0.16666665459
DATA expC<>+320(SB)/4, $0.50000001201
DATA expC<>+324(SB)/4, $0.50000001201
DATA expC<>+328(SB)/4, $0.50000001201
DATA expC<>+332(SB)/4, $0.50000001201
DATA expC<>+336(SB)/4, $0.50000001201
DATA expC<>+340(SB)/4, $0.50000001201
DATA expC<>+344(SB)/4, $0.50000001201
DATA expC<>+348(SB)/4, $0.50000001201
DATA expC<>+352(SB)/4, $127
DATA expC<>+356(SB)/4, $127
DATA expC<>+360(SB)/4, $127
DATA expC<>+364(SB)/4, $127
DATA expC<>+368(SB)/4, $127
DATA expC<>+372(SB)/4, $127
DATA expC<>+376(SB)/4, $127
DATA expC<>+380(SB)/4, $127
DATA expC<>+384(SB)/4, $1.0
DATA expC<>+388(SB)/4, $1.0
DATA expC<>+392(SB)/4, $1.0
DATA expC<>+396(SB)/4, $1.0
DATA expC<>+400(SB)/4, $1.0
DATA expC<>+404(SB)/4, $1.0
DATA expC<>+408(SB)/4, $1.0
DATA expC<>+412(SB)/4, $1.0
DATA expC<>+416(SB)/4, $-1.5957691216057308
DATA expC<>+420(SB)/4, $-1.5957691216057308
DATA expC<>+424(SB)/4, $-1.5957691216057308
DATA expC<>+428(SB)/4, $-1.5957691216057308
DATA expC<>+432(SB)/4, $-1.5957691216057308
DATA expC<>+436(SB)/4, $-1.5957691216057308
DATA expC<>+440(SB)/4, $-1.5957691216057308
DATA expC<>+444(SB)/4, $-1.5957691216057308
DATA expC<>+448(SB)/4, $0.044715
DATA expC<>+452(SB)/4, $0.044715
DATA expC<>+456(SB)/4, $0.044715
DATA expC<>+460(SB)/4, $0.044715
DATA expC<>+464(SB)/4, $0.044715
DATA expC<>+468(SB)/4, $0.044715
DATA expC<>+472(SB)/4, $0.044715
DATA expC<>+476(SB)/4, $0.044715
GLOBL expC<>(SB), RODATA|NOPTR, $480

// softCut is softmaxCut (rowops.go): rowExpSubSum gives exactly 0 below it.
DATA softCut<>+0(SB)/4, $-72.0
GLOBL softCut<>(SB), RODATA|NOPTR, $4

// EXP_Y replaces the eight floats in x with exp(x): x = n·ln2 + r with
// |r| ≤ ln2/2, e^r by a degree-7 polynomial, 2^n built in the exponent bits.
#define EXP_Y(x, t1, t2) \
	VMINPS       expC<>+0(SB), x, x  \
	VMAXPS       expC<>+32(SB), x, x  \
	VMULPS       expC<>+64(SB), x, t1 \
	VROUNDPS     $0, t1, t1           \
	VFNMADD231PS expC<>+96(SB), t1, x \
	VFNMADD231PS expC<>+128(SB), t1, x \
	VMOVUPS      expC<>+160(SB), t2    \
	VFMADD213PS  expC<>+192(SB), x, t2 \
	VFMADD213PS  expC<>+224(SB), x, t2 \
	VFMADD213PS  expC<>+256(SB), x, t2 \
	VFMADD213PS  expC<>+288(SB), x, t2 \
	VFMADD213PS  expC<>+320(SB), x, t2 \
	VFMADD213PS  expC<>+384(SB), x, t2 \
	VFMADD213PS  expC<>+384(SB), x, t2 \
	VCVTPS2DQ    t1, t1               \
	VPADDD       expC<>+352(SB), t1, t1 \
	VPSLLD       $23, t1, t1          \
	VMULPS       t1, t2, x

// func rowMax(x *float32, n int) float32
TEXT ·rowMax(SB), NOSPLIT, $0-20
	MOVQ    x+0(FP), SI
	MOVQ    n+8(FP), CX
	VMOVUPS (SI), Y0

mxloop:
	VMAXPS (SI), Y0, Y0
	ADDQ   $32, SI
	SUBQ   $8, CX
	JNZ    mxloop
	VEXTRACTF128 $1, Y0, X1
	VMAXPS       X1, X0, X0
	VSHUFPS      $0x4E, X0, X0, X1
	VMAXPS       X1, X0, X0
	VSHUFPS      $0xB1, X0, X0, X1
	VMAXPS       X1, X0, X0
	VMOVSS       X0, ret+16(FP)
	VZEROUPPER
	RET

// func rowExpSubSum(x *float32, n int, sub float32) float32
TEXT ·rowExpSubSum(SB), NOSPLIT, $0-28
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS sub+16(FP), Y5
	VBROADCASTSS softCut<>(SB), Y4
	VXORPS       Y6, Y6, Y6

esloop:
	VMOVUPS (SI), Y0
	VSUBPS  Y5, Y0, Y0
	VCMPPS  $1, Y4, Y0, Y3 // Y3 = x-sub < softCut (false for NaN)
	EXP_Y(Y0, Y1, Y2)
	VANDNPS Y0, Y3, Y0     // exactly 0 below the cut
	VMOVUPS Y0, (SI)
	VADDPS  Y0, Y6, Y6
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     esloop
	VEXTRACTF128 $1, Y6, X1
	VADDPS       X1, X6, X0
	VSHUFPS      $0x4E, X0, X0, X1
	VADDPS       X1, X0, X0
	VSHUFPS      $0xB1, X0, X0, X1
	VADDPS       X1, X0, X0
	VMOVSS       X0, ret+24(FP)
	VZEROUPPER
	RET

// func rowScale(x *float32, n int, s float32)
TEXT ·rowScale(SB), NOSPLIT, $0-20
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSS s+16(FP), Y5

scloop:
	VMULPS  (SI), Y5, Y0
	VMOVUPS Y0, (SI)
	ADDQ    $32, SI
	SUBQ    $8, CX
	JNZ     scloop
	VZEROUPPER
	RET

// func rowMulScale(dst, x, w *float32, n int, s float32)
TEXT ·rowMulScale(SB), NOSPLIT, $0-36
	MOVQ         dst+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         w+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS s+32(FP), Y5

msloop:
	VMULPS  (SI), Y5, Y0
	VMULPS  (DX), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     msloop
	VZEROUPPER
	RET

// func rowSwish(dst, x, mul *float32, n int)
//
// dst = x / (1 + exp(-x)) (· mul when mul is not nil).
TEXT ·rowSwish(SB), NOSPLIT, $0-32
	MOVQ    dst+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    mul+16(FP), DX
	MOVQ    n+24(FP), CX
	VMOVUPS expC<>+384(SB), Y7 // 1

swloop:
	VMOVUPS (SI), Y3
	VXORPS  Y0, Y0, Y0
	VSUBPS  Y3, Y0, Y0
	EXP_Y(Y0, Y1, Y2)
	VADDPS  Y7, Y0, Y0
	VDIVPS  Y0, Y3, Y0
	TESTQ   DX, DX
	JZ      swstore
	VMULPS  (DX), Y0, Y0
	ADDQ    $32, DX

swstore:
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	JNZ     swloop
	VZEROUPPER
	RET

// func rowGELUTanh(dst, x *float32, n int)
//
// dst = x / (1 + exp(-2·√(2/π)·(x + 0.044715·x³))).
TEXT ·rowGELUTanh(SB), NOSPLIT, $0-24
	MOVQ    dst+0(FP), DI
	MOVQ    x+8(FP), SI
	MOVQ    n+16(FP), CX
	VMOVUPS expC<>+384(SB), Y7 // 1

geloop:
	VMOVUPS     (SI), Y3
	VMULPS      Y3, Y3, Y0
	VMULPS      expC<>+448(SB), Y0, Y0 // 0.044715·x²
	VFMADD213PS Y3, Y3, Y0            // x + 0.044715·x³
	VMULPS      expC<>+416(SB), Y0, Y0 // · -2√(2/π)
	EXP_Y(Y0, Y1, Y2)
	VADDPS      Y7, Y0, Y0
	VDIVPS      Y0, Y3, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	JNZ         geloop
	VZEROUPPER
	RET
