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

// VEC32 defines the 32-byte constant sym, the 64-bit value v (two copies
// of a 32-bit one) in every 8 bytes.
#define VEC32(sym, v) \
	DATA sym+0(SB)/8, v \
	DATA sym+8(SB)/8, v \
	DATA sym+16(SB)/8, v \
	DATA sym+24(SB)/8, v \
	GLOBL sym(SB), RODATA|NOPTR, $32

// The Philox4x32 multipliers and key increments, in every lane.
VEC32(philoxM0<>, $0xD2511F53D2511F53)
VEC32(philoxM1<>, $0xCD9E8D57CD9E8D57)
VEC32(philoxW0<>, $0x9E3779B99E3779B9)
VEC32(philoxW1<>, $0xBB67AE85BB67AE85)

// ROUND is one Philox4x32 round on counters C0..C3 with keys Y4, Y5 (not
// bumped), through Y10..Y15; the multipliers come from memory, which
// leaves registers for a second block's counters.
#define ROUND(C0, C1, C2, C3) \
	MUL32(philoxM0<>(SB), C0, Y10, Y11, Y14, Y15) \
	MUL32(philoxM1<>(SB), C2, Y12, Y13, Y14, Y15) \
	VPXOR C1, Y12, Y12 \
	VPXOR Y4, Y12, C0 \
	VPXOR C3, Y10, Y10 \
	VPXOR Y5, Y10, C2 \
	VMOVDQA Y13, C1 \
	VMOVDQA Y11, C3

// BUMP bumps the keys Y4, Y5 after a round.
#define BUMP \
	VPADDD philoxW0<>(SB), Y4, Y4 \
	VPADDD philoxW1<>(SB), Y5, Y5

// BCAST32 broadcasts the 32-bit value SRC to every lane of Y through AX and X.
#define BCAST32(SRC, X, Y) \
	MOVL SRC, AX \
	VMOVD AX, X \
	VPBROADCASTD X, Y

// STORE4 stores counters C0..C3 to four consecutive word rows from DI
// (SI bytes apart), leaving DI after them.
#define STORE4(C0, C1, C2, C3) \
	VMOVDQU C0, (DI) \
	ADDQ SI, DI \
	VMOVDQU C1, (DI) \
	ADDQ SI, DI \
	VMOVDQU C2, (DI) \
	ADDQ SI, DI \
	VMOVDQU C3, (DI) \
	ADDQ SI, DI

// INIT4 sets counters C0..C3 of block BX: the block number, hi, the ids
// at DX and the stream; and the keys Y4, Y5. It goes through X0, X1 and
// X3, so a pair sets Y0..Y3 last.
#define INIT4(C0, C1, C2, C3) \
	VMOVD BX, X0 \
	VPBROADCASTD X0, C0 \
	BCAST32(hi+28(FP), X1, C1) \
	VMOVDQU (DX), C2 \
	BCAST32(stream+32(FP), X3, C3) \
	BCAST32(k0+36(FP), X4, Y4) \
	BCAST32(k1+40(FP), X5, Y5)

// func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb, groups uint32)
// For each of the groups of eight ids (and eight dst columns), lane l runs
// Philox4x32-10 on the counter of ids[l]; each of the nb blocks stores its
// four counter vectors in four consecutive word rows of dst. Blocks run
// two side by side, so that one's multiplications overlap the other's
// instead of waiting on their own.
TEXT ·blocksAcrossAsm(SB), NOSPLIT, $0-52
	MOVQ dst+0(FP), R10
	MOVQ strideBytes+8(FP), SI
	MOVQ ids+16(FP), DX
	MOVL groups+48(FP), R9

group:
	MOVQ R10, DI
	MOVL lo+24(FP), BX
	MOVL nb+44(FP), CX

pair:
	CMPL CX, $2
	JLT  single
	INCL BX
	INIT4(Y6, Y7, Y8, Y9)
	DECL BX
	INIT4(Y0, Y1, Y2, Y3)
	MOVL $10, R8

pairround:
	ROUND(Y0, Y1, Y2, Y3)
	ROUND(Y6, Y7, Y8, Y9)
	BUMP
	DECL R8
	JNZ  pairround
	STORE4(Y0, Y1, Y2, Y3)
	STORE4(Y6, Y7, Y8, Y9)
	ADDL $2, BX
	SUBL $2, CX
	JMP  pair

single:
	TESTL CX, CX
	JZ    next
	INIT4(Y0, Y1, Y2, Y3)
	MOVL $10, R8

round:
	ROUND(Y0, Y1, Y2, Y3)
	BUMP
	DECL R8
	JNZ  round
	STORE4(Y0, Y1, Y2, Y3)

next:
	ADDQ $32, R10
	ADDQ $32, DX
	DECL R9
	JNZ  group
	VZEROUPPER
	RET
