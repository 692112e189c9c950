#include "textflag.h"

// MUL32 sets HI and LO to the high and low words of the lane-wise 32×32-bit
// products of X and the broadcast multiplier M, using T1 and T2: VPMULUDQ
// multiplies the even lanes, so the odd ones are shifted down first.
#define MUL32(M, X, HI, LO, T1, T2) \
	VPMULUDQ M, X, T1 \
	VPSRLQ $32, X, T2 \
	VPMULUDQ M, T2, T2 \
	VPSLLQ $32, T2, LO \
	VPBLENDD $0xAA, LO, T1, LO \
	VPSRLQ $32, T1, HI \
	VPBLENDD $0xAA, T2, HI, HI

// One Philox4x32 round on counters Y0..Y3 with keys Y4, Y5, multipliers
// Y6, Y7 and key increments Y8, Y9.
#define ROUND \
	MUL32(Y6, Y0, Y10, Y11, Y14, Y15) \
	MUL32(Y7, Y2, Y12, Y13, Y14, Y15) \
	VPXOR Y1, Y12, Y12 \
	VPXOR Y4, Y12, Y0 \
	VPXOR Y3, Y10, Y10 \
	VPXOR Y5, Y10, Y2 \
	VMOVDQA Y13, Y1 \
	VMOVDQA Y11, Y3 \
	VPADDD Y8, Y4, Y4 \
	VPADDD Y9, Y5, Y5

// BCAST32 broadcasts the 32-bit value SRC to every lane of Y through AX and X.
#define BCAST32(SRC, X, Y) \
	MOVL SRC, AX \
	VMOVD AX, X \
	VPBROADCASTD X, Y

// func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb, groups uint32)
// For each of the groups of eight ids (and eight dst columns), lane l runs
// Philox4x32-10 on the counter of ids[l]; each of the nb blocks stores its
// four counter vectors in four consecutive word rows of dst.
TEXT ·blocksAcrossAsm(SB), NOSPLIT, $0-52
	MOVQ dst+0(FP), R10
	MOVQ strideBytes+8(FP), SI
	MOVQ ids+16(FP), DX
	MOVL groups+48(FP), R9
	BCAST32($0xD2511F53, X6, Y6)
	BCAST32($0xCD9E8D57, X7, Y7)
	BCAST32($0x9E3779B9, X8, Y8)
	BCAST32($0xBB67AE85, X9, Y9)

group:
	MOVQ R10, DI
	MOVL lo+24(FP), BX
	MOVL nb+44(FP), CX

block:
	VMOVD BX, X0
	VPBROADCASTD X0, Y0
	BCAST32(hi+28(FP), X1, Y1)
	VMOVDQU (DX), Y2
	BCAST32(stream+32(FP), X3, Y3)
	BCAST32(k0+36(FP), X4, Y4)
	BCAST32(k1+40(FP), X5, Y5)
	MOVL $10, R8

round:
	ROUND
	DECL R8
	JNZ  round
	VMOVDQU Y0, (DI)
	ADDQ    SI, DI
	VMOVDQU Y1, (DI)
	ADDQ    SI, DI
	VMOVDQU Y2, (DI)
	ADDQ    SI, DI
	VMOVDQU Y3, (DI)
	ADDQ    SI, DI
	INCL    BX
	DECL    CX
	JNZ     block
	ADDQ    $32, R10
	ADDQ    $32, DX
	DECL    R9
	JNZ     group
	VZEROUPPER
	RET
