#include "textflag.h"

// Lane offsets of the eight counters.
DATA iota8<>+0(SB)/4, $0
DATA iota8<>+4(SB)/4, $1
DATA iota8<>+8(SB)/4, $2
DATA iota8<>+12(SB)/4, $3
DATA iota8<>+16(SB)/4, $4
DATA iota8<>+20(SB)/4, $5
DATA iota8<>+24(SB)/4, $6
DATA iota8<>+28(SB)/4, $7
GLOBL iota8<>(SB), RODATA|NOPTR, $32

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

// func blocks8Asm(out *[32]uint32, lo, hi, id, stream, k0, k1 uint32)
TEXT ·blocks8Asm(SB), NOSPLIT, $0-32
	BCAST32(lo+8(FP), X0, Y0)
	VPADDD iota8<>(SB), Y0, Y0
	BCAST32(hi+12(FP), X1, Y1)
	BCAST32(id+16(FP), X2, Y2)
	BCAST32(stream+20(FP), X3, Y3)
	BCAST32(k0+24(FP), X4, Y4)
	BCAST32(k1+28(FP), X5, Y5)
	BCAST32($0xD2511F53, X6, Y6)
	BCAST32($0xCD9E8D57, X7, Y7)
	BCAST32($0x9E3779B9, X8, Y8)
	BCAST32($0xBB67AE85, X9, Y9)
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	// Transpose: lane l of Y0..Y3 is block l; out holds block after block.
	VPUNPCKLDQ Y1, Y0, Y10
	VPUNPCKHDQ Y1, Y0, Y11
	VPUNPCKLDQ Y3, Y2, Y12
	VPUNPCKHDQ Y3, Y2, Y13
	VPUNPCKLQDQ Y12, Y10, Y0
	VPUNPCKHQDQ Y12, Y10, Y1
	VPUNPCKLQDQ Y13, Y11, Y2
	VPUNPCKHQDQ Y13, Y11, Y3
	VPERM2I128 $0x20, Y1, Y0, Y10
	VPERM2I128 $0x20, Y3, Y2, Y11
	VPERM2I128 $0x31, Y1, Y0, Y12
	VPERM2I128 $0x31, Y3, Y2, Y13
	MOVQ out+0(FP), AX
	VMOVDQU Y10, 0(AX)
	VMOVDQU Y11, 32(AX)
	VMOVDQU Y12, 64(AX)
	VMOVDQU Y13, 96(AX)
	VZEROUPPER
	RET

// func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb uint32)
// Lane l runs the chain of ids[l]; each of the nb blocks stores its four
// counter vectors in four consecutive word rows of dst.
TEXT ·blocksAcrossAsm(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ strideBytes+8(FP), SI
	MOVQ ids+16(FP), DX
	MOVL lo+24(FP), BX
	MOVL nb+44(FP), CX
	BCAST32($0xD2511F53, X6, Y6)
	BCAST32($0xCD9E8D57, X7, Y7)
	BCAST32($0x9E3779B9, X8, Y8)
	BCAST32($0xBB67AE85, X9, Y9)
block:
	VMOVD BX, X0
	VPBROADCASTD X0, Y0
	BCAST32(hi+28(FP), X1, Y1)
	VMOVDQU (DX), Y2
	BCAST32(stream+32(FP), X3, Y3)
	BCAST32(k0+36(FP), X4, Y4)
	BCAST32(k1+40(FP), X5, Y5)
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	ROUND
	VMOVDQU Y0, (DI)
	ADDQ SI, DI
	VMOVDQU Y1, (DI)
	ADDQ SI, DI
	VMOVDQU Y2, (DI)
	ADDQ SI, DI
	VMOVDQU Y3, (DI)
	ADDQ SI, DI
	INCL BX
	DECL CX
	JNZ block
	VZEROUPPER
	RET
