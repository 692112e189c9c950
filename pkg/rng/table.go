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
}

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
	return PoissonTable{thresholds: th}
}

// Sample returns the count for the uniform word u.
func (t PoissonTable) Sample(u uint32) int {
	th := t.thresholds
	if len(th) <= 32 {
		k := 0
		for k < len(th) && th[k] <= u {
			k++
		}
		return k
	}
	lo, hi := 0, len(th)
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
