package rng

import "math"

// Block returns block b of the stream keyed by (seed, stream, id): the
// words that Stream would give at positions 4b … 4b+3.
func Block(seed uint64, stream, id uint32, b uint64) [4]uint32 {
	c0, c1, c2, c3 := philox(uint32(b), uint32(b>>32), id, stream, uint32(seed), uint32(seed>>32))
	return [4]uint32{c0, c1, c2, c3}
}

// PoissonTable samples Poisson(lambda) by inversion from one 32-bit
// uniform: Sample(u) is the number of thresholds ≤ u, where threshold k is
// ⌊P(X ≤ k)·2³²⌋. Counts whose upper tail is below 2⁻³² never occur.
type PoissonTable struct {
	thresholds []uint32
	// lut[b] is the count of every u with top LookupBits bits b when no
	// threshold falls inside that range, else lutMixed; first[b] is where
	// to start searching for such mixed ranges.
	lut   [1 << LookupBits]uint8
	first [1 << LookupBits]uint16
}

// LookupBits is how many of the uniform's top bits index Lookup: with 12,
// a count needs a search for 8–10 of the 4096 ranges at the rates of the
// microcircuit's Poisson input (λ 1.2–2.3 per step), where 8 bits left
// 6–8 of 256 (go test -run PoissonLookupMixed -v).
const LookupBits = 12

const lutMixed = 255

// NewPoissonTable tabulates Poisson(lambda) for 0 ≤ lambda ≤ 1000.
func NewPoissonTable(lambda float64) PoissonTable {
	if !(lambda > 0) {
		return PoissonTable{}
	}
	var th []uint32
	logP := -lambda // log P(X = 0)
	cdf := 0.0
	for k := 0; ; k++ {
		if k > 0 {
			logP += math.Log(lambda) - math.Log(float64(k))
		}
		cdf += math.Exp(logP)
		if cdf >= 1-0x1p-32 || (float64(k) > lambda && math.Exp(logP) < 0x1p-40) {
			break
		}
		th = append(th, uint32(cdf*0x1p32))
	}
	t := PoissonTable{thresholds: th}
	const shift = 32 - LookupBits
	for b := range t.lut {
		lo, hi := uint32(b)<<shift, uint32(b)<<shift|(1<<shift-1)
		clo, chi := t.search(lo, 0), t.search(hi, 0)
		t.first[b] = uint16(min(clo, 0xffff))
		if clo == chi && clo < lutMixed {
			t.lut[b] = uint8(clo)
		} else {
			t.lut[b] = lutMixed
		}
	}
	return t
}

// Sample returns the count for the uniform word u.
func (t *PoissonTable) Sample(u uint32) int {
	if c := t.lut[u>>(32-LookupBits)]; c != lutMixed {
		return int(c)
	}
	return t.mixed(u)
}

// mixed is Sample for the uniforms whose top byte does not settle the
// count, kept out of line so that Sample inlines.
//
//go:noinline
func (t *PoissonTable) mixed(u uint32) int {
	return t.search(u, int(t.first[u>>(32-LookupBits)]))
}

// search counts the thresholds ≤ u, knowing that the first k are.
func (t *PoissonTable) search(u uint32, k int) int {
	th := t.thresholds
	if len(th)-k <= 32 {
		for k < len(th) && th[k] <= u {
			k++
		}
		return k
	}
	lo, hi := k, len(th)
	for lo < hi {
		mid := (lo + hi) / 2
		if th[mid] <= u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// MaxCount is the largest count Sample returns.
func (t *PoissonTable) MaxCount() int { return len(t.thresholds) }

// LookupSearch marks the entries of Lookup whose count Sample must search.
const LookupSearch = lutMixed

// Lookup returns the table of counts by the uniform's top LookupBits bits
// (LookupSearch where they do not settle the count), for vector code that
// gathers from it: the table is followed by more of t, so a 4-byte read at
// any of its entries stays inside t.
func (t *PoissonTable) Lookup() *[1 << LookupBits]uint8 { return &t.lut }
