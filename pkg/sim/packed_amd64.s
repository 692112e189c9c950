#include "textflag.h"

// func deliverPackedAsm(ring *int32, size int, off *uint32, w *int32, n int, start int)
//
// ring[(start+off[k]) mod size] += w[k] for k < n, with start < size and
// off[k] < size. The ring entry of synapse k+DIST is prefetched, so that
// more of the (random) ring accesses are in flight than the out-of-order
// window alone allows.
#define DIST $32
TEXT ·deliverPackedAsm(SB), NOSPLIT, $0-48
	MOVQ ring+0(FP), DI
	MOVQ size+8(FP), R8
	MOVQ off+16(FP), SI
	MOVQ w+24(FP), DX
	MOVQ n+32(FP), CX
	MOVQ start+40(FP), R9
	XORQ AX, AX
	MOVQ CX, BX
	SUBQ DIST, BX // synapses below BX prefetch (BX may be negative)

loop:
	CMPQ AX, CX
	JGE done
	CMPQ AX, BX
	JGE add
	MOVL 128(SI)(AX*4), R10 // off[k+DIST]
	ADDQ R9, R10
	CMPQ R10, R8
	JLT pf
	SUBQ R8, R10
pf:
	PREFETCHT0 (DI)(R10*4)

add:
	MOVL (SI)(AX*4), R11
	ADDQ R9, R11
	CMPQ R11, R8
	JLT in
	SUBQ R8, R11
in:
	MOVL (DX)(AX*4), R12
	ADDL R12, (DI)(R11*4)
	INCQ AX
	JMP loop

done:
	RET
