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

// MUL32Z is MUL32 on 16 lanes (AVX-512), with the even lanes in mask K1
// and the odd ones in K2.
#define MUL32Z(M, X, HI, LO, T1, T2) \
	VPMULUDQ M, X, T1 \
	VPSRLQ $32, X, T2 \
	VPMULUDQ M, T2, T2 \
	VPSLLQ $32, T2, LO \
	VMOVDQA32 T1, K1, LO \
	VPSRLQ $32, T1, HI \
	VMOVDQA32 T2, K2, HI

// ROUNDZ is one Philox4x32 round on counters C0..C3 with temporaries
// T0..T5 (the keys, multipliers and increments as in ROUND, in Z4..Z9).
#define ROUNDZ(C0, C1, C2, C3, T0, T1, T2, T3, T4, T5) \
	MUL32Z(Z6, C0, T0, T1, T4, T5) \
	MUL32Z(Z7, C2, T2, T3, T4, T5) \
	VPXORD C1, T2, T2 \
	VPXORD Z4, T2, C0 \
	VPXORD C3, T0, T0 \
	VPXORD Z5, T0, C2 \
	VMOVDQA64 T3, C1 \
	VMOVDQA64 T1, C3

// STORE4 stores counters C0..C3 to four consecutive word rows from DI
// (SI bytes apart), leaving DI after them.
#define STORE4(C0, C1, C2, C3) \
	VMOVDQU32 C0, (DI) \
	ADDQ SI, DI \
	VMOVDQU32 C1, (DI) \
	ADDQ SI, DI \
	VMOVDQU32 C2, (DI) \
	ADDQ SI, DI \
	VMOVDQU32 C3, (DI) \
	ADDQ SI, DI

// func blocksAcross512(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, pairs, groups uint32)
// blocksAcrossAsm with AVX-512 for groups of sixteen ids and 2·pairs
// blocks: the two blocks of a pair run side by side, so that one's
// multiplications overlap the other's instead of waiting on their own.
TEXT ·blocksAcross512(SB), NOSPLIT, $0-52
	MOVQ dst+0(FP), R10
	MOVQ strideBytes+8(FP), SI
	MOVQ ids+16(FP), DX
	MOVL groups+48(FP), R9
	MOVL $0xD2511F53, AX
	VPBROADCASTD AX, Z6
	MOVL $0xCD9E8D57, AX
	VPBROADCASTD AX, Z7
	MOVL $0x9E3779B9, AX
	VPBROADCASTD AX, Z8
	MOVL $0xBB67AE85, AX
	VPBROADCASTD AX, Z9
	MOVW $0x5555, AX
	KMOVW AX, K1
	MOVW $0xAAAA, AX
	KMOVW AX, K2

zgroup:
	MOVQ R10, DI
	MOVL lo+24(FP), BX
	MOVL pairs+44(FP), CX

zpair:
	VPBROADCASTD BX, Z0
	LEAL 1(BX), AX
	VPBROADCASTD AX, Z16
	MOVL hi+28(FP), AX
	VPBROADCASTD AX, Z1
	VMOVDQA64 Z1, Z17
	VMOVDQU32 (DX), Z2
	VMOVDQA64 Z2, Z18
	MOVL stream+32(FP), AX
	VPBROADCASTD AX, Z3
	VMOVDQA64 Z3, Z19
	MOVL k0+36(FP), AX
	VPBROADCASTD AX, Z4
	MOVL k1+40(FP), AX
	VPBROADCASTD AX, Z5
	MOVL $10, R8

zround:
	ROUNDZ(Z0, Z1, Z2, Z3, Z10, Z11, Z12, Z13, Z14, Z15)
	ROUNDZ(Z16, Z17, Z18, Z19, Z20, Z21, Z22, Z23, Z24, Z25)
	VPADDD Z8, Z4, Z4
	VPADDD Z9, Z5, Z5
	DECL R8
	JNZ  zround
	STORE4(Z0, Z1, Z2, Z3)
	STORE4(Z16, Z17, Z18, Z19)
	ADDL $2, BX
	DECL CX
	JNZ  zpair
	ADDQ $64, R10
	ADDQ $64, DX
	DECL R9
	JNZ  zgroup
	VZEROUPPER
	RET
