package neuron

import (
	"fmt"
	"math"

	"github.com/snnkit/snnkit/pkg/rng"
)

// Keys identify a step's random numbers: the run's seed, the step number
// and the global id of every local neuron (indexed like State).
type Keys struct {
	Seed uint64
	Step int64
	GID  []uint32
}

// Keyed is implemented by models whose neurons draw random numbers: the
// engine calls StepKeyed instead of Step, so that every draw is keyed by
// (seed, purpose, gid, step) and never by rank or thread.
type Keyed interface {
	// StepKeyed advances neurons lo..hi−1 by the step k.Step and appends
	// the indices of those that spiked.
	StepKeyed(s *State, lo, hi int, k Keys, spiked []int32) []int32
}

// BumpConfig configures a PoissonBump population.
type BumpConfig struct {
	// Rate is the background rate and Peak the extra rate at the bump's
	// centre, in Hz; Sigma is the bump's width in grid units; Period is
	// the time in ms between jumps of the centre.
	Rate, Peak, Sigma, Period float64
	// Dt is the resolution in ms.
	Dt float64
	// Width and Height are the population's grid (a torus).
	Width, Height int64
	// FirstGID is the population's first global id.
	FirstGID int64
	// Pop indexes the population: it keys the streams.
	Pop uint32
	// Lo and Hi are the local neurons of the population (the engine's
	// local index range).
	Lo, Hi int
}

// PoissonBump is a population of Poisson spike sources on a torus grid
// whose rates form a Gaussian bump that jumps to a random grid point every
// period (Bamford, Murray & Willshaw 2010): neuron i spikes in a step with
// probability r_i·dt/1000 (at most 1), r_i = rate + peak·exp(−d²/(2σ²)), d
// the torus distance from the centre, so its mean rate is exactly r_i. The
// uniform of step s is word s of the stream (seed, PurposeBumpSpikes, gid);
// the centre of period k (steps [k·P, (k+1)·P), P = round(period/dt)) is
// (Intn(width), Intn(height)) of the stream (seed, PurposeBumpCentre, k).
// It takes no input.
type PoissonBump struct {
	w, h        int64
	first       int64
	every       int64 // period in steps
	spikeStream uint32
	centre      uint32
	hw, hh      int64 // largest torus offsets: w/2, h/2
	// thr[dx·(hh+1)+dy] is the spike probability at torus offset (dx, dy)
	// in units of 2⁻³² (2³² or more: always).
	thr []uint64
	lo  int
	// cache holds, per local neuron, its grid position and the uniforms
	// of 16 steps from 16·(base−1) on (base 0: none yet).
	cache []bumpWords
}

type bumpWords struct {
	base  uint64
	x, y  int64
	words [16]uint32
}

// NewPoissonBump returns the model of a poisson_bump population.
func NewPoissonBump(c BumpConfig) (*PoissonBump, error) {
	every := int64(math.Round(c.Period / c.Dt))
	switch {
	case c.Width < 1 || c.Height < 1:
		return nil, fmt.Errorf("poisson_bump needs a grid, got %d×%d", c.Width, c.Height)
	case every < 1:
		return nil, fmt.Errorf("poisson_bump: period %g ms is shorter than a step (%g ms)", c.Period, c.Dt)
	case !(c.Sigma > 0) || !(c.Rate >= 0) || !(c.Peak >= 0):
		return nil, fmt.Errorf("poisson_bump needs sigma > 0, rate ≥ 0 and peak ≥ 0, got %g, %g, %g", c.Sigma, c.Rate, c.Peak)
	}
	m := &PoissonBump{w: c.Width, h: c.Height, first: c.FirstGID, every: every,
		spikeStream: rng.StreamID(rng.PurposeBumpSpikes, c.Pop), centre: rng.StreamID(rng.PurposeBumpCentre, c.Pop),
		hw: c.Width / 2, hh: c.Height / 2, lo: c.Lo, cache: make([]bumpWords, max(c.Hi-c.Lo, 0))}
	m.thr = make([]uint64, (m.hw+1)*(m.hh+1))
	for dx := int64(0); dx <= m.hw; dx++ {
		for dy := int64(0); dy <= m.hh; dy++ {
			r := c.Rate + c.Peak*math.Exp(-float64(dx*dx+dy*dy)/(2*c.Sigma*c.Sigma))
			m.thr[dx*(m.hh+1)+dy] = uint64(math.Round(math.Min(r*c.Dt/1000, 1) * 0x1p32))
		}
	}
	return m, nil
}

// Centre returns the bump's grid position during step.
func (m *PoissonBump) Centre(seed uint64, step int64) (x, y int64) {
	s := rng.New(seed, m.centre, uint32(step/m.every))
	x = int64(s.Intn(uint32(m.w)))
	y = int64(s.Intn(uint32(m.h)))
	return x, y
}

// StepKeyed draws the spikes of neurons lo..hi−1 in step k.Step.
func (m *PoissonBump) StepKeyed(_ *State, lo, hi int, k Keys, spiked []int32) []int32 {
	cx, cy := m.Centre(k.Seed, k.Step)
	s := uint64(k.Step)
	bi, wi := s/16+1, s%16
	for i := lo; i < hi; i++ {
		c := &m.cache[i-m.lo]
		if c.base != bi {
			gid := k.GID[i]
			if c.base == 0 {
				c.x, c.y = (int64(gid)-m.first)%m.w, (int64(gid)-m.first)/m.w
			}
			c.words = rng.Blocks4(k.Seed, m.spikeStream, gid, 4*(bi-1))
			c.base = bi
		}
		dx, dy := abs(c.x-cx), abs(c.y-cy)
		dx, dy = min(dx, m.w-dx), min(dy, m.h-dy)
		if uint64(c.words[wi]) < m.thr[dx*(m.hh+1)+dy] {
			spiked = append(spiked, int32(i))
		}
	}
	return spiked
}

// Step is never used: the engine calls StepKeyed for Keyed models.
func (m *PoissonBump) Step(*State, int, int, Input, []int32) []int32 {
	panic("neuron: poisson_bump steps with StepKeyed")
}

// EL is 0: spike sources have no membrane.
func (m *PoissonBump) EL() float64 { return 0 }

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
