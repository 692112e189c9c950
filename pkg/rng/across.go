package rng

// BlocksAcross writes blocks b … b+nb−1 of the streams keyed by (seed,
// stream, id) for every id of ids, laid out for reading one word of every
// id at once: word w of block b+k of ids[l] goes to dst[(4k+w)·stride+l].
// The words are Block's. On amd64 with AVX2, eight ids at a time run in
// the lanes of vector registers, all in one call.
func BlocksAcross(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) {
	if nb <= 0 || len(ids) == 0 {
		return
	}
	_ = dst[(4*nb-1)*stride+len(ids)-1]
	done := blocksVector(dst, stride, seed, stream, ids, b, nb)
	for l := done; l < len(ids); l++ {
		for k := 0; k < nb; k++ {
			w := Block(seed, stream, ids[l], b+uint64(k))
			for q := range w {
				dst[(4*k+q)*stride+l] = w[q]
			}
		}
	}
}
