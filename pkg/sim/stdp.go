package sim

// Spike-timing dependent plasticity with NEST's semantics (stdp_synapse.h,
// stdp_pl_synapse_hom.h, archiving_node.cpp of NEST 3):
//
//   - the whole delay d is dendritic: a presynaptic spike at t_pre (its
//     step) first facilitates the weight for every postsynaptic spike
//     t_post of the target with t_last − d < t_post ≤ t_pre − d, with
//     k = Kplus·exp((t_last − (t_post + d))/tau_plus); then depresses it
//     with K_minus(t_pre − d), the postsynaptic trace of the spikes
//     strictly before t_pre − d (+1 per spike, decaying with the target's
//     tau_minus); then the spike is delivered with the new weight; then
//     Kplus = Kplus·exp((t_last − t_pre)/tau_plus) + 1 and t_last = t_pre
//     (initially Kplus 0 and t_last 0);
//   - times are compared as integer steps; step differences are turned into
//     ms (× dt) only inside the exponentials.
//
// Determinism: Kplus and t_last depend only on the source's spike train,
// the same on every synapse of a (projection, source) row, so prePass
// computes them per row in one sequential pass over the interval's spikes
// and records the values before each spike; the threads of deliver only
// read them. A thread owns its target range, hence the weights of its row
// segments and its targets' post histories. The operations on a synapse
// are the same for any rank and thread count, so are its weights.
//
// The facilitation window is open at t_last − d, so a post spike never
// facilitates with minus_dt = 0: NEST 3 asserts minus_dt < 0 there, NEST 2
// skipped minus_dt == 0 explicitly; both give these results.
//
// Deviations from NEST: initial weights come from the network files
// (float32); exponents are n·(dt/tau) for integer step differences n
// instead of differences of times in ms (last-bit differences);
// K_minus is always the exact trace (NEST returns 0 when the history it
// needs was pruned, which its pruning rule avoids in practice); the history
// keeps every entry that a synapse may still need (see postTrace.spike), so
// it grows while a plastic source stays silent, as NEST's does;
// stdp_pl_synapse_hom refuses negative weights (NEST computes NaN powers).

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"slices"

	"github.com/snnkit/snnkit/pkg/model"
)

// Plastic synapse models.
const (
	STDPSynapse   = "stdp_synapse"
	STDPPLSynapse = "stdp_pl_synapse_hom"
)

// stdpRule is a plastic projection's weight update rule.
type stdpRule struct {
	pl bool // stdp_pl_synapse_hom; else stdp_synapse
	// plus decays Kplus: exp(−n·dt/tau_plus) over n steps.
	plus                                 *expTable
	lambda, alpha, muPlus, muMinus, wmax float64
	mu                                   float64 // stdp_pl_synapse_hom
	// expLog: for 0 < mu < 0.5 and w > 0, math.Pow(w, mu) is
	// math.Exp(mu·math.Log(w)) (Go's pow takes exactly that path), which
	// skips pow's special cases and scaling.
	expLog bool
}

// expTable gives exp(−n·c) for n ≥ 0 steps, as math.Exp computes it: the
// first values are looked up, which makes no difference to a single bit.
type expTable struct {
	c   float64
	tab []float64
}

// expTableLen is the number of tabulated steps (409.6 ms at dt 0.1 ms).
const expTableLen = 1 << 12

func newExpTable(c float64) *expTable {
	t := &expTable{c: c, tab: make([]float64, expTableLen)}
	for n := range t.tab {
		t.tab[n] = math.Exp(float64(-n) * c)
	}
	return t
}

// at returns exp(−n·c).
func (t *expTable) at(n int64) float64 {
	if uint64(n) < uint64(len(t.tab)) {
		return t.tab[n]
	}
	return math.Exp(float64(-n) * t.c)
}

// newRule returns the rule of projection pr (nil for static_synapse).
func newRule(pr *model.Projection, dt float64) (*stdpRule, error) {
	p := pr.SynapseParams
	switch pr.SynapseModel {
	case "", "static_synapse":
		return nil, nil
	case STDPSynapse, STDPPLSynapse:
	default:
		return nil, fmt.Errorf("projection %s: synapse model %q is not implemented by the engine (accepted: static_synapse, %s, %s)",
			pr.Name, pr.SynapseModel, STDPSynapse, STDPPLSynapse)
	}
	if !(p["tau_plus"] > 0) {
		return nil, fmt.Errorf("projection %s: %s needs tau_plus > 0, got %g", pr.Name, pr.SynapseModel, p["tau_plus"])
	}
	r := &stdpRule{pl: pr.SynapseModel == STDPPLSynapse, plus: newExpTable(dt / p["tau_plus"]), lambda: p["lambda"], alpha: p["alpha"]}
	if r.pl {
		r.mu = p["mu"]
		r.expLog = r.mu > 0 && r.mu < 0.5
	} else {
		r.muPlus, r.muMinus, r.wmax = p["mu_plus"], p["mu_minus"], p["Wmax"]
		if r.wmax == 0 {
			return nil, fmt.Errorf("projection %s: stdp_synapse needs Wmax ≠ 0", pr.Name)
		}
	}
	return r, nil
}

// checkWeight refuses an initial weight that NEST refuses (stdp_synapse:
// weight and Wmax of different signs) or that would make the rule's powers
// undefined (stdp_pl_synapse_hom: a negative weight).
func (r *stdpRule) checkWeight(w float64) error {
	switch {
	case r.pl && w < 0:
		return fmt.Errorf("stdp_pl_synapse_hom needs weights ≥ 0, got %g", w)
	case !r.pl && (w >= 0) != (r.wmax >= 0):
		return fmt.Errorf("stdp_synapse needs weight and Wmax of the same sign, got weight %g and Wmax %g", w, r.wmax)
	}
	return nil
}

// facilitate is NEST's facilitate_ for a trace value k.
func (r *stdpRule) facilitate(w, k float64) float64 {
	if r.pl {
		return w + r.lambda*r.pow(w)*k
	}
	nw := w/r.wmax + r.lambda*math.Pow(1-w/r.wmax, r.muPlus)*k
	if nw < 1 {
		return nw * r.wmax
	}
	return r.wmax
}

// pow is math.Pow(w, mu).
func (r *stdpRule) pow(w float64) float64 {
	if r.expLog && w > 0 {
		return math.Exp(r.mu * math.Log(w))
	}
	return math.Pow(w, r.mu)
}

// depress is NEST's depress_ for a trace value k.
func (r *stdpRule) depress(w, k float64) float64 {
	if r.pl {
		nw := w - r.lambda*r.alpha*w*k
		if nw > 0 {
			return nw
		}
		return 0
	}
	nw := w/r.wmax - r.alpha*r.lambda*math.Pow(w/r.wmax, r.muMinus)*k
	if nw > 0 {
		return nw * r.wmax
	}
	return 0
}

// preTrace is a row's presynaptic trace: Kplus just after the spike at step tLast.
type preTrace struct {
	kPlus float64
	tLast int64
}

// next is the trace after a spike at step t.
func (r *stdpRule) next(p preTrace, t int64) preTrace {
	return preTrace{p.kPlus*r.plus.at(t-p.tLast) + 1, t}
}

// postEntry is a postsynaptic spike in a neuron's history.
type postEntry struct {
	t    uint32  // step
	read uint32  // plastic synapses onto the neuron that have facilitated with it
	k    float64 // Kminus just after the spike
}

// postTrace is a local neuron's postsynaptic spike history.
type postTrace struct {
	hist []postEntry
	// nIn counts the plastic synapses onto the neuron (0: no history kept).
	nIn uint32
	// minus decays Kminus: exp(−n·dt/tau_minus) over n steps.
	minus *expTable
}

// spike appends a spike at step t, first dropping the entries no synapse
// can need any more. Every synapse facilitates with each spike once, in
// order (its windows (t_last − d, t_pre − d] tile the time axis from −d on),
// and all its later queries lie after its t_last − d; so once entry i+1 has
// been read by all nIn synapses, entry i is older than the latest entry
// before any later query, and dropping it changes no result.
func (p *postTrace) spike(t uint32) {
	if p.nIn == 0 {
		return
	}
	h := p.hist
	drop := 0
	for drop+1 < len(h) && h[drop+1].read >= p.nIn {
		drop++
	}
	if drop > 0 {
		h = h[:copy(h, h[drop:])]
	}
	k := 1.0
	if n := len(h); n > 0 {
		k = h[n-1].k*p.minus.at(int64(t)-int64(h[n-1].t)) + 1
	}
	p.hist = append(h, postEntry{t: t, k: k})
}

// kMinus is the trace at step t of the spikes strictly before t (NEST's get_K_value).
func (p *postTrace) kMinus(t int64) float64 {
	for i := len(p.hist) - 1; i >= 0; i-- {
		if e := p.hist[i]; int64(e.t) < t {
			return e.k * p.minus.at(t-int64(e.t))
		}
	}
	return 0
}

// update applies a presynaptic spike at step tPre, with the row's trace pre
// before it, to a synapse of weight w and delay d steps onto post, and
// returns the new weight (NEST's send()).
func (r *stdpRule) update(w float64, pre preTrace, tPre, d int64, post *postTrace) float64 {
	h := post.hist
	lo, hi := pre.tLast-d, tPre-d
	j := len(h)
	for j > 0 && int64(h[j-1].t) > hi {
		j--
	}
	i := j
	for i > 0 && int64(h[i-1].t) > lo {
		i--
	}
	for x := i; x < j; x++ {
		w = r.facilitate(w, pre.kPlus*r.plus.at(int64(h[x].t)+d-pre.tLast))
		h[x].read++
	}
	return r.depress(w, post.kMinus(hi))
}

// plasticRow is the state of a row of a plastic projection.
type plasticRow struct {
	rule  *stdpRule
	start int64     // the row's first synapse
	w     []float64 // its weights
	trace preTrace
	// ord is the row's place among the plastic rows of its source (in
	// srcRows order): its trace before spike j is snaps[spikeSnap[j]+ord].
	ord int32
	one bool // the targets take all input in one channel
}

// plastic holds the engine's plasticity state (nil without plastic projections).
type plastic struct {
	rules []*stdpRule // per projection, nil for static ones
	rowPl []int32     // per row: index into rows, −1 for static rows
	rows  []plasticRow
	post  []postTrace // per local neuron
	// snaps holds the row traces before each spike of the interval:
	// spike j's start at spikeSnap[j].
	snaps     []preTrace
	spikeSnap []int32
}

// setupPlastic prepares the state of plastic projections; static networks get none.
func (e *Engine) setupPlastic() error {
	m, p := e.man.Model, e.p
	rules := make([]*stdpRule, len(m.Projections))
	found := false
	for pj := range m.Projections {
		r, err := newRule(&m.Projections[pj], m.Dt)
		if err != nil {
			return err
		}
		rules[pj], found = r, found || r != nil
	}
	if !found {
		return nil
	}
	pl := &plastic{rules: rules, rowPl: make([]int32, p.Rows()), post: make([]postTrace, e.n)}
	// Rows of structural projections are setupStructural's.
	isStruct := structuralSet(m)
	var total int64
	for r, pj := range p.RowProjection {
		pl.rowPl[r] = -1
		if rules[pj] != nil && !isStruct[pj] {
			total += p.RowStart[r+1] - p.RowStart[r]
		}
	}
	weights := make([]float64, total)
	var off int64
	for r, pj := range p.RowProjection {
		rule := rules[pj]
		if rule == nil || isStruct[pj] {
			continue
		}
		a, b := p.RowStart[r], p.RowStart[r+1]
		row := plasticRow{rule: rule, start: a, w: weights[off : off+b-a : off+b-a], one: e.rowOne[r]}
		off += b - a
		for k := a; k < b; k++ {
			w := float64(p.Weight[k])
			if err := rule.checkWeight(w); err != nil {
				return fmt.Errorf("projection %s: %w", m.Projections[pj].Name, err)
			}
			row.w[k-a] = w
			pl.post[p.TargetAt(k)].nIn++
		}
		pl.rowPl[r] = int32(len(pl.rows))
		pl.rows = append(pl.rows, row)
	}
	for i := range e.srcGID {
		var ord int32
		for _, r := range e.srcRows[e.srcOff[i]:e.srcOff[i+1]] {
			if q := pl.rowPl[r]; q >= 0 {
				pl.rows[q].ord = ord
				ord++
			}
		}
	}
	for _, g := range e.groups {
		minus := newExpTable(m.Dt / m.Populations[g.pop].Params["tau_minus"])
		for i := g.lo; i < g.hi; i++ {
			pl.post[i].minus = minus
		}
	}
	e.pl = pl
	return nil
}

// prePass records, for every spike of the interval and every plastic row
// of its source, the row's trace before the spike, then advances the trace.
// A source's spikes come in step order: each rank sends its threads' spikes
// in order, and every thread emits its neurons' spikes step by step.
func (pl *plastic) prePass(e *Engine, spikes []Spike) {
	pl.snaps, pl.spikeSnap = pl.snaps[:0], pl.spikeSnap[:0]
	for _, s := range spikes {
		pl.spikeSnap = append(pl.spikeSnap, int32(len(pl.snaps)))
		i, found := slices.BinarySearch(e.srcGID, s.GID)
		if !found {
			continue
		}
		for _, r := range e.srcRows[e.srcOff[i]:e.srcOff[i+1]] {
			if q := pl.rowPl[r]; q >= 0 {
				row := &pl.rows[q]
				pl.snaps = append(pl.snaps, row.trace)
				row.trace = row.rule.next(row.trace, int64(s.Step))
			}
		}
	}
}

// deliverRow applies spike j (step tPre) to synapses [a, b) of plastic row
// q and adds the new weights to the rings.
func (pl *plastic) deliverRow(e *Engine, q int32, j int, tPre int64, a, b int64, base int) {
	row := &pl.rows[q]
	pre := pl.snaps[pl.spikeSnap[j]+row.ord]
	p := e.p
	for k := a; k < b; k++ {
		t, d := p.TargetAt(k), int64(p.DelayAt(k))
		w := row.rule.update(row.w[k-row.start], pre, tPre, d, &pl.post[t])
		row.w[k-row.start] = w
		e.addInput(base, int(d), int(t), w, row.one)
	}
}

// PlasticSynapse is a plastic synapse and its current weight.
type PlasticSynapse struct {
	Projection     int    // index into the model's projections
	Source, Target uint32 // gids
	Delay          uint16 // steps
	Weight         float64
}

// PlasticWeights returns this rank's plastic synapses with their current
// weights, ordered by projection, source, then target (nil without
// plastic projections).
func (e *Engine) PlasticWeights() []PlasticSynapse {
	if e.pl == nil {
		return nil
	}
	out := e.pl.appendSynapses(e, make([]PlasticSynapse, 0, e.pl.synapses()))
	if e.st != nil {
		out = e.st.synapses(e, out, true)
		slices.SortFunc(out, cmpSynapse)
	}
	return out
}

// appendSynapses appends the synapses of the plastic rows (those of
// non-structural projections), in row order, to out.
func (pl *plastic) appendSynapses(e *Engine, out []PlasticSynapse) []PlasticSynapse {
	p := e.p
	for r, q := range pl.rowPl {
		if q < 0 {
			continue
		}
		row := &pl.rows[q]
		for k := p.RowStart[r]; k < p.RowStart[r+1]; k++ {
			out = append(out, PlasticSynapse{Projection: int(p.RowProjection[r]), Source: p.RowSource[r],
				Target: p.GID[p.TargetAt(k)], Delay: p.DelayAt(k), Weight: row.w[k-row.start]})
		}
	}
	return out
}

func (pl *plastic) synapses() int {
	n := 0
	for i := range pl.rows {
		n += len(pl.rows[i].w)
	}
	return n
}

// weightSum summarises a projection's plastic weights in the fixed point
// of the input rings, so that sums over ranks are exact and the same for
// any partitioning.
type weightSum struct {
	Projection int    `json:"projection"`
	N          int64  `json:"n"`
	SumHi      int64  `json:"sum_hi"` // the 128-bit sum: SumHi·2⁶⁴ + SumLo
	SumLo      uint64 `json:"sum_lo"`
	Min        int64  `json:"min"`
	Max        int64  `json:"max"`
}

// add adds a weight in fixed point.
func (s *weightSum) add(x int64) {
	if s.N == 0 || x < s.Min {
		s.Min = x
	}
	if s.N == 0 || x > s.Max {
		s.Max = x
	}
	s.N++
	var c uint64
	s.SumLo, c = bits.Add64(s.SumLo, uint64(x), 0)
	s.SumHi += x>>63 + int64(c)
}

// merge adds o (of the same projection) to s.
func (s *weightSum) merge(o weightSum) {
	if o.N == 0 {
		return
	}
	if s.N == 0 || o.Min < s.Min {
		s.Min = o.Min
	}
	if s.N == 0 || o.Max > s.Max {
		s.Max = o.Max
	}
	s.N += o.N
	var c uint64
	s.SumLo, c = bits.Add64(s.SumLo, o.SumLo, 0)
	s.SumHi += o.SumHi + int64(c)
}

// mean is the mean weight in pA (mV).
func (s *weightSum) mean() float64 {
	sum := new(big.Int).Lsh(big.NewInt(s.SumHi), 64)
	sum.Add(sum, new(big.Int).SetUint64(s.SumLo))
	q := new(big.Float).SetInt(sum)
	q.Quo(q, new(big.Float).SetInt64(s.N))
	q.Quo(q, big.NewFloat(fix))
	f, _ := q.Float64()
	return f
}

// weightSums summarises this rank's plastic weights per plastic projection.
func (e *Engine) weightSums() []weightSum {
	if e.pl == nil {
		return nil
	}
	var out []weightSum
	for pj, r := range e.pl.rules {
		if r != nil {
			out = append(out, weightSum{Projection: pj})
		}
	}
	for r, q := range e.pl.rowPl {
		if q < 0 {
			continue
		}
		pj := int(e.p.RowProjection[r])
		s := &out[slices.IndexFunc(out, func(s weightSum) bool { return s.Projection == pj })]
		for _, w := range e.pl.rows[q].w {
			s.add(int64(w * fix))
		}
	}
	if e.st != nil {
		e.st.addWeightSums(out)
	}
	return out
}
