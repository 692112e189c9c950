package rng

import (
	"math"

	"golang.org/x/sys/cpu"
)

// haveAcrossAsm tells whether blocksAcrossAsm may run here, and
// haveAcross512 whether blocksAcross512 may.
var (
	haveAcrossAsm = cpu.X86.HasAVX2
	haveAcross512 = cpu.X86.HasAVX512F
)

// blocksAcrossAsm is BlocksAcross for groups·8 ids with AVX2
// (across_amd64.s), eight at a time; strideBytes is the distance between
// dst's word rows, and lo+nb−1 must not overflow.
//
//go:noescape
func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb, groups uint32)

// blocksAcross512 is blocksAcrossAsm for groups·16 ids and 2·pairs
// blocks with AVX-512 (across_amd64.s), two blocks of sixteen ids at a
// time.
//
//go:noescape
func blocksAcross512(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, pairs, groups uint32)

// blocksVector writes BlocksAcross's words for the ids it can take with
// the vector code, the first multiple of eight, and returns their number.
// The vector code keeps the counter's high word fixed, so it takes only
// runs of blocks that do not carry into it.
func blocksVector(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) int {
	n := len(ids) &^ 7
	if !haveAcrossAsm || n == 0 || uint64(uint32(b))+uint64(nb) > 1<<32 || uint64(n/8) > math.MaxUint32 {
		return 0
	}
	sb, k0, k1 := uintptr(stride)*4, uint32(seed), uint32(seed>>32)
	done := 0
	if n16 := len(ids) &^ 15; haveAcross512 && n16 > 0 && nb >= 2 {
		blocksAcross512(&dst[0], sb, &ids[0], uint32(b), uint32(b>>32), stream, k0, k1, uint32(nb/2), uint32(n16/16))
		if nb%2 == 1 {
			last := 4 * (nb - 1) * stride
			blocksAcrossAsm(&dst[last], sb, &ids[0], uint32(b)+uint32(nb-1), uint32(b>>32), stream, k0, k1, 1, uint32(n16/8))
		}
		done = n16
	}
	if done < n {
		blocksAcrossAsm(&dst[done], sb, &ids[done], uint32(b), uint32(b>>32), stream, k0, k1, uint32(nb), uint32((n-done)/8))
	}
	return n
}
