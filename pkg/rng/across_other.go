//go:build !amd64

package rng

const haveAcrossAsm = false

func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb uint32) {
	panic("rng: blocksAcrossAsm without amd64")
}
