//go:build amd64 && !purego

#include "textflag.h"

// func dotU8AVX2(dst []int32, src []uint8, stride int, taps []int32)
// For each group of 8 lanes i: dst[i..i+8] += sum_j zx(src[j*stride+i..+8]) * taps[j].
TEXT ·dotU8AVX2(SB), NOSPLIT, $0-80
	MOVQ dst_base+0(FP), DI
	MOVQ dst_len+8(FP), CX
	MOVQ src_base+24(FP), SI
	MOVQ stride+48(FP), DX
	MOVQ taps_base+56(FP), R8
	MOVQ taps_len+64(FP), R9
	SHRQ $3, CX
	JZ   done

chunk:
	VMOVDQU (DI), Y0
	MOVQ    SI, R10
	MOVQ    R8, R11
	MOVQ    R9, R12

tap:
	VPMOVZXBD    (R10), Y1
	VPBROADCASTD (R11), Y2
	VPMULLD      Y2, Y1, Y1
	VPADDD       Y1, Y0, Y0
	ADDQ         DX, R10
	ADDQ         $4, R11
	DECQ         R12
	JNZ          tap

	VMOVDQU Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $8, SI
	DECQ    CX
	JNZ     chunk

done:
	VZEROUPPER
	RET
