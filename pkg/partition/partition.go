// Package partition says which rank owns which neuron. Neurons are dealt
// round-robin: global id g lives on rank g mod R at local index g div R, so
// every population is spread evenly over the ranks and the map needs no
// storage and no communication.
package partition

import "fmt"

// RoundRobin is the round-robin distribution of Neurons neurons over Ranks ranks.
type RoundRobin struct {
	Neurons int64
	Ranks   int
}

// New returns the distribution of n neurons over ranks ranks; every rank
// must own at least one neuron.
func New(n int64, ranks int) (RoundRobin, error) {
	if ranks < 1 {
		return RoundRobin{}, fmt.Errorf("rank count %d: must be at least 1", ranks)
	}
	if int64(ranks) > n {
		return RoundRobin{}, fmt.Errorf("%d ranks for %d neurons: every rank needs at least one neuron (use at most %d ranks)", ranks, n, n)
	}
	return RoundRobin{Neurons: n, Ranks: ranks}, nil
}

// Owner returns the rank that owns global id gid.
func (p RoundRobin) Owner(gid int64) int { return int(gid % int64(p.Ranks)) }

// Local returns gid's index among its owner's neurons.
func (p RoundRobin) Local(gid int64) int64 { return gid / int64(p.Ranks) }

// Global returns the global id of local index li on rank r.
func (p RoundRobin) Global(r int, li int64) int64 { return li*int64(p.Ranks) + int64(r) }

// Count returns the number of neurons rank r owns.
func (p RoundRobin) Count(r int) int64 {
	return (p.Neurons - int64(r) + int64(p.Ranks) - 1) / int64(p.Ranks)
}

// LocalRange returns the local indices [lo, hi) on rank r of the global ids
// [first, first+size): round-robin keeps them contiguous.
func (p RoundRobin) LocalRange(r int, first, size int64) (lo, hi int64) {
	return p.firstLocalAtOrAfter(r, first), p.firstLocalAtOrAfter(r, first+size)
}

// firstLocalAtOrAfter is the number of gids below g owned by rank r.
func (p RoundRobin) firstLocalAtOrAfter(r int, g int64) int64 {
	R := int64(p.Ranks)
	return (g - int64(r) + R - 1) / R
}
