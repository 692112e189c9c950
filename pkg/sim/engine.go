// Package sim is the simulation engine: it loads one rank's partition,
// advances its neurons on the dt grid, exchanges spikes with the other
// ranks once per min-delay interval and delivers them into per-neuron input
// rings. Inputs are summed as integers (ring.go), so the order in which
// spikes arrive — which depends on ranks, threads and the exchange mode —
// cannot change a single bit of the result.
package sim

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/neuron"
	"github.com/snnkit/snnkit/pkg/par"
	"github.com/snnkit/snnkit/pkg/partition"
	"github.com/snnkit/snnkit/pkg/rng"
)

// Exchange modes.
const (
	// CommCollective sends every spike to every rank (Allgather).
	CommCollective = "collective"
	// CommP2P sends each spike only to the ranks in its neuron's send mask (Alltoallv).
	CommP2P = "p2p"
)

// CommModes lists the accepted exchange modes.
var CommModes = []string{CommCollective, CommP2P}

// Config tunes a simulation.
type Config struct {
	// Threads per rank (default 1).
	Threads int
	// TPresim and TSim are the model times in ms of the warm-up and of the
	// measured phase.
	TPresim, TSim float64
	// Comm is the exchange mode, CommCollective (default) or CommP2P.
	Comm string
	// Progress, when set, counts the steps done (by rank 0).
	Progress *atomic.Int64
}

// Spike is a spike of neuron GID in step Step.
type Spike struct{ GID, Step uint32 }

// group is a population's local neurons, a contiguous local-index range.
type group struct {
	pop     int
	lo, hi  int
	model   neuron.Model
	keyed   neuron.Keyed // set when model draws keyed random numbers (poisson_bump)
	one     bool         // the model takes all input in one channel (neuron.OneChannel)
	poisson []poissonInput
}

// poissonInput is a poisson_generator onto a group: every neuron draws its
// own count each step from the stream (seed, stimulus, gid).
type poissonInput struct {
	stream uint32
	table  *rng.PoissonTable
	w      float64 // pA (mV)
	weight int32   // in ring units
	delay  int64   // steps
	inh    bool
	// words[k·n+j] is the uniform of neuron j of the group (n neurons) for
	// emission step poissonSpan·(base[j]−1)+k (base 0: none drawn yet).
	words []uint32
	base  []uint64
}

// poissonSpan is the number of emission steps one refill of a neuron's
// Poisson uniforms covers: two Philox blocks. The uniforms wait between
// refill and use, span·4 bytes per neuron (2.5 MB at full scale); a short
// span keeps more of them in the cache.
const poissonSpan = 8

// Engine simulates one rank of a network.
type Engine struct {
	c    comm.Comm
	cfg  Config
	man  *netfile.Manifest
	p    *netfile.Partition
	dist partition.RoundRobin

	n                 int
	minDelay, ringLen int
	groups            []group
	state             *neuron.State
	// The input rings (ring.go) hold ringLen slots of slotLen inputs: the
	// n excitatory (or only) inputs, then, when some local neurons keep
	// them apart (slotLen 2n), the n inhibitory ones.
	ring       []int32
	ring64     []int64 // nil without plastic and structural synapses
	scale      float64 // ring units per pA (mV)
	slotLen    int
	popOne     []bool // per population: neuron.OneChannel of its model
	inEx, inIn []float64
	chunks     [][2]int // per thread: local neurons [lo, hi)

	// rows of each source neuron present here: srcGID sorted, srcRows[srcOff[i]:srcOff[i+1]]
	srcGID  []uint32
	srcOff  []int32
	srcRows []int32
	rowOne  []bool // the row's targets take all input in one channel
	// rowConst[r] is set when every synapse of row r has the same weight
	// and delay; rowWeight holds that weight in ring units.
	rowConst  []bool
	rowWeight []int32
	rowDelay  []int32
	// isStruct marks the structural projections.
	isStruct []bool
	// rowSplit[r·(threads+1)+t] is where thread t's targets start in row r
	// (nil with one thread; and once listParts has read it).
	rowSplit []int64
	// srcParts[t][srcPartOff[t][i]:srcPartOff[t][i+1]] are thread t's parts
	// of the rows of source srcGID[i] (listParts).
	srcParts   [][]srcPart
	srcPartOff [][]int32
	// packedOff and packedW view the partition's targets and weights
	// once packRows has packed the delay-ordered rows (nil otherwise).
	packedOff []uint32
	packedW   []int32
	// With far synapses deferred (far.go, farShift > 0), far[t] holds
	// thread t's far synapses not yet delivered.
	farShift int
	far      []farQueue
	// jobs[t] is thread t's scratch list of row parts (deliver).
	jobs [][]rowJob
	// pl is the state of plastic projections (nil in static networks).
	pl *plastic
	// st is the state of structural projections (nil without any); their
	// rows are not in the source index above.
	st *structural

	record      []bool // record local neuron i
	recorded    []Spike
	popSpikes   []int64 // spikes per population in the measured window
	allSpikes   []Spike // every local spike, for the digest
	step        int64
	measureFrom int64
	timers      Timers
}

// Timers are a rank's phase times in seconds, named as in NEST and beNNch.
type Timers struct {
	Load        float64 `json:"time_construction_load"`
	Presimulate float64 `json:"time_presimulate"`
	Simulate    float64 `json:"time_simulate"`
	Update      float64 `json:"time_update"`
	Deliver     float64 `json:"time_deliver"`
	Communicate float64 `json:"time_communicate"`
	Record      float64 `json:"time_record"`
}

// New prepares rank c.Rank() of the network in dir for simulation.
func New(dir string, man *netfile.Manifest, c comm.Comm, cfg Config) (*Engine, error) {
	t0 := time.Now()
	if man.Ranks != c.Size() {
		return nil, fmt.Errorf("network %s has %d partitions but the job has %d ranks: run with --ranks %d (or mpirun -np %d), or rebuild with --ranks %d",
			dir, man.Ranks, c.Size(), man.Ranks, man.Ranks, c.Size())
	}
	if cfg.Threads < 1 {
		cfg.Threads = 1
	}
	if cfg.Comm == "" {
		cfg.Comm = CommCollective
	}
	if !slices.Contains(CommModes, cfg.Comm) {
		return nil, fmt.Errorf("unknown exchange mode %q (accepted: collective, p2p)", cfg.Comm)
	}
	p, err := netfile.ReadRank(dir, man, c.Rank())
	if err != nil {
		return nil, err
	}
	e := &Engine{c: c, cfg: cfg, man: man, p: p, n: p.Neurons(), dist: partition.RoundRobin{Neurons: man.Neurons, Ranks: man.Ranks}}
	if err := e.setup(); err != nil {
		return nil, err
	}
	e.timers.Load = time.Since(t0).Seconds()
	return e, nil
}

func (e *Engine) setup() error {
	m := e.man.Model
	// Delays: the global minimum sets the exchange interval.
	e.minDelay, e.ringLen = int(e.man.MinDelaySteps), int(e.man.MaxDelaySteps)
	for pj := range m.Projections {
		if pr := &m.Projections[pj]; pr.Structural != nil {
			d := formDelaySteps(pr, m.Dt)
			e.ringLen = max(e.ringLen, d)
			if e.minDelay == 0 || d < e.minDelay {
				e.minDelay = d
			}
		}
	}
	if e.minDelay < 1 {
		e.minDelay = 1
	}
	e.ringLen += e.minDelay
	// Groups with their neuron models, DC and Poisson inputs.
	dc := make([]float64, len(m.Populations))
	for _, s := range m.Stimuli {
		if s.Type == model.DCGenerator {
			for _, t := range s.Targets {
				dc[m.PopulationIndex(t)] += s.Amplitude
			}
		}
	}
	for pi, pop := range m.Populations {
		lo, hi := e.dist.LocalRange(e.p.Rank, e.man.Populations[pi].FirstGID, pop.Size)
		if lo == hi {
			continue
		}
		nm, err := e.newNeuronModel(pi, int(lo), int(hi), dc[pi])
		if err != nil {
			return fmt.Errorf("population %s: %w", pop.Name, err)
		}
		g := group{pop: pi, lo: int(lo), hi: int(hi), model: nm, one: neuron.OneChannel(nm)}
		g.keyed, _ = nm.(neuron.Keyed)
		for si, s := range m.Stimuli {
			if s.Type != model.PoissonGenerator || !slices.Contains(s.Targets, pop.Name) {
				continue
			}
			tab := rng.NewPoissonTable(s.Rate * m.Dt / 1000)
			g.poisson = append(g.poisson, poissonInput{
				stream: rng.StreamID(rng.PurposePoisson, uint32(si)), table: &tab,
				w: s.Weight, delay: int64(math.Round(s.Delay / m.Dt)), inh: s.Weight < 0 && !g.one,
				words: make([]uint32, poissonSpan*(hi-lo)), base: make([]uint64, hi-lo),
			})
		}
		e.groups = append(e.groups, g)
	}
	// State: V_m from the partition, relative to E_L.
	e.state = neuron.NewState(e.n)
	vi := slices.Index(e.p.StateNames, "V_m")
	for _, g := range e.groups {
		el := g.model.EL()
		for i := g.lo; i < g.hi; i++ {
			if vi >= 0 {
				e.state.V[i] = e.p.State[vi][i] - el
			}
		}
	}
	e.popOne = make([]bool, len(m.Populations))
	e.slotLen = e.n
	for _, g := range e.groups {
		e.popOne[g.pop] = g.one
		if !g.one {
			e.slotLen = 2 * e.n
		}
	}
	e.inEx, e.inIn = make([]float64, e.n), make([]float64, e.n)
	e.jobs = make([][]rowJob, e.cfg.Threads)
	for t := 0; t < e.cfg.Threads; t++ {
		e.chunks = append(e.chunks, [2]int{e.n * t / e.cfg.Threads, e.n * (t + 1) / e.cfg.Threads})
	}
	// Source index.
	type sr struct {
		src uint32
		row int32
	}
	e.isStruct = structuralSet(m)
	pairs := make([]sr, 0, len(e.p.RowSource))
	for r, s := range e.p.RowSource {
		if !e.isStruct[e.p.RowProjection[r]] {
			pairs = append(pairs, sr{s, int32(r)})
		}
	}
	slices.SortStableFunc(pairs, func(a, b sr) int { return int(int64(a.src) - int64(b.src)) })
	for i, pr := range pairs {
		if i == 0 || pr.src != pairs[i-1].src {
			e.srcGID = append(e.srcGID, pr.src)
			e.srcOff = append(e.srcOff, int32(i))
		}
		e.srcRows = append(e.srcRows, pr.row)
	}
	e.srcOff = append(e.srcOff, int32(len(pairs)))
	e.rowOne = make([]bool, len(e.p.RowProjection))
	for r, pj := range e.p.RowProjection {
		e.rowOne[r] = e.popOne[m.PopulationIndex(m.Projections[pj].Target)]
	}
	if err := e.setupPlastic(); err != nil {
		return err
	}
	if err := e.setupStructural(); err != nil {
		return err
	}
	if err := e.chooseScale(); err != nil {
		return err
	}
	for gi := range e.groups {
		for pi := range e.groups[gi].poisson {
			pin := &e.groups[gi].poisson[pi]
			pin.weight = units(pin.w, e.scale)
		}
	}
	e.findConstRows()
	e.splitRows()
	e.orderRowsByDelay()
	near := e.packRows()
	if err := e.listParts(near); err != nil {
		return err
	}
	e.ring = make([]int32, e.ringLen*e.slotLen)
	if e.pl != nil || e.st != nil {
		e.ring64 = make([]int64, e.ringLen*e.slotLen)
	}
	// Recording.
	e.record = make([]bool, e.n)
	for _, rec := range m.Recorders {
		for _, g := range e.groups {
			name := m.Populations[g.pop].Name
			if len(rec.Populations) > 0 && !slices.Contains(rec.Populations, name) {
				continue
			}
			first := e.man.Populations[g.pop].FirstGID
			for i := g.lo; i < g.hi; i++ {
				if rec.N == 0 || int64(e.p.GID[i])-first < rec.N {
					e.record[i] = true
				}
			}
		}
	}
	e.popSpikes = make([]int64, len(m.Populations))
	return nil
}

// findConstRows marks the static rows whose synapses share one weight and
// delay, which deliver without reading either per synapse.
func (e *Engine) findConstRows() {
	p := e.p
	rows := p.Rows()
	e.rowConst, e.rowWeight, e.rowDelay = make([]bool, rows), make([]int32, rows), make([]int32, rows)
	for r := 0; r < rows; r++ {
		a, b := p.RowStart[r], p.RowStart[r+1]
		if a == b || !e.static(r) {
			continue
		}
		w, d := p.Weight[a], p.DelayAt(a)
		same := true
		for k := a + 1; k < b && same; k++ {
			same = p.Weight[k] == w && p.DelayAt(k) == d
		}
		if same {
			e.rowConst[r], e.rowWeight[r], e.rowDelay[r] = true, units(float64(w), e.scale), int32(d)
		}
	}
}

// Run simulates TPresim then TSim ms of model time.
func (e *Engine) Run() error {
	dt := e.man.Dt
	pre := int64(math.Round(e.cfg.TPresim / dt))
	sim := int64(math.Round(e.cfg.TSim / dt))
	// Spikes count towards the rates from the first measured step on.
	e.measureFrom = e.step + pre
	t := time.Now()
	if err := e.advance(pre); err != nil {
		return err
	}
	e.timers.Presimulate = time.Since(t).Seconds()
	t = time.Now()
	upd, del, com := e.timers.Update, e.timers.Deliver, e.timers.Communicate
	if err := e.advance(sim); err != nil {
		return err
	}
	e.timers.Simulate = time.Since(t).Seconds()
	// Phase timers cover the measured phase only, as time_simulate does.
	e.timers.Update -= upd
	e.timers.Deliver -= del
	e.timers.Communicate -= com
	return nil
}

// advance runs steps steps in intervals of at most minDelay.
func (e *Engine) advance(steps int64) error {
	end := e.step + steps
	threadSpikes := make([][]Spike, e.cfg.Threads)
	team := par.NewTeam(e.cfg.Threads)
	defer team.Close()
	for e.step < end {
		m := min(int64(e.minDelay), end-e.step)
		if e.st != nil {
			// Intervals end at rewiring steps, so that rewiring happens
			// at the same step however the run is split.
			m = min(m, e.st.next(e.step)-e.step)
		}
		t0 := time.Now()
		team.Run(func(t int) {
			threadSpikes[t] = e.updateChunk(e.chunks[t][0], e.chunks[t][1], e.step, m, threadSpikes[t][:0])
		})
		var local []Spike
		for _, s := range threadSpikes {
			local = append(local, s...)
		}
		e.step += m
		t1 := time.Now()
		in, err := e.exchange(local)
		if err != nil {
			return err // another rank failed: comm says which
		}
		t2 := time.Now()
		if e.pl != nil {
			e.pl.prePass(e, in)
		}
		team.Run(func(t int) {
			e.deliver(in, t)
			if e.st != nil {
				e.st.deliver(e, in, e.chunks[t][0], e.chunks[t][1])
			}
		})
		if e.st != nil {
			if err := e.st.afterInterval(e, e.step-m, e.step); err != nil {
				return err
			}
		}
		t3 := time.Now()
		e.timers.Update += t1.Sub(t0).Seconds()
		e.timers.Communicate += t2.Sub(t1).Seconds()
		e.timers.Deliver += t3.Sub(t2).Seconds()
		if e.cfg.Progress != nil && e.c.Rank() == 0 {
			e.cfg.Progress.Add(m)
		}
	}
	return nil
}

// updateChunk advances local neurons [lo, hi) through steps [t0, t0+m) and
// returns their spikes appended to out (GID holds the local index).
func (e *Engine) updateChunk(lo, hi int, t0, m int64, out []Spike) []Spike {
	n2 := e.slotLen
	var spiked []int32
	in := neuron.Input{Ex: e.inEx, In: e.inIn}
	for k := int64(0); k < m; k++ {
		step := t0 + k
		slot := int(step % int64(e.ringLen))
		row := e.ring[slot*n2 : (slot+1)*n2]
		var row64 []int64
		if e.ring64 != nil {
			row64 = e.ring64[slot*n2 : (slot+1)*n2]
		}
		for gi := range e.groups {
			g := &e.groups[gi]
			a, b := max(lo, g.lo), min(hi, g.hi)
			if a >= b {
				continue
			}
			e.takeGroupInput(g, a, b, step, row, row64)
			if g.keyed != nil {
				spiked = g.keyed.StepKeyed(e.state, a, b, neuron.Keys{Seed: e.man.Seed, Step: step, GID: e.p.GID}, spiked[:0])
			} else {
				spiked = g.model.Step(e.state, a, b, in, spiked[:0])
			}
			for _, i := range spiked {
				out = append(out, Spike{GID: uint32(i), Step: uint32(step)})
			}
		}
	}
	return out
}

// takeGroupInput adds the Poisson input of step step to neurons [a, b)
// of g and converts their inputs in the step's ring rows (row64 nil
// without ring64) to inEx and inIn, clearing the rows. The first Poisson
// input onto the first channel is added as that channel is taken; the
// others go to the ring row first.
func (e *Engine) takeGroupInput(g *group, a, b int, step int64, row []int32, row64 []int64) {
	part64 := func(lo, hi int) []int64 {
		if row64 == nil {
			return nil
		}
		return row64[lo:hi]
	}
	var fused *poissonInput
	var fusedWords []uint32
	for pi := range g.poisson {
		pin := &g.poisson[pi]
		words := e.poissonWords(g, pin, a, b, step)
		switch {
		case words == nil:
		case fused == nil && !pin.inh && row64 == nil:
			fused, fusedWords = pin, words
		default:
			off := a
			if pin.inh {
				off += e.n
			}
			addPoisson(row[off:off+(b-a)], words, pin.table, pin.weight)
		}
	}
	if fused != nil {
		takePoisson(e.inEx[a:b], row[a:b], fusedWords, fused.table, fused.weight, e.scale)
	} else {
		takeInput(e.inEx[a:b], row[a:b], part64(a, b), e.scale)
	}
	if !g.one {
		takeInput(e.inIn[a:b], row[e.n+a:e.n+b], part64(e.n+a, e.n+b), e.scale)
	}
}

// poissonWords returns the uniforms from which neurons [a, b) of g draw
// their counts of Poisson input pin arriving in step step (nil before any
// arrives): word step − delay (the emission step) of each neuron's stream
// keyed by (seed, stimulus, gid), drawn poissonSpan steps at a time. The
// input sums are integers, so adding the counts at arrival rather than at
// emission gives the same bits.
func (e *Engine) poissonWords(g *group, pin *poissonInput, a, b int, step int64) []uint32 {
	if step < pin.delay {
		return nil // no emission before step 0
	}
	emit := uint64(step - pin.delay)
	bi, k := emit/poissonSpan, int(emit%poissonSpan)
	n := g.hi - g.lo
	j0, j1 := a-g.lo, b-g.lo
	if pin.base[j0] != bi+1 {
		// Neurons [a, b) always advance together, so the first one's
		// words tell whether all of them need the next block.
		gids := e.p.GID[g.lo:g.hi]
		rng.BlocksAcross(pin.words[j0:], n, e.man.Seed, pin.stream, gids[j0:j1], bi*(poissonSpan/4), poissonSpan/4)
		for j := j0; j < j1; j++ {
			pin.base[j] = bi + 1
		}
	}
	return pin.words[k*n+j0 : k*n+j1]
}

// exchange turns the local spikes of the interval (local indices) into
// global ones, records them, and returns every spike this rank must deliver.
func (e *Engine) exchange(local []Spike) ([]Spike, error) {
	for k := range local {
		li := local[k].GID
		if e.pl != nil {
			e.pl.post[li].spike(local[k].Step)
		}
		local[k].GID = e.p.GID[li]
		if int64(local[k].Step) >= e.measureFrom {
			e.popSpikes[e.popOf(int(li))]++
		}
		if e.record[li] {
			e.recorded = append(e.recorded, local[k])
		}
	}
	e.allSpikes = append(e.allSpikes, local...)
	if e.c.Size() == 1 {
		return local, nil
	}
	if e.cfg.Comm == CommP2P {
		send := make([][]byte, e.c.Size())
		w := e.p.MaskWidth()
		for _, s := range local {
			li := e.dist.Local(int64(s.GID))
			mask := e.p.SendMask[int(li)*w : int(li+1)*w]
			for r := range send {
				if mask[r/8]&(1<<(r%8)) != 0 {
					send[r] = appendSpike(send[r], s)
				}
			}
		}
		recv, err := e.c.Alltoall(send)
		if err != nil {
			return nil, fmt.Errorf("exchange spikes: %w", err)
		}
		return decodeSpikes(recv), nil
	}
	var buf []byte
	for _, s := range local {
		buf = appendSpike(buf, s)
	}
	recv, err := e.c.Allgather(buf)
	if err != nil {
		return nil, fmt.Errorf("exchange spikes: %w", err)
	}
	return decodeSpikes(recv), nil
}

func (e *Engine) popOf(li int) int {
	for _, g := range e.groups {
		if li >= g.lo && li < g.hi {
			return g.pop
		}
	}
	return 0
}

func appendSpike(b []byte, s Spike) []byte {
	b = binary.LittleEndian.AppendUint32(b, s.GID)
	return binary.LittleEndian.AppendUint32(b, s.Step)
}

func decodeSpikes(parts [][]byte) []Spike {
	var out []Spike
	for _, b := range parts {
		for k := 0; k+8 <= len(b); k += 8 {
			out = append(out, Spike{GID: binary.LittleEndian.Uint32(b[k:]), Step: binary.LittleEndian.Uint32(b[k+4:])})
		}
	}
	return out
}

// deliver adds the spikes' synapses onto local targets [lo, hi) to the
// rings; plastic rows first update their weights (stdp.go).
//
// It first lists the row parts to deliver, then delivers them. Finding a
// spike's parts takes a search of the source index and a read of the
// parts listed for it (listParts), which miss the cache; in a loop of
// their own they overlap, where between deliveries each would wait in
// turn. While a part is delivered, the first lines of the part rowAhead
// further on are prefetched, so that its synapses are on their way when
// its turn comes. Far synapses due at this exchange come last (far.go).
func (e *Engine) deliver(spikes []Spike, t int) {
	jobs := e.jobs[t][:0]
	parts, off := e.srcParts[t], e.srcPartOff[t]
	for j, s := range spikes {
		i, found := slices.BinarySearch(e.srcGID, s.GID)
		if !found {
			continue
		}
		for _, sp := range parts[off[i]:off[i+1]] {
			jobs = append(jobs, rowJob{row: sp.row, spike: int32(j), kind: sp.kind, a: sp.a, near: sp.a + int64(sp.near), b: sp.a + int64(sp.n)})
		}
	}
	e.jobs[t] = jobs
	p := e.p
	for k, job := range jobs {
		if k+rowAhead < len(jobs) {
			a := jobs[k+rowAhead].a
			prefetchTwo(unsafe.Pointer(&p.Target[a*int64(p.TargetWidth)]), unsafe.Pointer(&p.Weight[a]))
		}
		r, a, b, s := job.row, job.a, job.b, spikes[job.spike]
		base := int(int64(s.Step) % int64(e.ringLen))
		switch job.kind {
		case constPart:
			slot := base + int(e.rowDelay[r])
			if slot >= e.ringLen {
				slot -= e.ringLen
			}
			off := slot * e.slotLen
			if e.rowWeight[r] < 0 && !e.rowOne[r] {
				off += e.n
			}
			if p.TargetWidth == 2 {
				deliverConst(e.ring[off:], p.Target16()[a:b], e.rowWeight[r])
			} else {
				deliverConst(e.ring[off:], p.Target32()[a:b], e.rowWeight[r])
			}
		case plasticPart:
			e.pl.deliverRow(e, e.pl.rowPl[r], int(job.spike), int64(s.Step), a, b, base)
		default:
			e.deliverRow(r, t, a, job.near, b, int64(s.Step), base)
		}
	}
	if e.farShift > 0 {
		e.deliverFar(t)
	}
}

// rowAhead is how many row parts ahead deliver prefetches: far enough
// for the lines to arrive, near enough not to be evicted again.
const rowAhead = 4

// rowJob is a row part to deliver: synapses [a, b) of row row, of the
// given kind, for spike spike of the interval; in a packed row with far
// synapses (far.go), those from near on.
type rowJob struct {
	row, spike int32
	kind       rowKind
	a, near, b int64
}

// rowKind tells how deliver walks a row.
type rowKind uint8

const (
	walkedPart  rowKind = iota // deliverRow: static rows, packed or not
	constPart                  // one weight and delay (rowConst)
	plasticPart                // stdp.go
)

// srcPart is a row part as listParts lists it: synapses [a, a+n) of row
// row, of the given kind; in a packed row with far synapses, those from
// a+near on are far.
type srcPart struct {
	a       int64
	near, n uint32
	row     int32
	kind    rowKind
}

// listParts lists, for each thread and each source in srcGID, the
// non-empty parts of the source's rows onto the thread's targets, in the
// order deliver takes them: a few contiguous lines per spike, where
// finding each part took a load from each of several large tables per row.
// With far synapses deferred, near[r·threads+t] is the number of near
// synapses that start thread t's part of packed row r (packRows). rowSplit
// is not needed afterwards.
func (e *Engine) listParts(near []uint32) error {
	threads := len(e.chunks)
	e.srcParts, e.srcPartOff = make([][]srcPart, threads), make([][]int32, threads)
	for t := range threads {
		// Counted first, so that the lists take no more memory than
		// they need; there are no more parts than srcRows, which int32
		// offsets index.
		count := 0
		for _, r := range e.srcRows {
			if a, b := e.rowPart(int(r), t); a < b {
				count++
			}
		}
		parts := make([]srcPart, 0, count)
		off := make([]int32, 0, len(e.srcOff))
		for i := range e.srcGID {
			off = append(off, int32(len(parts)))
			for _, r := range e.srcRows[e.srcOff[i]:e.srcOff[i+1]] {
				a, b := e.rowPart(int(r), t)
				if a == b {
					continue
				}
				if b-a > math.MaxUint32 {
					return fmt.Errorf("row %d: %d synapses onto thread %d's targets: more than %d", r, b-a, t, uint32(math.MaxUint32))
				}
				part := srcPart{a: a, near: uint32(b - a), n: uint32(b - a), row: r}
				switch {
				case e.rowConst[r]:
					part.kind = constPart
				case e.pl != nil && e.pl.rowPl[r] >= 0:
					part.kind = plasticPart
				case e.farShift > 0:
					part.near = near[int(r)*threads+t]
				}
				parts = append(parts, part)
			}
		}
		off = append(off, int32(len(parts)))
		e.srcParts[t], e.srcPartOff[t] = parts, off
	}
	e.rowSplit = nil
	return nil
}
