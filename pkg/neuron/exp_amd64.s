#include "textflag.h"

// func expOneAsm(v, iex, ex *float64, ref *int32, n int, c *[5]float64, out *int32, first int32) int
//
// iaf_psc_exp with one input channel, four neurons at a time with AVX2,
// operation for operation as stepOneGo (so bit for bit the same): for
// i < n (a multiple of 4), with c = {p22, drive, p21, p11, theta},
//	if ref[i] == 0 { v[i] = v[i]*p22 + drive + iex[i]*p21 } else { ref[i]-- }
//	iex[i] = iex[i]*p11 + ex[i]
// and first+i goes to out for every v[i] ≥ theta, whose reset is left to
// the caller. It returns the number of indices written.
TEXT ·expOneAsm(SB), NOSPLIT, $0-72
	MOVQ v+0(FP), DI
	MOVQ iex+8(FP), SI
	MOVQ ex+16(FP), DX
	MOVQ ref+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), R9
	MOVQ out+48(FP), R10
	MOVL first+56(FP), R11
	VBROADCASTSD 0(R9), Y10  // p22
	VBROADCASTSD 8(R9), Y11  // drive
	VBROADCASTSD 16(R9), Y12 // p21
	VBROADCASTSD 24(R9), Y13 // p11
	VBROADCASTSD 32(R9), Y14 // theta
	VPCMPEQD X15, X15, X15   // int32 −1 in every lane
	VPXOR X9, X9, X9
	XORQ AX, AX // i
	XORQ BX, BX // indices written

loop:
	CMPQ AX, CX
	JGE done
	VMOVUPD (DI)(AX*8), Y0 // v
	VMOVUPD (SI)(AX*8), Y1 // iex
	VMOVDQU (R8)(AX*4), X2 // ref
	VPCMPEQD X9, X2, X3    // ref == 0
	VPMOVSXDQ X3, Y4
	VMULPD Y10, Y0, Y5     // v*p22
	VADDPD Y11, Y5, Y5     // + drive
	VMULPD Y12, Y1, Y6     // iex*p21
	VADDPD Y6, Y5, Y5
	VBLENDVPD Y4, Y5, Y0, Y0
	VPXOR X15, X3, X3      // −1 where ref ≠ 0
	VPADDD X3, X2, X2
	VMULPD Y13, Y1, Y1     // iex*p11
	VADDPD (DX)(AX*8), Y1, Y1
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y1, (SI)(AX*8)
	VMOVDQU X2, (R8)(AX*4)
	VCMPPD $0x1D, Y14, Y0, Y7 // v ≥ theta (ordered: false for NaN)
	VMOVMSKPD Y7, R12
	TESTQ R12, R12
	JNZ spikes

next:
	ADDQ $4, AX
	JMP loop

spikes:
	BSFQ R12, R13
	LEAQ (AX)(R13*1), R14
	ADDL R11, R14
	MOVL R14, (R10)(BX*4)
	INCQ BX
	LEAQ -1(R12), R13
	ANDQ R13, R12
	JNZ spikes
	JMP next

done:
	VZEROUPPER
	MOVQ BX, ret+64(FP)
	RET
