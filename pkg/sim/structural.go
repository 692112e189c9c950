package sim

// Structural plasticity: synapses created and removed at run time, in the
// manner of GeNN's custom connectivity updates (Knight, Senk & Nowotny
// 2025), deterministic for any rank and thread count.
//
// Storage: the rows of a structural projection (one per source neuron with
// synapses onto this rank) leave the partition's static layout for growable
// rows with spare room (model.Structural.Capacity). Removing synapse k
// moves the row's last synapse, with every per-synapse variable, into its
// place (GeNN's remove_synapse); a new synapse is appended with fresh state
// (GeNN's add_synapse). These rows are delivered by their own loop after
// the static and STDP rows, so networks without structural projections run
// the code they ran before.
//
// Rewiring: each rank rewires the synapses onto its own neurons at every
// multiple S of the rule's interval: exchange intervals are cut to end at
// S, and the rewiring follows that interval's delivery, so synapses
// changed at S see exactly the spikes from step S on, however the run is
// split into intervals, ranks and threads. A target's decisions use the
// stream keyed by (seed, projection, target gid, rewiring number) and only
// the target's own synapses, never the order of synapses in a row (which depends on the
// partitioning): all removals of a step are decided before any is applied.
// Rows grow instead of refusing a synapse, because a row on one rank holds
// only that rank's targets: a per-row limit would make formation depend on
// the partitioning.
//
// Rules: bamford draws, per rewiring step and target, one candidate source
// uniformly from the source population (Bamford et al. 2010, as the
// SpiNNaker topographic-map model of Bogdan et al. 2018 rewires); if the
// candidate is connected, one of its synapses is eliminated with
// probability p_elim_low (|w| < w_threshold) or p_elim_high; otherwise a
// synapse of weight form_weight is formed with probability
// p_form·exp(−d²/(2σ²)) while the target's in-degree is below
// max_indegree (autapses only where the projection allows them). deep_r removes the synapses
// whose |w| fell below threshold (mlGeNN's deep_r_1: dormant synapses are
// removed) and creates as many from random sources not connected to the
// target (mlGeNN's deep_r_2 spreads the activations over rows on the host
// and keeps the projection's total; rewiring per target keeps each
// target's in-degree, hence the total too, with decisions local to the
// target's rank).
//
// STDP on structural projections: each synapse carries its own
// presynaptic trace (Kplus and t_last, as NEST's stdp_synapse does), so a
// synapse created at step T starts fresh (Kplus 0) whatever its source did
// before; its t_last is T−1, and the post history up to T−1−d counts as
// read for it, as NEST's register_stdp_connection(t_lastspike − d) marks
// it. Removing a synapse un-reads the entries it read and decrements the
// target's count of plastic synapses. A phantom reader per target keeps
// the entries that a synapse created later may need for its K_minus (see
// phantomRead).
//
// Send maps: a rank that gains its first synapse from a source, or loses
// its last, tells the source's owner with one Alltoall after the rewiring
// (p2p mode), and the owner sets or clears the rank's bit in its send mask
// before the next exchange.

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/rng"
)

// synRow is a row of a structural projection: the synapses from one source
// onto this rank, with room to grow.
type synRow struct {
	src uint32   // source gid
	tgt []uint32 // local target index
	dl  []uint16 // delay in steps
	w   []float64
	// STDP only: the synapse's Kplus after its last presynaptic spike and
	// that spike's step.
	kp []float64
	tl []int64
}

// newSynRow returns an empty row with room for capacity synapses.
func newSynRow(src uint32, capacity int, plastic bool) synRow {
	r := synRow{src: src, tgt: make([]uint32, 0, capacity), dl: make([]uint16, 0, capacity), w: make([]float64, 0, capacity)}
	if plastic {
		r.kp, r.tl = make([]float64, 0, capacity), make([]int64, 0, capacity)
	}
	return r
}

// add appends a synapse (kp and tl are ignored in static rows).
func (r *synRow) add(t uint32, d uint16, w, kp float64, tl int64) {
	r.tgt, r.dl, r.w = append(r.tgt, t), append(r.dl, d), append(r.w, w)
	if r.kp != nil {
		r.kp, r.tl = append(r.kp, kp), append(r.tl, tl)
	}
}

// remove deletes synapse k: the row's last synapse moves into its place
// with every per-synapse variable (GeNN's remove_synapse).
func (r *synRow) remove(k int) {
	last := len(r.tgt) - 1
	r.tgt[k], r.dl[k], r.w[k] = r.tgt[last], r.dl[last], r.w[last]
	r.tgt, r.dl, r.w = r.tgt[:last], r.dl[:last], r.w[:last]
	if r.kp != nil {
		r.kp[k], r.tl[k] = r.kp[last], r.tl[last]
		r.kp, r.tl = r.kp[:last], r.tl[:last]
	}
}

// structProj is a structural projection's state on this rank.
type structProj struct {
	pj         int
	s          *model.Structural
	rule       *stdpRule // nil: static synapses
	every      int64     // rewiring interval in steps
	formDelay  uint16    // steps
	formWeight float64
	one        bool // the targets take all input in one channel
	autapses   bool
	srcFirst   int64
	srcSize    int64
	tgtFirst   int64
	lo, hi     int // local neurons of the target population
	capacity   int
	grid       model.Grid // bamford: the grids' shape, grid.Width × gh
	gh         int64
	rowOf      []int32 // per source index: index into rows, −1: no row here
	rows       []synRow
	// formed and removed count this rank's rewiring events.
	formed, removed int64
	// rewire's scratch, kept from one rewiring step to the next.
	off, fill, others []int32
	refs, dels        []synRef
	adds              []synAddition
	connected         map[int64]bool
}

// synAddition is a synapse that rewire forms: from index src of the source
// population onto local neuron t.
type synAddition struct {
	src int64
	t   uint32
}

// synRef is synapse k of row r.
type synRef struct{ r, k int32 }

// structural holds the engine's structural projections (nil without any).
type structural struct {
	projs []*structProj
	// need counts, per source gid, the structural synapses here from it.
	need []int32
	// flips marks the gids whose need crossed zero an odd number of times
	// since the last send-map update.
	flips map[uint32]bool
	// phantom: per local neuron, whether a plastic structural projection
	// targets it, and the last post spike the phantom reader has read.
	phantom  []bool
	phantomT []int64
	dMax     int64 // longest delay of new plastic synapses
}

// structuralSet reports which projections of m are structural.
func structuralSet(m *model.Model) []bool {
	set := make([]bool, len(m.Projections))
	for pj := range m.Projections {
		set[pj] = m.Projections[pj].Structural != nil
	}
	return set
}

// formDelaySteps is the delay of new synapses of pr in steps.
func formDelaySteps(pr *model.Projection, dt float64) int {
	return int(math.Round(pr.Structural.FormDelayMs(pr) / dt))
}

// setupStructural moves the rows of structural projections into growable
// rows; it runs after setupPlastic, which leaves them out.
func (e *Engine) setupStructural() error {
	m, p := e.man.Model, e.p
	st := &structural{need: make([]int32, e.man.Neurons), flips: map[uint32]bool{}}
	for pj := range m.Projections {
		pr := &m.Projections[pj]
		s := pr.Structural
		if s == nil {
			continue
		}
		si, ti := m.PopulationIndex(pr.Source), m.PopulationIndex(pr.Target)
		sp := &structProj{pj: pj, s: s, every: int64(math.Round(s.IntervalMs() / m.Dt)), formWeight: s.FormWeight,
			one: e.popOne[ti], autapses: pr.Autapses(),
			srcFirst: e.man.Populations[si].FirstGID, srcSize: m.Populations[si].Size, tgtFirst: e.man.Populations[ti].FirstGID}
		if e.pl != nil {
			sp.rule = e.pl.rules[pj]
		}
		d := formDelaySteps(pr, m.Dt)
		if d < 1 || d > model.MaxDelaySteps {
			return fmt.Errorf("projection %s: form_delay %g ms is %d steps (accepted: 1 to %d)", pr.Name, s.FormDelayMs(pr), d, model.MaxDelaySteps)
		}
		sp.formDelay = uint16(d)
		if sp.rule != nil {
			if err := sp.rule.checkWeight(sp.formWeight); err != nil {
				return fmt.Errorf("projection %s: form_weight: %w", pr.Name, err)
			}
		}
		if s.Rule == model.Bamford {
			g := m.Populations[ti].Grid
			sp.grid, sp.gh = *g, g.Height(m.Populations[ti].Size)
		}
		for _, g := range e.groups {
			if g.pop == ti {
				sp.lo, sp.hi = g.lo, g.hi
			}
		}
		sp.rowOf = make([]int32, sp.srcSize)
		for i := range sp.rowOf {
			sp.rowOf[i] = -1
		}
		longest := 0
		for r, rp := range p.RowProjection {
			if int(rp) == pj {
				longest = max(longest, int(p.RowStart[r+1]-p.RowStart[r]))
			}
		}
		sp.capacity = int(s.Capacity)
		if sp.capacity == 0 {
			sp.capacity = max(4, 2*longest)
			if s.MaxIndegree > 0 {
				sp.capacity = max(sp.capacity, int(2*s.MaxIndegree*int64(sp.hi-sp.lo)/max(sp.srcSize, 1))+1)
			}
		}
		for r, rp := range p.RowProjection {
			if int(rp) != pj {
				continue
			}
			src := p.RowSource[r]
			a, b := p.RowStart[r], p.RowStart[r+1]
			row := newSynRow(src, max(sp.capacity, int(b-a)), sp.rule != nil)
			for k := a; k < b; k++ {
				w := float64(p.Weight[k])
				if sp.rule != nil {
					if err := sp.rule.checkWeight(w); err != nil {
						return fmt.Errorf("projection %s: %w", pr.Name, err)
					}
					e.pl.post[p.TargetAt(k)].nIn++
				}
				row.add(p.TargetAt(k), p.DelayAt(k), w, 0, 0)
			}
			st.need[src] += int32(b - a)
			sp.rowOf[int64(src)-sp.srcFirst] = int32(len(sp.rows))
			sp.rows = append(sp.rows, row)
		}
		if sp.rule != nil {
			if st.phantom == nil {
				st.phantom, st.phantomT = make([]bool, e.n), make([]int64, e.n)
			}
			for i := sp.lo; i < sp.hi; i++ {
				if !st.phantom[i] {
					st.phantom[i], st.phantomT[i] = true, -1
					e.pl.post[i].nIn++
				}
			}
			st.dMax = max(st.dMax, int64(sp.formDelay))
		}
		st.projs = append(st.projs, sp)
	}
	if len(st.projs) > 0 {
		e.st = st
	}
	return nil
}

// deliver applies the spikes to the structural synapses onto local
// targets [lo, hi), as deliver and plastic.deliverRow do for the others.
func (st *structural) deliver(e *Engine, spikes []Spike, lo, hi int) {
	for _, sp := range st.projs {
		if sp.hi <= lo || sp.lo >= hi {
			continue
		}
		for _, s := range spikes {
			i := int64(s.GID) - sp.srcFirst
			if uint64(i) >= uint64(sp.srcSize) || sp.rowOf[i] < 0 {
				continue
			}
			row := &sp.rows[sp.rowOf[i]]
			base, tPre := int(int64(s.Step)%int64(e.ringLen)), int64(s.Step)
			for k, t := range row.tgt {
				if int(t) < lo || int(t) >= hi {
					continue
				}
				w := row.w[k]
				if sp.rule != nil {
					pre := preTrace{row.kp[k], row.tl[k]}
					w = sp.rule.update(w, pre, tPre, int64(row.dl[k]), &e.pl.post[t])
					next := sp.rule.next(pre, tPre)
					row.w[k], row.kp[k], row.tl[k] = w, next.kPlus, next.tLast
				}
				e.addInput(base, int(row.dl[k]), int(t), w, sp.one)
			}
		}
	}
}

// next returns the first rewiring step after step.
func (st *structural) next(step int64) int64 {
	n := int64(math.MaxInt64)
	for _, sp := range st.projs {
		n = min(n, (step/sp.every+1)*sp.every)
	}
	return n
}

// afterInterval rewires every projection once per multiple of its
// interval in (from, to], after the interval's delivery, then brings the
// phantom readers and the send masks up to date. Every rank calls it with
// the same steps, so the collective calls match.
func (st *structural) afterInterval(e *Engine, from, to int64) error {
	rewired := false
	for _, sp := range st.projs {
		for k := from/sp.every + 1; k*sp.every <= to; k++ {
			st.rewire(e, sp, k)
			rewired = true
		}
	}
	if !rewired {
		return nil
	}
	st.phantomRead(e)
	return st.updateSendMasks(e)
}

// rewire performs rewiring step number k of sp on this rank's targets.
func (st *structural) rewire(e *Engine, sp *structProj, k int64) {
	if sp.lo >= sp.hi {
		return
	}
	// Each target's incoming synapses.
	nT := sp.hi - sp.lo
	sp.off = resize(sp.off, nT+1)
	off := sp.off
	for q := range sp.rows {
		for _, t := range sp.rows[q].tgt {
			off[int(t)-sp.lo+1]++
		}
	}
	for i := 1; i <= nT; i++ {
		off[i] += off[i-1]
	}
	sp.refs = resize(sp.refs, int(off[nT]))
	sp.fill = append(sp.fill[:0], off[:nT]...)
	refs, fill := sp.refs, sp.fill
	for q := range sp.rows {
		for j, t := range sp.rows[q].tgt {
			ti := int(t) - sp.lo
			refs[fill[ti]] = synRef{int32(q), int32(j)}
			fill[ti]++
		}
	}
	// Decide every target's removals and additions on the state before the step.
	// The cap counts every synapse onto the target from the projections
	// with this rule (Bamford's s_max over feed-forward and lateral input).
	var others []int32
	if sp.s.MaxIndegree > 0 {
		sp.others = resize(sp.others, nT)
		others = sp.others
		for _, o := range st.projs {
			if o == sp || o.tgtFirst != sp.tgtFirst || o.s.Rule != sp.s.Rule {
				continue
			}
			for q := range o.rows {
				for _, t := range o.rows[q].tgt {
					others[int(t)-sp.lo]++
				}
			}
		}
	}
	dels, adds := sp.dels[:0], sp.adds[:0]
	stream := rng.StreamID(rng.PurposeStructural, uint32(sp.pj))
	for ti := range nT {
		t := sp.lo + ti
		gid := int64(e.p.GID[t])
		in := refs[off[ti]:off[ti+1]]
		s := rng.NewAt(e.man.Seed, stream, uint32(gid), uint32(k))
		switch sp.s.Rule {
		case model.Bamford:
			c := int64(s.Intn(uint32(sp.srcSize)))
			u := s.Float64()
			if ref, ok := sp.canonical(in, uint32(sp.srcFirst+c)); ok {
				p := sp.s.PElimHigh
				if math.Abs(sp.rows[ref.r].w[ref.k]) < sp.s.WThreshold {
					p = sp.s.PElimLow
				}
				if u < p {
					dels = append(dels, ref)
				}
				continue
			}
			if (sp.s.MaxIndegree > 0 && int64(len(in))+int64(others[ti]) >= sp.s.MaxIndegree) || (!sp.autapses && sp.srcFirst+c == gid) {
				continue
			}
			sx, sy := sp.grid.Position(c)
			tx, ty := sp.grid.Position(gid - sp.tgtFirst)
			d2 := model.TorusDistance2(sx, sy, tx, ty, sp.grid.Width, sp.gh)
			if u < sp.s.PForm*math.Exp(-d2/(2*sp.s.Sigma*sp.s.Sigma)) {
				adds = append(adds, synAddition{c, uint32(t)})
			}
		case model.DeepR:
			if sp.connected == nil {
				sp.connected = map[int64]bool{}
			}
			connected := sp.connected
			clear(connected)
			n := 0
			for _, ref := range in {
				row := &sp.rows[ref.r]
				if math.Abs(row.w[ref.k]) < sp.s.Threshold {
					dels = append(dels, ref)
					n++
				} else {
					connected[int64(row.src)-sp.srcFirst] = true
				}
			}
			// As many new synapses from random unconnected sources (fewer
			// when nearly every source is connected already).
			for tries := 0; n > 0 && tries < 64+16*n; tries++ {
				c := int64(s.Intn(uint32(sp.srcSize)))
				if connected[c] || (!sp.autapses && sp.srcFirst+c == gid) {
					continue
				}
				connected[c] = true
				adds = append(adds, synAddition{c, uint32(t)})
				n--
			}
		}
	}
	// Removals, highest slot first in each row, so that the synapse moved
	// into a hole is never one still to be removed.
	slices.SortFunc(dels, func(a, b synRef) int { return cmp.Or(cmp.Compare(a.r, b.r), cmp.Compare(b.k, a.k)) })
	for _, ref := range dels {
		st.remove(e, sp, ref)
	}
	for _, a := range adds {
		st.add(e, sp, a.src, a.t)
	}
	sp.dels, sp.adds = dels, adds
}

// resize returns s with length n and every element zero, reusing its array when it is long enough.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// canonical returns, among synapses in from source gid src, the one with
// the smallest (delay, weight, t_last, Kplus): multapses that tie are
// identical, so the choice never depends on their order in the row.
func (sp *structProj) canonical(in []synRef, src uint32) (synRef, bool) {
	best, found := synRef{}, false
	for _, ref := range in {
		row := &sp.rows[ref.r]
		if row.src != src {
			continue
		}
		if !found || sp.less(ref, best) {
			best, found = ref, true
		}
	}
	return best, found
}

func (sp *structProj) less(a, b synRef) bool {
	ra, rb := &sp.rows[a.r], &sp.rows[b.r]
	c := cmp.Or(cmp.Compare(ra.dl[a.k], rb.dl[b.k]), cmp.Compare(ra.w[a.k], rb.w[b.k]))
	if c == 0 && ra.kp != nil {
		c = cmp.Or(cmp.Compare(ra.tl[a.k], rb.tl[b.k]), cmp.Compare(ra.kp[a.k], rb.kp[b.k]))
	}
	return c < 0
}

// remove deletes synapse ref: for STDP it un-reads the post spikes the
// synapse has read (those up to its t_last − d) and leaves the target's
// count of plastic synapses.
func (st *structural) remove(e *Engine, sp *structProj, ref synRef) {
	row := &sp.rows[ref.r]
	if sp.rule != nil {
		post := &e.pl.post[row.tgt[ref.k]]
		horizon := row.tl[ref.k] - int64(row.dl[ref.k])
		for i := range post.hist {
			if int64(post.hist[i].t) > horizon {
				break
			}
			post.hist[i].read--
		}
		post.nIn--
	}
	row.remove(int(ref.k))
	st.count(row.src, -1)
	sp.removed++
}

// add creates a synapse from source index src onto local neuron t, with
// form_weight, form_delay and fresh STDP state.
func (st *structural) add(e *Engine, sp *structProj, src int64, t uint32) {
	q := sp.rowOf[src]
	if q < 0 {
		q = int32(len(sp.rows))
		sp.rowOf[src] = q
		sp.rows = append(sp.rows, newSynRow(uint32(sp.srcFirst+src), sp.capacity, sp.rule != nil))
	}
	row := &sp.rows[q]
	tl := e.step - 1
	if sp.rule != nil {
		post := &e.pl.post[t]
		horizon := tl - int64(sp.formDelay)
		for i := range post.hist {
			if int64(post.hist[i].t) > horizon {
				break
			}
			post.hist[i].read++
		}
		post.nIn++
	}
	row.add(t, sp.formDelay, sp.formWeight, 0, tl)
	st.count(row.src, +1)
	sp.formed++
}

// count adds d to the structural synapses here from gid g and notes when
// the count crosses zero.
func (st *structural) count(g uint32, d int32) {
	before := st.need[g] > 0
	st.need[g] += d
	if (st.need[g] > 0) != before {
		st.flips[g] = !st.flips[g]
	}
}

// phantomRead advances the phantom reader of every target of a plastic
// structural projection over the post spikes before e.step − dMax. A
// synapse created at step T' ≥ e.step with delay d ≤ dMax queries K_minus
// at T' − d or later, which needs the latest spike before T' − d; the
// history drops an entry only once its successor is read by every reader,
// the phantom included, and the phantom reads only spikes before
// e.step − dMax ≤ T' − d, so that spike stays.
func (st *structural) phantomRead(e *Engine) {
	if st.phantom == nil {
		return
	}
	limit := e.step - st.dMax
	for i, ok := range st.phantom {
		if !ok {
			continue
		}
		h := e.pl.post[i].hist
		for x := range h {
			if t := int64(h[x].t); t > st.phantomT[i] && t < limit {
				h[x].read++
				st.phantomT[i] = t
			}
		}
	}
}

// updateSendMasks tells the owners of the sources whose need here changed
// (p2p mode): one Alltoall of (gid, needed) pairs, after which each owner
// sets or clears the sender's bit in its send masks. Collective mode sends
// every spike everywhere and needs no masks.
func (st *structural) updateSendMasks(e *Engine) error {
	if e.cfg.Comm != CommP2P || e.c.Size() == 1 {
		clear(st.flips)
		return nil
	}
	gids := make([]uint32, 0, len(st.flips))
	for g, f := range st.flips {
		if f {
			gids = append(gids, g)
		}
	}
	clear(st.flips)
	slices.Sort(gids)
	send := make([][]byte, e.c.Size())
	for _, g := range gids {
		if _, static := slices.BinarySearch(e.srcGID, g); static {
			continue // static or STDP rows here need it anyway
		}
		r := e.dist.Owner(int64(g))
		send[r] = binary.LittleEndian.AppendUint32(send[r], g)
		need := byte(0)
		if st.need[g] > 0 {
			need = 1
		}
		send[r] = append(send[r], need)
	}
	recv, err := e.c.Alltoall(send)
	if err != nil {
		return fmt.Errorf("exchange send-mask changes: %w", err)
	}
	w := e.p.MaskWidth()
	for from, b := range recv {
		for k := 0; k+5 <= len(b); k += 5 {
			li := int(e.dist.Local(int64(binary.LittleEndian.Uint32(b[k:]))))
			bit := &e.p.SendMask[li*w+from/8]
			if b[k+4] == 1 {
				*bit |= 1 << (from % 8)
			} else {
				*bit &^= 1 << (from % 8)
			}
		}
	}
	return nil
}

// StructuralSynapses returns this rank's synapses of structural
// projections with their current weights, ordered by projection, source,
// target, delay and weight (nil without structural projections).
func (e *Engine) StructuralSynapses() []PlasticSynapse {
	if e.st == nil {
		return nil
	}
	out := e.st.synapses(e, nil, false)
	slices.SortFunc(out, cmpSynapse)
	return out
}

func cmpSynapse(a, b PlasticSynapse) int {
	return cmp.Or(cmp.Compare(a.Projection, b.Projection), cmp.Compare(a.Source, b.Source),
		cmp.Compare(a.Target, b.Target), cmp.Compare(a.Delay, b.Delay), cmp.Compare(a.Weight, b.Weight))
}

// structCount is a structural projection's synapse count on a rank at the
// end of the run and its rewiring events.
type structCount struct {
	Projection int   `json:"projection"`
	Synapses   int64 `json:"synapses"`
	Formed     int64 `json:"formed"`
	Removed    int64 `json:"removed"`
}

// structCounts returns this rank's structCount per structural projection.
func (e *Engine) structCounts() []structCount {
	if e.st == nil {
		return nil
	}
	var out []structCount
	for _, sp := range e.st.projs {
		c := structCount{Projection: sp.pj, Formed: sp.formed, Removed: sp.removed}
		for q := range sp.rows {
			c.Synapses += int64(len(sp.rows[q].tgt))
		}
		out = append(out, c)
	}
	return out
}

// synapses appends the synapses of the structural projections to out,
// with plastic set only those of the plastic ones.
func (st *structural) synapses(e *Engine, out []PlasticSynapse, plastic bool) []PlasticSynapse {
	for _, sp := range st.projs {
		if plastic && sp.rule == nil {
			continue
		}
		for q := range sp.rows {
			row := &sp.rows[q]
			for k, t := range row.tgt {
				out = append(out, PlasticSynapse{Projection: sp.pj, Source: row.src, Target: e.p.GID[t], Delay: row.dl[k], Weight: row.w[k]})
			}
		}
	}
	return out
}

// addWeightSums adds the plastic structural weights to sums (one entry per
// plastic projection, as weightSums makes them).
func (st *structural) addWeightSums(sums []weightSum) {
	for _, sp := range st.projs {
		if sp.rule == nil {
			continue
		}
		i := slices.IndexFunc(sums, func(s weightSum) bool { return s.Projection == sp.pj })
		for q := range sp.rows {
			for _, w := range sp.rows[q].w {
				sums[i].add(int64(w * fix))
			}
		}
	}
}
