package rng

import "golang.org/x/sys/cpu"

// haveAcrossAsm tells whether blocksAcrossAsm may run here.
var haveAcrossAsm = cpu.X86.HasAVX2

// blocksAcrossAsm is BlocksAcross for eight ids with AVX2 (across_amd64.s);
// strideBytes is the distance between dst's word rows, and lo+nb−1 must not
// overflow.
//
//go:noescape
func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb uint32)
