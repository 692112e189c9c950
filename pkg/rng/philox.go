// Package rng is snnkit's counter-based random number generator:
// Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011), bit for bit the generator of Random123 and
// of cuRAND's curand_Philox4x32_10.
//
// # Keying
//
// Philox is a keyed bijection of a 128-bit counter, so there is no state to
// advance: any number is a function of where it sits. A Stream is named by
// (seed, stream, id):
//
//	key     = {uint32(seed), uint32(seed >> 32)}
//	counter = {b mod 2³², b div 2³², id, stream}
//
// where b = 0, 1, 2, … is the block index; each block gives four 32-bit
// words, used in the order out[0], out[1], out[2], out[3]. The seed selects
// the whole family of numbers of one run, stream names a purpose (see
// StreamID) and id the thing the numbers are about (a neuron, a tree node),
// so any rank, thread or GPU can draw exactly the numbers of, say, the
// synapses onto neuron id without drawing anything else first. This is what
// makes networks and simulations independent of the number of ranks and
// threads. NewAt starts the block index at hi·2³², giving up to 2³²
// disjoint sub-streams (of 2³² blocks each) per (seed, stream, id), for
// example one per simulation step.
//
// # Conversions
//
// Every conversion from words to numbers is written so that a CUDA C
// version can mirror it exactly: Uint64 is two consecutive words, low word
// first; Float64 is the top 53 bits of Uint64 times 2⁻⁵³; integers in a range
// use Lemire's multiply-shift with rejection. Every method consumes a number
// of words that depends only on its arguments and the words it reads, never
// on anything outside the stream. The continuous and discrete distributions
// (dist.go) additionally depend on the math library's log, exp, cos and
// lgamma, so they are identical between runs of the same binary, but a port
// agrees with them bit for bit only if its functions round the same way.
package rng

import "math/bits"

// Philox4x32-10 constants (Random123, philox.h): the round multipliers and
// the Weyl increments of the key.
const (
	philoxM0 = 0xD2511F53
	philoxM1 = 0xCD9E8D57
	philoxW0 = 0x9E3779B9 // golden ratio
	philoxW1 = 0xBB67AE85 // sqrt(3) - 1
)

// Philox4x32 applies Philox4x32-10 to ctr with key (Random123 constants
// M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85; 10
// rounds, the key bumped by (W0, W1) between rounds).
func Philox4x32(ctr [4]uint32, key [2]uint32) [4]uint32 {
	c0, c1, c2, c3 := philox(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1])
	return [4]uint32{c0, c1, c2, c3}
}

// philox is Philox4x32-10 on scalars. One round is
//
//	hi0:lo0 = M0·c0, hi1:lo1 = M1·c2 (32×32 → 64-bit products)
//	c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
//
// and the key is bumped by (W0, W1) between rounds. The rounds are written
// out because the compiler does not unroll loops, and the unrolled form
// keeps all twelve words in registers.
func philox(c0, c1, c2, c3, k0, k1 uint32) (uint32, uint32, uint32, uint32) {
	var hi0, lo0, hi1, lo1 uint32
	// round 1
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 2
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 3
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 4
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 5
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 6
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 7
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 8
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 9
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	c0, c1, c2, c3 = hi1^c1^k0, lo1, hi0^c3^k1, lo0
	k0, k1 = k0+philoxW0, k1+philoxW1
	// round 10
	hi0, lo0 = bits.Mul32(philoxM0, c0)
	hi1, lo1 = bits.Mul32(philoxM1, c2)
	return hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
}

// Stream is the sequence of random numbers keyed by (seed, stream, id); see
// the package comment. It is a small value with no pointers: it never
// allocates, and copying it forks the sequence (both copies then give the
// same numbers). The zero Stream is the stream New(0, 0, 0).
type Stream struct {
	key [2]uint32 // {seed low, seed high}
	ctr [4]uint32 // the next block: {b low, b high, id, stream}
	buf [4]uint32 // the current block's words in reverse: out[3], out[2], out[1], out[0]
	pos uint32    // words of buf not yet used; the next is buf[pos-1]
}

// New returns the stream keyed by (seed, stream, id): key = {uint32(seed),
// uint32(seed>>32)} and counter {b low, b high, id, stream}, whose 64-bit
// block index b starts at 0.
func New(seed uint64, stream, id uint32) Stream {
	return Stream{key: [2]uint32{uint32(seed), uint32(seed >> 32)}, ctr: [4]uint32{0, 0, id, stream}}
}

// NewAt is New with the block index starting at hi·2³² (ctr[1] = hi,
// ctr[0] = 0): a separate sub-stream of 2³² blocks per hi, for example one
// per simulation step.
func NewAt(seed uint64, stream, id, hi uint32) Stream {
	return Stream{key: [2]uint32{uint32(seed), uint32(seed >> 32)}, ctr: [4]uint32{0, hi, id, stream}}
}

// Uint32 returns the next word: words out[0], out[1], out[2], out[3] of
// each block in order, then the next block.
func (s *Stream) Uint32() uint32 {
	if s.pos == 0 {
		s.refill()
	}
	s.pos--
	return s.buf[s.pos&3]
}

// refill computes the block at the counter into buf and advances the
// counter, carrying into ctr[1].
func (s *Stream) refill() {
	s.buf[3], s.buf[2], s.buf[1], s.buf[0] = philox(s.ctr[0], s.ctr[1], s.ctr[2], s.ctr[3], s.key[0], s.key[1])
	s.ctr[0]++
	if s.ctr[0] == 0 {
		s.ctr[1]++
	}
	s.pos = 4
}

// Uint64 returns the next two words as one number: the first Uint32 is the
// low half, the second the high half.
func (s *Stream) Uint64() uint64 {
	if p := s.pos; p >= 2 { // both words in buf: buf[p-1], then buf[p-2]
		s.pos = p - 2
		return uint64(s.buf[(p-2)&3])<<32 | uint64(s.buf[(p-1)&3])
	}
	lo := s.Uint32()
	return uint64(s.Uint32())<<32 | uint64(lo)
}

// Float64 returns a uniform number in [0, 1): (Uint64() >> 11) · 2⁻⁵³, the
// top 53 bits of Uint64 as a multiple of 2⁻⁵³ (exact).
func (s *Stream) Float64() float64 {
	return float64(s.Uint64()>>11) * 0x1p-53
}

// Float64Open returns a uniform number in (0, 1]: ((Uint64() >> 11) + 1) ·
// 2⁻⁵³ (exact), for use where 0 must not occur, such as under a logarithm.
func (s *Stream) Float64Open() float64 {
	return float64(s.Uint64()>>11+1) * 0x1p-53
}

// Intn returns a uniform integer in [0, n), unbiased, by Lemire's
// multiply-shift with rejection: with x = Uint32(), m = x·n (64 bits); x is
// redrawn while uint32(m) < 2³² mod n, and the result is m >> 32. It uses one
// word except with probability below n/2³². n must be positive: Intn(0)
// panics.
func (s *Stream) Intn(n uint32) uint32 {
	m := uint64(s.Uint32()) * uint64(n)
	if uint32(m) <= n-1 { // uint32(m) < n, or n == 0
		return s.intnSlow(n, m)
	}
	return uint32(m >> 32)
}

// intnSlow finishes Intn when the first product fell in the low range where
// it may have to be rejected.
func (s *Stream) intnSlow(n uint32, m uint64) uint32 {
	if n == 0 {
		panic("rng: Intn(0)")
	}
	t := -n % n // 2³² mod n
	for uint32(m) < t {
		m = uint64(s.Uint32()) * uint64(n)
	}
	return uint32(m >> 32)
}

// Uint64n returns a uniform integer in [0, n), unbiased. For n < 2³² it is
// uint64(Intn(uint32(n))) (one word, usually); otherwise it is Lemire's
// method on Uint64: with x = Uint64(), hi:lo = x·n (128 bits); x is redrawn
// while lo < 2⁶⁴ mod n, and the result is hi. n must be positive:
// Uint64n(0) panics.
func (s *Stream) Uint64n(n uint64) uint64 {
	if n < 1<<32 {
		if n == 0 {
			panic("rng: Uint64n(0)")
		}
		return uint64(s.Intn(uint32(n)))
	}
	hi, lo := bits.Mul64(s.Uint64(), n)
	if lo < n {
		t := -n % n // 2⁶⁴ mod n
		for lo < t {
			hi, lo = bits.Mul64(s.Uint64(), n)
		}
	}
	return hi
}
