package connect

import (
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/rng"
)

// Counts calls set(j, c) with the number c > 0 of synapses onto each target
// index j of a fixed_total_number projection for which hasWant finds j
// wanted (targets with no synapse are not reported). The total N is split over the targets by a multinomial drawn
// as a binary tree of binomials: the node over [lo, hi) with c synapses
// gives Binomial(c, (mid−lo)/(hi−lo)) to its left half. Node h (root 1,
// children 2h and 2h+1) draws from the stream keyed by (seed, projection, h),
// so every rank computes the same counts while visiting only the subtrees
// that hold targets it wants. hasWant(lo, hi) reports whether any wanted
// index lies in [lo, hi).
func (g *Gen) Counts(p *Proj, hasWant func(lo, hi int64) bool, set func(j, c int64)) {
	if p.Spec.Rule != model.FixedTotalNumber {
		return
	}
	stream := rng.StreamID(rng.PurposeCounts, uint32(p.Index))
	var split func(lo, hi, c int64, h uint64)
	split = func(lo, hi, c int64, h uint64) {
		if c == 0 || !hasWant(lo, hi) {
			return
		}
		if hi-lo == 1 {
			set(lo, c)
			return
		}
		mid := lo + (hi-lo)/2
		s := rng.NewAt(g.plan.Seed, stream, uint32(h), uint32(h>>32))
		left := s.Binomial(c, float64(mid-lo)/float64(hi-lo))
		split(lo, mid, left, 2*h)
		split(mid, hi, c-left, 2*h+1)
	}
	split(0, p.TgtN, p.Spec.N, 1)
}
