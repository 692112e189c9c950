package rng

import "golang.org/x/sys/cpu"

// haveBlocks8Asm tells whether blocks8Asm may run here.
var haveBlocks8Asm = cpu.X86.HasAVX2

// blocks8Asm computes blocks (hi:lo) … (hi:lo+7) with AVX2 (block8_amd64.s);
// lo+7 must not overflow.
//
//go:noescape
func blocks8Asm(out *[32]uint32, lo, hi, id, stream, k0, k1 uint32)

// blocksAcrossAsm is BlocksAcross with AVX2 (block8_amd64.s); strideBytes is
// the distance between dst's word rows, and lo+nb−1 must not overflow.
//
//go:noescape
func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb uint32)
