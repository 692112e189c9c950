#include "textflag.h"

// func takePoissonAsm(dst *float64, src *int32, words *uint32, lut *[1 << rng.LookupBits]uint8, n int, weight int32, inv float64, mixed *int32, mixedX *int32) int
//
// takePoissonGo eight neurons at a time with AVX2, for n a multiple of 8:
// c = lut[words[i]>>20] (rng.LookupBits is 12; gathered four bytes at a
// time, the low byte kept), x = src[i] + c*weight, src[i] = 0,
// dst[i] = float64(x)*inv. Where c is rng.LookupSearch the count needs a
// search: i goes to mixed, src[i] as it was to mixedX, and dst[i] is left
// to the caller. Returns the number of such entries.
TEXT ·takePoissonAsm(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ words+16(FP), DX
	MOVQ lut+24(FP), R8
	MOVQ n+32(FP), CX
	MOVL weight+40(FP), R11
	MOVQ R11, X10
	VPBROADCASTD X10, Y10
	VBROADCASTSD inv+48(FP), Y11
	MOVQ mixed+56(FP), R9
	MOVQ mixedX+64(FP), R10
	VPCMPEQD Y12, Y12, Y12
	VPSRLD $24, Y12, Y12 // 0xff in every lane
	VPXOR Y13, Y13, Y13
	XORQ AX, AX // i
	XORQ BX, BX // mixed entries

loop:
	CMPQ AX, CX
	JGE done
	VMOVDQU (DX)(AX*4), Y0
	VPSRLD $20, Y0, Y1
	VPCMPEQD Y2, Y2, Y2
	VPXOR Y3, Y3, Y3
	VPGATHERDD Y2, (R8)(Y1*1), Y3
	VPAND Y12, Y3, Y3      // counts
	VPCMPEQD Y12, Y3, Y4   // to search
	VMOVMSKPS Y4, R12
	VMOVDQU (SI)(AX*4), Y5 // src
	TESTQ R12, R12
	JNZ search

convert:
	VPMULLD Y10, Y3, Y3
	VPADDD Y3, Y5, Y5
	VMOVDQU Y13, (SI)(AX*4)
	VCVTDQ2PD X5, Y6
	VEXTRACTI128 $1, Y5, X7
	VCVTDQ2PD X7, Y7
	VMULPD Y11, Y6, Y6
	VMULPD Y11, Y7, Y7
	VMOVUPD Y6, (DI)(AX*8)
	VMOVUPD Y7, 32(DI)(AX*8)
	ADDQ $8, AX
	JMP loop

search:
	BSFQ R12, R13
	LEAQ (AX)(R13*1), R14
	MOVL R14, (R9)(BX*4)
	MOVL (SI)(R14*4), R13
	MOVL R13, (R10)(BX*4)
	INCQ BX
	LEAQ -1(R12), R13
	ANDQ R13, R12
	JNZ search
	JMP convert

done:
	VZEROUPPER
	MOVQ BX, ret+72(FP)
	RET
