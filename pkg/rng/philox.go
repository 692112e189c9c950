// Package rng is snnkit's counter-based random number generator:
// Philox4x32-10 (Salmon et al. 2011, as in Random123 and cuRAND). A stream
// is keyed by (seed, stream, id): the seed is the Philox key, and the
// 128-bit counter holds {block low, block high, id, stream}. Any rank,
// thread or GPU can therefore draw exactly the numbers of, say, the
// synapses onto neuron id without drawing anything else first — the basis
// of snnkit's rank- and thread-invariant networks and simulations.
//
// Every conversion below is simple and exact so that it can be mirrored in
// CUDA C and give the same numbers.
package rng

import "math/bits"

// Philox constants (Random123).
const (
	philoxM0 = 0xD2511F53
	philoxM1 = 0xCD9E8D57
	philoxW0 = 0x9E3779B9
	philoxW1 = 0xBB67AE85
)

// Philox4x32 applies Philox4x32-10 to ctr with key: 10 rounds, the key
// bumped by the Weyl constants between rounds.
func Philox4x32(ctr [4]uint32, key [2]uint32) [4]uint32 {
	c0, c1, c2, c3 := philox(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1])
	return [4]uint32{c0, c1, c2, c3}
}

// philox is Philox4x32-10 on scalars, its rounds written out (the compiler
// does not unroll loops, and the unrolled form is about twice as fast).
func philox(c0, c1, c2, c3, k0, k1 uint32) (uint32, uint32, uint32, uint32) {
	var hi0, lo0, hi1, lo1 uint32
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0 += philoxW0
	k1 += philoxW1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	return c0, c1, c2, c3
}

// Stream is a sequence of random numbers keyed by (seed, stream, id). It is
// a value: copying it forks the sequence, and it never allocates.
type Stream struct {
	key [2]uint32
	ctr [4]uint32 // ctr[0], ctr[1]: the next block; ctr[2] = id; ctr[3] = stream
	buf [4]uint32
	pos int // next word of buf; 4 = empty
}

// New returns the stream keyed by (seed, stream, id). Its blocks are
// Philox4x32({b mod 2³², b div 2³², id, stream}, {seed mod 2³², seed div 2³²})
// for b = 0, 1, 2, …, each giving four words in order.
func New(seed uint64, stream, id uint32) Stream {
	return Stream{key: [2]uint32{uint32(seed), uint32(seed >> 32)}, ctr: [4]uint32{0, 0, id, stream}, pos: 4}
}

// NewAt is New with the block index starting at hi·2³²: a separate
// sub-stream per hi, for example one per simulation step.
func NewAt(seed uint64, stream, id, hi uint32) Stream {
	s := New(seed, stream, id)
	s.ctr[1] = hi
	return s
}

// Uint32 returns the next 32 random bits.
func (s *Stream) Uint32() uint32 {
	if s.pos == 4 {
		s.refill()
	}
	v := s.buf[s.pos]
	s.pos++
	return v
}

func (s *Stream) refill() {
	s.buf[0], s.buf[1], s.buf[2], s.buf[3] = philox(s.ctr[0], s.ctr[1], s.ctr[2], s.ctr[3], s.key[0], s.key[1])
	s.ctr[0]++
	if s.ctr[0] == 0 {
		s.ctr[1]++
	}
	s.pos = 0
}

// Uint64 returns the next 64 random bits: the first Uint32 is the low half.
func (s *Stream) Uint64() uint64 {
	lo := s.Uint32()
	return uint64(s.Uint32())<<32 | uint64(lo)
}

// Float64 returns a uniform number in [0, 1): (Uint64() >> 11) · 2⁻⁵³.
func (s *Stream) Float64() float64 {
	return float64(s.Uint64()>>11) * 0x1p-53
}

// Float64Open returns a uniform number in (0, 1]: ((Uint64() >> 11) + 1) · 2⁻⁵³.
func (s *Stream) Float64Open() float64 {
	return float64(s.Uint64()>>11+1) * 0x1p-53
}

// Intn returns a uniform integer in [0, n) by Lemire's multiply-shift with
// rejection (unbiased). n must be positive.
func (s *Stream) Intn(n uint32) uint32 {
	if n == 0 {
		panic("rng: Intn(0)")
	}
	m := uint64(s.Uint32()) * uint64(n)
	if uint32(m) < n {
		t := -n % n
		for uint32(m) < t {
			m = uint64(s.Uint32()) * uint64(n)
		}
	}
	return uint32(m >> 32)
}

// Uint64n returns a uniform integer in [0, n), unbiased. n must be positive.
func (s *Stream) Uint64n(n uint64) uint64 {
	if n == 0 {
		panic("rng: Uint64n(0)")
	}
	if n <= 1<<32 && n != 1<<32 {
		return uint64(s.Intn(uint32(n)))
	}
	hi, lo := bits.Mul64(s.Uint64(), n)
	if lo < n {
		t := -n % n
		for lo < t {
			hi, lo = bits.Mul64(s.Uint64(), n)
		}
	}
	return hi
}
