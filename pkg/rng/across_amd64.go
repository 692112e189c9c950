package rng

import (
	"math"

	"golang.org/x/sys/cpu"
)

// haveAcrossAsm tells whether blocksAcrossAsm may run here.
var haveAcrossAsm = cpu.X86.HasAVX2

// blocksAcrossAsm is BlocksAcross for groups·8 ids with AVX2
// (across_amd64.s), eight at a time; strideBytes is the distance between
// dst's word rows, and lo+nb−1 must not overflow.
//
//go:noescape
func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb, groups uint32)

// blocksVector writes BlocksAcross's words for the ids it can take with
// the vector code, the first multiple of eight, and returns their number.
// The vector code keeps the counter's high word fixed, so it takes only
// runs of blocks that do not carry into it.
func blocksVector(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) int {
	n := len(ids) &^ 7
	if !haveAcrossAsm || n == 0 || uint64(uint32(b))+uint64(nb) > 1<<32 || uint64(n/8) > math.MaxUint32 {
		return 0
	}
	blocksAcrossAsm(&dst[0], uintptr(stride)*4, &ids[0], uint32(b), uint32(b>>32), stream, uint32(seed), uint32(seed>>32), uint32(nb), uint32(n/8))
	return n
}
