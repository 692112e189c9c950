//go:build !amd64

package rng

const haveBlocks8Asm = false

func blocks8Asm(out *[32]uint32, lo, hi, id, stream, k0, k1 uint32) {
	panic("rng: blocks8Asm without amd64")
}

func blocksAcrossAsm(dst *uint32, strideBytes uintptr, ids *uint32, lo, hi, stream, k0, k1, nb uint32) {
	panic("rng: blocksAcrossAsm without amd64")
}
