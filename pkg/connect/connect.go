// Package connect generates synapses on the target side: the synapses onto
// target neuron g of projection p come from random streams keyed by
// (seed, p, g) alone, so any rank can build — or replay — exactly the
// synapses onto any neuron without talking to another rank.
package connect

import (
	"fmt"
	"math"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/rng"
)

// Plan is a model compiled for construction with one seed.
type Plan struct {
	Model *model.Model
	Seed  uint64
	// First is the first global id of each population; Total the neuron count.
	First []int64
	Total int64
	Projs []Proj
}

// Proj is a projection compiled for construction.
type Proj struct {
	Index              int
	Spec               *model.Projection
	Src, Tgt           int // population indices
	SrcFirst, SrcN     int64
	TgtFirst, TgtN     int64
	autapses, multapse bool
	same               bool
	dt                 float64
}

// NewPlan compiles m for construction with seed. m must be resolved
// (model.Resolve, Parse or Builtin do that).
func NewPlan(m *model.Model, seed uint64) (*Plan, error) {
	first, total := m.FirstGIDs()
	p := &Plan{Model: m, Seed: seed, First: first, Total: total}
	for i := range m.Projections {
		spec := &m.Projections[i]
		si, ti := m.PopulationIndex(spec.Source), m.PopulationIndex(spec.Target)
		if si < 0 || ti < 0 {
			return nil, fmt.Errorf("projection %s: unknown population", spec.Name)
		}
		p.Projs = append(p.Projs, Proj{
			Index: i, Spec: spec, Src: si, Tgt: ti,
			SrcFirst: first[si], SrcN: m.Populations[si].Size,
			TgtFirst: first[ti], TgtN: m.Populations[ti].Size,
			autapses: spec.Autapses(), multapse: spec.Multapses(), same: si == ti, dt: m.Dt,
		})
	}
	return p, nil
}

// Gen generates synapses; it holds scratch space, so each goroutine needs its own.
type Gen struct {
	plan *Plan
	seen []uint64 // bitset over a source population, for draws without multapses
}

// NewGen returns a generator for plan.
func (p *Plan) NewGen() *Gen { return &Gen{plan: p} }

// Sources appends to dst the source indices (within the source population)
// of the synapses onto target index j (within the target population), in
// draw order. count is the number of synapses onto j for fixed_total_number
// (see Counts) and is ignored by the other rules.
func (g *Gen) Sources(p *Proj, j int64, count int64, dst []uint32) ([]uint32, error) {
	gid := p.TgtFirst + j
	s := rng.New(g.plan.Seed, rng.StreamID(rng.PurposeSources, uint32(p.Index)), uint32(gid))
	self := int64(-1) // the source index that would be an autapse
	if p.same && !p.autapses {
		self = j
	}
	switch p.Spec.Rule {
	case model.FixedIndegree:
		return g.drawK(&s, p, j, p.Spec.Indegree, self, dst)
	case model.FixedTotalNumber:
		return g.drawK(&s, p, j, count, self, dst)
	case model.PairwiseBernoulli:
		if p.Spec.Kernel != nil {
			return g.kernelSources(&s, p, j, self, dst), nil
		}
		prob := *p.Spec.P
		if prob <= 0 {
			return dst, nil
		}
		for i := int64(-1); ; {
			if prob >= 1 {
				i++
			} else {
				skip := s.Geometric(prob)
				if skip >= p.SrcN {
					return dst, nil
				}
				i += 1 + skip
			}
			if i >= p.SrcN {
				return dst, nil
			}
			if i != self {
				dst = append(dst, uint32(i))
			}
		}
	case model.OneToOne:
		if j != self {
			dst = append(dst, uint32(j))
		}
		return dst, nil
	case model.AllToAll:
		for i := int64(0); i < p.SrcN; i++ {
			if i != self {
				dst = append(dst, uint32(i))
			}
		}
		return dst, nil
	}
	return dst, fmt.Errorf("projection %s: unknown rule %q", p.Spec.Name, p.Spec.Rule)
}

// drawK draws k sources uniformly, skipping self, with or without repeats.
func (g *Gen) drawK(s *rng.Stream, p *Proj, j, k, self int64, dst []uint32) ([]uint32, error) {
	n := uint32(p.SrcN)
	if p.multapse {
		for ; k > 0; k-- {
			i := s.Intn(n)
			for int64(i) == self {
				i = s.Intn(n)
			}
			dst = append(dst, i)
		}
		return dst, nil
	}
	avail := p.SrcN
	if self >= 0 {
		avail--
	}
	if k > avail {
		return dst, fmt.Errorf("projection %s: %d synapses onto %s neuron %d without multapses, but only %d sources are possible (allow multapses or lower the count)",
			p.Spec.Name, k, p.Spec.Target, p.TgtFirst+j, avail)
	}
	if 2*k <= avail {
		// Rejection: mark drawn sources, redraw repeats, then unmark.
		words := (p.SrcN + 63) / 64
		if int64(len(g.seen)) < words {
			g.seen = make([]uint64, words)
		}
		start := len(dst)
		for ; k > 0; k-- {
			i := s.Intn(n)
			for int64(i) == self || g.seen[i/64]&(1<<(i%64)) != 0 {
				i = s.Intn(n)
			}
			g.seen[i/64] |= 1 << (i % 64)
			dst = append(dst, i)
		}
		for _, i := range dst[start:] {
			g.seen[i/64] = 0
		}
		return dst, nil
	}
	// Selection sampling (Knuth's algorithm S): each remaining source is
	// taken with probability needed/remaining.
	remaining := uint64(avail)
	need := uint64(k)
	for i := int64(0); i < p.SrcN && need > 0; i++ {
		if i == self {
			continue
		}
		if s.Uint64n(remaining) < need {
			dst = append(dst, uint32(i))
			need--
		}
		remaining--
	}
	return dst, nil
}

// Weights fills w with the weights of the n = len(w) synapses onto target
// index j, in the order Sources gave them.
func (g *Gen) Weights(p *Proj, j int64, w []float32) {
	d := p.Spec.Weight
	if d.IsConst() {
		for i := range w {
			w[i] = float32(d.Value)
		}
		return
	}
	s := rng.New(g.plan.Seed, rng.StreamID(rng.PurposeWeights, uint32(p.Index)), uint32(p.TgtFirst+j))
	for i := range w {
		w[i] = float32(Draw(&s, d))
	}
}

// Delays fills d with the delays in steps of the synapses onto target index j.
func (g *Gen) Delays(p *Proj, j int64, d []uint16) error {
	dist := p.Spec.Delay
	if dist.IsConst() {
		steps, err := delaySteps(p, dist.Value)
		if err != nil {
			return err
		}
		for i := range d {
			d[i] = steps
		}
		return nil
	}
	s := rng.New(g.plan.Seed, rng.StreamID(rng.PurposeDelays, uint32(p.Index)), uint32(p.TgtFirst+j))
	for i := range d {
		steps, err := delaySteps(p, Draw(&s, dist))
		if err != nil {
			return err
		}
		d[i] = steps
	}
	return nil
}

// ConstDelay returns the delay in steps of every synapse of p and true when
// the delay is constant.
func (p *Proj) ConstDelay() (uint16, bool) {
	if !p.Spec.Delay.IsConst() {
		return 0, false
	}
	steps, err := delaySteps(p, p.Spec.Delay.Value)
	return steps, err == nil
}

// DelayStepRange returns the smallest and largest delay in steps that p can
// produce (the largest is MaxDelaySteps when unbounded).
func (p *Proj) DelayStepRange() (lo, hi int64) {
	d := p.Spec.Delay
	switch d.Kind {
	case model.Normal:
		lo, hi = 1, model.MaxDelaySteps
		if d.SD == 0 {
			return roundSteps(d.Mean, p.dt), roundSteps(d.Mean, p.dt)
		}
		if d.Min != nil {
			lo = max(1, roundSteps(*d.Min, p.dt))
		}
		if d.Max != nil {
			hi = min(model.MaxDelaySteps, roundSteps(*d.Max, p.dt))
		}
		return lo, hi
	case model.Uniform:
		return roundSteps(d.Low, p.dt), roundSteps(d.High, p.dt)
	}
	s := roundSteps(d.Value, p.dt)
	return s, s
}

func roundSteps(ms, dt float64) int64 { return int64(math.Round(ms / dt)) }

func delaySteps(p *Proj, ms float64) (uint16, error) {
	steps := roundSteps(ms, p.dt)
	if steps < 1 || steps > model.MaxDelaySteps {
		return 0, fmt.Errorf("projection %s: delay %g ms is %d steps of %g ms, outside [1, %d]", p.Spec.Name, ms, steps, p.dt, model.MaxDelaySteps)
	}
	return uint16(steps), nil
}

// Draw returns one value of d from s: normal values outside [min, max] are
// redrawn (as NEST's nest.math.redraw), uniform values lie in [low, high).
func Draw(s *rng.Stream, d model.Dist) float64 {
	switch d.Kind {
	case model.Normal:
		for {
			x := d.Mean + d.SD*s.Normal()
			if (d.Min == nil || x >= *d.Min) && (d.Max == nil || x <= *d.Max) {
				return x
			}
		}
	case model.Uniform:
		return d.Low + (d.High-d.Low)*s.Float64()
	}
	return d.Value
}

// InitialState returns the initial value of state variable index vi (in the
// neuron model's State order) with distribution d for neuron gid.
func (p *Plan) InitialState(gid int64, vi int, d model.Dist) float64 {
	if d.IsConst() {
		return d.Value
	}
	s := rng.New(p.Seed, rng.StreamID(rng.PurposeInitial, uint32(vi)), uint32(gid))
	return Draw(&s, d)
}
