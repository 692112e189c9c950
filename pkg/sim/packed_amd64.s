#include "textflag.h"

// func deliverRunAsm(ring *int32, shift int, off *uint32, w *int32, n int)
//
// ring[shift+off[k]] += w[k] for k < n; shift may be negative, and the
// caller guarantees that every index is inside the ring. Five
// instructions a synapse: the loop is bound by how many ring accesses the
// core keeps in flight, and a shorter loop body keeps more of them in its
// window (software prefetching measured no faster).
TEXT ·deliverRunAsm(SB), NOSPLIT, $0-40
	MOVQ ring+0(FP), DI
	MOVQ shift+8(FP), R9
	LEAQ (DI)(R9*4), DI
	MOVQ off+16(FP), SI
	MOVQ w+24(FP), DX
	MOVQ n+32(FP), CX
	XORQ AX, AX
	CMPQ AX, CX
	JGE done

loop:
	MOVL (SI)(AX*4), R11
	MOVL (DX)(AX*4), R12
	ADDL R12, (DI)(R11*4)
	INCQ AX
	CMPQ AX, CX
	JL loop

done:
	RET
