package rng

// Blocks8 returns blocks b … b+7 of the stream keyed by (seed, stream, id),
// out[4k+w] being word w of block b+k: the same numbers as eight Block
// calls. On amd64 with AVX2 the eight Philox chains run in the lanes of
// vector registers; elsewhere it is two Blocks4 calls.
func Blocks8(seed uint64, stream, id uint32, b uint64) (out [32]uint32) {
	// The vector code keeps the counter's high word fixed, so it takes
	// only runs of blocks that do not carry into it.
	if haveBlocks8Asm && uint32(b) <= 1<<32-8 {
		blocks8Asm(&out, uint32(b), uint32(b>>32), id, stream, uint32(seed), uint32(seed>>32))
		return out
	}
	return blocks8Generic(seed, stream, id, b)
}

// blocks8Generic is Blocks8 without vector instructions.
func blocks8Generic(seed uint64, stream, id uint32, b uint64) (out [32]uint32) {
	lo, hi := Blocks4(seed, stream, id, b), Blocks4(seed, stream, id, b+4)
	copy(out[:16], lo[:])
	copy(out[16:], hi[:])
	return out
}

// BlocksAcross writes blocks b … b+nb−1 of the streams keyed by (seed,
// stream, ids[l]) for the eight ids ids[0:8], laid out for reading one
// word of every id at once: word w of block b+k of ids[l] goes to
// dst[(4k+w)·stride+l]. On amd64 with AVX2 the eight ids run in the lanes
// of vector registers.
func BlocksAcross(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) {
	if nb <= 0 {
		return
	}
	_ = ids[7]
	_ = dst[(4*nb-1)*stride+7]
	if haveBlocks8Asm && uint64(uint32(b))+uint64(nb) <= 1<<32 {
		blocksAcrossAsm(&dst[0], uintptr(stride)*4, &ids[0], uint32(b), uint32(b>>32), stream, uint32(seed), uint32(seed>>32), uint32(nb))
		return
	}
	for l, id := range ids[:8] {
		for k := 0; k < nb; k++ {
			w := Block(seed, stream, id, b+uint64(k))
			for q := range w {
				dst[(4*k+q)*stride+l] = w[q]
			}
		}
	}
}
