package build

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/snnkit/snnkit/pkg/connect"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/par"
	"github.com/snnkit/snnkit/pkg/partition"
)

// rankBuilder builds one rank's partition with several threads.
type rankBuilder struct {
	ctx     context.Context
	plan    *connect.Plan
	dist    partition.RoundRobin
	rank    int
	threads int
	work    *atomic.Int64 // progress: (projection, target) items done
	p       *netfile.Partition
	stats   RankStats
}

// chunk is a contiguous range of local target indices handled by one thread.
type chunk struct{ lo, hi int64 }

func split(lo, hi int64, n int) []chunk {
	out := make([]chunk, 0, n)
	for t := 0; t < n; t++ {
		a := lo + (hi-lo)*int64(t)/int64(n)
		b := lo + (hi-lo)*int64(t+1)/int64(n)
		out = append(out, chunk{a, b})
	}
	return out
}

// projState holds one projection's per-thread source counts between the two passes.
type projState struct {
	pr     *connect.Proj
	lo, hi int64      // local target range
	counts [][]uint32 // counts[t][s]: synapses from source s onto thread t's targets
	// totals per target for fixed_total_number, indexed by local index − lo
	totals []int64
	start  int64 // first synapse of the projection
	n      int64
}

const progressEvery = 256

// errDone stops an eachTarget loop early without an error.
var errDone = errors.New("done")

func (b *rankBuilder) run() (*netfile.Partition, error) {
	t0 := time.Now()
	b.p = &netfile.Partition{Rank: b.rank, Ranks: b.dist.Ranks}
	b.neurons()
	b.stats.CreateSeconds = time.Since(t0).Seconds()

	t1 := time.Now()
	states, err := b.count()
	if err != nil {
		return nil, err
	}
	if err := b.fill(states); err != nil {
		return nil, err
	}
	b.stats.ConnectSeconds = time.Since(t1).Seconds()

	t2 := time.Now()
	if err := b.sendMap(states); err != nil {
		return nil, err
	}
	b.stats.SendMapSeconds = time.Since(t2).Seconds()
	return b.p, nil
}

// neurons fills the local neuron table and initial states.
func (b *rankBuilder) neurons() {
	m := b.plan.Model
	n := b.dist.Count(b.rank)
	p := b.p
	p.GID = make([]uint32, n)
	p.Population = make([]uint16, n)
	p.SendMask = make([]byte, n*int64(p.MaskWidth()))
	// State variables: the union over the populations' models, in order.
	idx := map[string]int{}
	for _, pop := range m.Populations {
		for _, s := range model.Neurons[pop.Neuron].State {
			if _, ok := idx[s]; !ok {
				idx[s] = len(p.StateNames)
				p.StateNames = append(p.StateNames, s)
			}
		}
	}
	p.State = make([][]float64, len(p.StateNames))
	for v := range p.State {
		p.State[v] = make([]float64, n)
	}
	for pi, pop := range m.Populations {
		lo, hi := b.dist.LocalRange(b.rank, b.plan.First[pi], pop.Size)
		stateIdx := model.Neurons[pop.Neuron].State
		for li := lo; li < hi; li++ {
			gid := b.dist.Global(b.rank, li)
			p.GID[li] = uint32(gid)
			p.Population[li] = uint16(pi)
			for vi, name := range stateIdx {
				p.State[idx[name]][li] = b.plan.InitialState(gid, vi, pop.Initial[name])
			}
		}
	}
}

// localTotals computes fixed_total_number counts for rank r's targets of pr,
// indexed by local index − lo.
func localTotals(g *connect.Gen, pr *connect.Proj, dist partition.RoundRobin, r int, lo, hi int64) []int64 {
	if pr.Spec.Rule != model.FixedTotalNumber {
		return nil
	}
	totals := make([]int64, hi-lo)
	R := int64(dist.Ranks)
	hasWant := func(a, c int64) bool {
		// the first j ≥ a with (TgtFirst + j) mod R == r
		g0 := pr.TgtFirst + a
		off := (int64(r) - g0%R + R) % R
		return a+off < c
	}
	g.Counts(pr, hasWant, func(j, c int64) {
		totals[dist.Local(pr.TgtFirst+j)-lo] = c
	})
	return totals
}

// count is pass 1: it draws every synapse's source and counts per (thread, source).
func (b *rankBuilder) count() ([]*projState, error) {
	var states []*projState
	for i := range b.plan.Projs {
		pr := &b.plan.Projs[i]
		lo, hi := b.dist.LocalRange(b.rank, pr.TgtFirst, pr.TgtN)
		st := &projState{pr: pr, lo: lo, hi: hi, counts: make([][]uint32, b.threads)}
		st.totals = localTotals(b.plan.NewGen(), pr, b.dist, b.rank, lo, hi)
		chunks := split(lo, hi, b.threads)
		err := par.Do(b.threads, func(t int) error {
			g := b.plan.NewGen()
			cnt := make([]uint32, pr.SrcN)
			var srcs []uint32
			err := b.eachTarget(chunks[t], true, func(li int64) error {
				var err error
				srcs, err = g.Sources(pr, b.dist.Global(b.rank, li)-pr.TgtFirst, st.total(li), srcs[:0])
				for _, s := range srcs {
					cnt[s]++
				}
				return err
			})
			st.counts[t] = cnt
			return err
		})
		if err != nil {
			return nil, err
		}
		states = append(states, st)
	}
	return states, nil
}

func (st *projState) total(li int64) int64 {
	if st.totals == nil {
		return 0
	}
	return st.totals[li-st.lo]
}

// eachTarget calls fn for every local target index in c, checking for
// cancellation and, when progress is set, counting items done.
func (b *rankBuilder) eachTarget(c chunk, progress bool, fn func(li int64) error) error {
	for li := c.lo; li < c.hi; li++ {
		if (li-c.lo)%progressEvery == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
			if progress && li > c.lo {
				b.work.Add(progressEvery)
			}
		}
		if err := fn(li); err != nil {
			return err
		}
	}
	if progress && c.hi > c.lo {
		b.work.Add((c.hi-c.lo-1)%progressEvery + 1)
	}
	return nil
}

// fill is pass 2: it lays out rows, turns counts into write cursors and
// draws every synapse again, writing it at its place.
func (b *rankBuilder) fill(states []*projState) error {
	p := b.p
	var total int64
	var rows int
	for _, st := range states {
		st.start = total
		for s := int64(0); s < st.pr.SrcN; s++ {
			var n int64
			for t := range st.counts {
				n += int64(st.counts[t][s])
			}
			if n > 0 {
				rows++
			}
			total += n
		}
		st.n = total - st.start
	}
	var maxSteps int64 = 1
	for _, st := range states {
		_, hi := st.pr.DelayStepRange()
		maxSteps = max(maxSteps, hi)
	}
	p.Alloc(total, netfile.TargetWidthFor(b.dist.Count(b.rank)), netfile.DelayWidthFor(maxSteps))
	p.RowProjection = make([]uint16, 0, rows)
	p.RowSource = make([]uint32, 0, rows)
	p.RowStart = make([]int64, 0, rows+1)
	b.stats.ProjectionSynapses = make([]int64, len(states))
	for i, st := range states {
		b.stats.ProjectionSynapses[i] = st.n
		if err := b.fillProjection(st); err != nil {
			return err
		}
	}
	p.RowStart = append(p.RowStart, total)
	narrowDelays(p)
	return nil
}

// narrowDelays stores delays in one byte when every drawn delay fits,
// although the distribution allowed more (e.g. a normal without max).
func narrowDelays(p *netfile.Partition) {
	if p.DelayWidth != 2 {
		return
	}
	d16 := p.Delay16()
	for _, d := range d16 {
		if d > 255 {
			return
		}
	}
	// In place: byte i is written after uint16 i has been read.
	for i, d := range d16 {
		p.Delay[i] = byte(d)
	}
	p.Delay = p.Delay[:len(d16):len(d16)]
	p.DelayWidth = 1
}

func (b *rankBuilder) fillProjection(st *projState) error {
	p, pr := b.p, st.pr
	// Rows and per-thread cursors: thread t writes its synapses from source
	// s after those of threads < t, so rows are ordered by target whatever
	// the thread count.
	cursors := make([][]int64, b.threads)
	for t := range cursors {
		cursors[t] = make([]int64, pr.SrcN)
	}
	pos := st.start
	for s := int64(0); s < pr.SrcN; s++ {
		row := pos
		for t := range st.counts {
			cursors[t][s] = pos
			pos += int64(st.counts[t][s])
		}
		if pos > row {
			p.RowProjection = append(p.RowProjection, uint16(pr.Index))
			p.RowSource = append(p.RowSource, uint32(pr.SrcFirst+s))
			p.RowStart = append(p.RowStart, row)
		}
	}
	st.counts = nil // the cursors replace them
	constDelay, delayIsConst := pr.ConstDelay()
	constWeight := pr.Spec.Weight.IsConst()
	chunks := split(st.lo, st.hi, b.threads)
	err := par.Do(b.threads, func(t int) error {
		g := b.plan.NewGen()
		cur := cursors[t]
		var srcs []uint32
		var w []float32
		var d []uint16
		var pos []int64
		return b.eachTarget(chunks[t], true, func(li int64) error {
			j := b.dist.Global(b.rank, li) - pr.TgtFirst
			var err error
			if srcs, err = g.Sources(pr, j, st.total(li), srcs[:0]); err != nil {
				return err
			}
			if !constWeight {
				w = grow(w, len(srcs))
				g.Weights(pr, j, w)
			}
			if !delayIsConst {
				d = grow(d, len(srcs))
				if err := g.Delays(pr, j, d); err != nil {
					return err
				}
			}
			pos = grow(pos, len(srcs))
			scatter(p, cur, srcs, uint32(li), w, d, constWeight, delayIsConst, pos)
			return nil
		})
	})
	if err != nil {
		return err
	}
	lo, hi := st.start, st.start+st.n
	if constWeight {
		v := float32(pr.Spec.Weight.Value)
		ws := p.Weight[lo:hi]
		for i := range ws {
			ws[i] = v
		}
	}
	if delayIsConst {
		if p.DelayWidth == 1 {
			ds := p.Delay[lo:hi]
			for i := range ds {
				ds[i] = byte(constDelay)
			}
		} else {
			ds := p.Delay16()[lo:hi]
			for i := range ds {
				ds[i] = constDelay
			}
		}
	}
	return nil
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// scatter writes the synapses onto local target li at their cursors; a
// source drawn twice (a multapse) takes two consecutive places. pos is
// scratch space of len(srcs).
func scatter(p *netfile.Partition, cur []int64, srcs []uint32, li uint32, w []float32, d []uint16, constWeight, constDelay bool, pos []int64) {
	for k, s := range srcs {
		pos[k] = cur[s]
		cur[s]++
	}
	if p.TargetWidth == 2 {
		tg := p.Target16()
		for _, q := range pos {
			tg[q] = uint16(li)
		}
	} else {
		tg := p.Target32()
		for _, q := range pos {
			tg[q] = li
		}
	}
	if !constWeight {
		for k, q := range pos {
			p.Weight[q] = w[k]
		}
	}
	if constDelay {
		return
	}
	if p.DelayWidth == 1 {
		for k, q := range pos {
			p.Delay[q] = byte(d[k])
		}
	} else {
		dl := p.Delay16()
		for k, q := range pos {
			dl[q] = d[k]
		}
	}
}

// sendMap marks, for every local neuron, the ranks that hold synapses from
// it: this rank from its own rows, every other rank by replaying the source
// draws of that rank's targets (no communication). A rank's replay of a
// projection stops as soon as every local neuron of the source population
// is known to be needed there.
func (b *rankBuilder) sendMap(states []*projState) error {
	p := b.p
	R := b.dist.Ranks
	for _, src := range p.RowSource {
		if b.dist.Owner(int64(src)) == b.rank {
			li := b.dist.Local(int64(src))
			p.SendMask[li*int64(p.MaskWidth())+int64(b.rank/8)] |= 1 << (b.rank % 8)
		}
	}
	if R == 1 {
		return nil
	}
	others := make([]int, 0, R-1)
	for r := 0; r < R; r++ {
		if r != b.rank {
			others = append(others, r)
		}
	}
	n := b.dist.Count(b.rank)
	masks := make([][]uint64, R) // masks[r]: bitset over local neurons needed on rank r
	var next atomic.Int64
	var pairs atomic.Int64
	err := par.Do(min(b.threads, len(others)), func(int) error {
		g := b.plan.NewGen()
		var srcs []uint32
		for {
			i := next.Add(1) - 1
			if i >= int64(len(others)) {
				return nil
			}
			r := others[i]
			mask := make([]uint64, (n+63)/64)
			np, err := b.replay(g, r, mask, &srcs)
			if err != nil {
				return err
			}
			pairs.Add(np)
			masks[r] = mask
		}
	})
	if err != nil {
		return err
	}
	w := int64(p.MaskWidth())
	for _, r := range others {
		for li := int64(0); li < n; li++ {
			if masks[r][li/64]&(1<<(li%64)) != 0 {
				p.SendMask[li*w+int64(r/8)] |= 1 << (r % 8)
			}
		}
	}
	b.stats.SendPairs = pairs.Load()
	return nil
}

// replay marks in mask the local neurons that rank r's targets draw as sources
// and returns how many it marked.
func (b *rankBuilder) replay(g *connect.Gen, r int, mask []uint64, srcs *[]uint32) (int64, error) {
	m := b.plan.Model
	marked := make([]int64, len(m.Populations)) // per source population
	var total int64
	for i := range b.plan.Projs {
		pr := &b.plan.Projs[i]
		myLo, myHi := b.dist.LocalRange(b.rank, pr.SrcFirst, pr.SrcN)
		if myHi == myLo || marked[pr.Src] == myHi-myLo {
			continue // no local sources, or all already needed on r
		}
		lo, hi := b.dist.LocalRange(r, pr.TgtFirst, pr.TgtN)
		totals := localTotals(g, pr, b.dist, r, lo, hi)
		err := b.eachTarget(chunk{lo, hi}, false, func(li int64) error {
			var c int64
			if totals != nil {
				c = totals[li-lo]
			}
			var err error
			*srcs, err = g.Sources(pr, b.dist.Global(r, li)-pr.TgtFirst, c, (*srcs)[:0])
			if err != nil {
				return fmt.Errorf("replay rank %d: %w", r, err)
			}
			for _, s := range *srcs {
				gid := pr.SrcFirst + int64(s)
				if b.dist.Owner(gid) != b.rank {
					continue
				}
				l := b.dist.Local(gid)
				if mask[l/64]&(1<<(l%64)) == 0 {
					mask[l/64] |= 1 << (l % 64)
					marked[pr.Src]++
					total++
				}
			}
			if marked[pr.Src] == myHi-myLo {
				return errDone
			}
			return nil
		})
		if err != nil && err != errDone {
			return 0, err
		}
	}
	return total, nil
}
