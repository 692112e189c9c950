package rng

// BlocksAcross writes blocks b … b+nb−1 of the streams keyed by (seed,
// stream, id) for up to eight ids, laid out for reading one word of every id
// at once: word w of block b+k of ids[l] goes to dst[(4k+w)·stride+l]. The
// words are Block's. On amd64 with AVX2, eight ids run in the lanes of
// vector registers.
func BlocksAcross(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) {
	if nb <= 0 || len(ids) == 0 {
		return
	}
	if len(ids) > 8 {
		panic("rng: BlocksAcross takes at most 8 ids")
	}
	_ = dst[(4*nb-1)*stride+len(ids)-1]
	// The vector code keeps the counter's high word fixed, so it takes
	// only runs of blocks that do not carry into it.
	if haveAcrossAsm && len(ids) == 8 && uint64(uint32(b))+uint64(nb) <= 1<<32 {
		blocksAcrossAsm(&dst[0], uintptr(stride)*4, &ids[0], uint32(b), uint32(b>>32), stream, uint32(seed), uint32(seed>>32), uint32(nb))
		return
	}
	for l, id := range ids {
		for k := 0; k < nb; k++ {
			w := Block(seed, stream, id, b+uint64(k))
			for q := range w {
				dst[(4*k+q)*stride+l] = w[q]
			}
		}
	}
}
