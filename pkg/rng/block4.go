package rng

import "math/bits"

// Blocks4 returns blocks b, b+1, b+2 and b+3 of the stream keyed by (seed,
// stream, id), out[4k+w] being word w of block b+k: the same numbers as
// four Block calls, computed as four interleaved Philox chains, which lets
// the processor overlap their multiplications.
func Blocks4(seed uint64, stream, id uint32, b uint64) (out [16]uint32) {
	var c0, c1, c2, c3 [4]uint32
	for l := range c0 {
		bl := b + uint64(l)
		c0[l], c1[l], c2[l], c3[l] = uint32(bl), uint32(bl>>32), id, stream
	}
	k0, k1 := uint32(seed), uint32(seed>>32)
	for r := 0; r < 10; r++ {
		for l := 0; l < 4; l++ {
			hi0, lo0 := bits.Mul32(philoxM0, c0[l])
			hi1, lo1 := bits.Mul32(philoxM1, c2[l])
			c0[l], c1[l], c2[l], c3[l] = hi1^c1[l]^k0, lo1, hi0^c3[l]^k1, lo0
		}
		k0 += philoxW0
		k1 += philoxW1
	}
	for l := 0; l < 4; l++ {
		out[4*l], out[4*l+1], out[4*l+2], out[4*l+3] = c0[l], c1[l], c2[l], c3[l]
	}
	return out
}
