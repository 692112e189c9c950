#include "textflag.h"

// ADD8 adds the weights of synapses k..k+7 (k in AX) to the ring entries
// at BX plus their offsets.
#define ADD1(i) \
	MOVL i*4(SI)(AX*4), R11 \
	MOVL i*4(DX)(AX*4), R12 \
	ADDL R12, (BX)(R11*4)
#define ADD8 ADD1(0); ADD1(1); ADD1(2); ADD1(3); ADD1(4); ADD1(5); ADD1(6); ADD1(7)

// func deliverPackedAsm(ring *int32, size int, start int, off *uint32, w *int32, n int)
//
// deliverPacked: ring[start+off[k]] += w[k] for offsets below size−start,
// which come first, and ring[start+off[k]−size] += w[k] for the rest. The
// first run is found by testing one offset in eight, and synapses are
// added eight at a time: each costs three instructions. A search for the
// wrap before the loop would wait for the part's last line from memory;
// software prefetching of ring entries measured no faster.
TEXT ·deliverPackedAsm(SB), NOSPLIT, $0-48
	MOVQ ring+0(FP), DI
	MOVQ size+8(FP), R8
	MOVQ start+16(FP), R9
	MOVQ off+24(FP), SI
	MOVQ w+32(FP), DX
	MOVQ n+40(FP), CX
	MOVQ R8, R10
	SUBQ R9, R10        // lim: the first offset that wraps
	LEAQ (DI)(R9*4), BX // the spike's slot
	XORQ AX, AX
	MOVQ CX, R13
	SUBQ $8, R13        // eight synapses remain while k ≤ n−8

block1:
	CMPQ AX, R13
	JGT one1
	MOVL 28(SI)(AX*4), R11
	CMPL R11, R10
	JAE one1
	ADD8
	ADDQ $8, AX
	JMP block1

one1:
	CMPQ AX, CX
	JGE done
	MOVL (SI)(AX*4), R11
	CMPL R11, R10
	JAE wrap
	MOVL (DX)(AX*4), R12
	ADDL R12, (BX)(R11*4)
	INCQ AX
	JMP one1

wrap:
	SUBQ R8, R9
	LEAQ (DI)(R9*4), BX // the slot a ring's length back

block2:
	CMPQ AX, R13
	JGT one2
	ADD8
	ADDQ $8, AX
	JMP block2

one2:
	CMPQ AX, CX
	JGE done
	MOVL (SI)(AX*4), R11
	MOVL (DX)(AX*4), R12
	ADDL R12, (BX)(R11*4)
	INCQ AX
	JMP one2

done:
	RET

// func prefetchTwo(a, b unsafe.Pointer)
//
// Prefetches the two cache lines at a and the two at b.
TEXT ·prefetchTwo(SB), NOSPLIT, $0-16
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	PREFETCHT0 (SI)
	PREFETCHT0 64(SI)
	PREFETCHT0 (DI)
	PREFETCHT0 64(DI)
	RET
