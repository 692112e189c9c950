package sim

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/results"
	"github.com/snnkit/snnkit/pkg/rng"
)

// inputBound is the largest sum of |weight| a neuron of net can receive in
// one step from static synapses and Poisson input, computed here directly
// from the partition files and the model.
func inputBound(t *testing.T, net string) float64 {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	m := man.Model
	bound := 0.0
	for r := 0; r < man.Ranks; r++ {
		p, err := netfile.ReadRank(net, man, r)
		if err != nil {
			t.Fatal(err)
		}
		sum := make([]float64, p.Neurons())
		for k, w := range p.Weight {
			sum[p.TargetAt(int64(k))] += math.Abs(float64(w))
		}
		for i, gid := range p.GID {
			for pi, pop := range man.Populations {
				if int64(gid) < pop.FirstGID || int64(gid) >= pop.FirstGID+pop.Size {
					continue
				}
				for _, s := range m.Stimuli {
					for _, tg := range s.Targets {
						if s.Type == model.PoissonGenerator && tg == m.Populations[pi].Name {
							tab := rng.NewPoissonTable(s.Rate * m.Dt / 1000)
							sum[i] += float64(tab.MaxCount()) * math.Abs(s.Weight)
						}
					}
				}
			}
		}
		for _, s := range sum {
			bound = max(bound, s)
		}
	}
	return bound
}

// TestInputScale: the input rings' scale is the largest power of two at
// which the largest possible input stays below 2³⁰ units, and the same for
// any rank count.
func TestInputScale(t *testing.T) {
	m := builtin(t, "microcircuit", "N_scaling=0.02", "K_scaling=0.05")
	var first float64
	for _, ranks := range []int{1, 3} {
		net := buildNet(t, m, 5, ranks)
		res := runNet(t, net, ranks, 1, CommCollective, 0, 1)
		frac, _ := math.Frexp(res.InputResolution)
		if frac != 0.5 {
			t.Fatalf("%d ranks: input resolution %g is not a power of two", ranks, res.InputResolution)
		}
		units := inputBound(t, net) / res.InputResolution
		if !(units < 1<<30 && units >= 1<<28) {
			t.Errorf("%d ranks: resolution %g puts the largest input at %g units, want [2²⁸, 2³⁰)", ranks, res.InputResolution, units)
		}
		if first == 0 {
			first = res.InputResolution
		} else if res.InputResolution != first {
			t.Errorf("%d ranks: input resolution %g, with 1 rank %g", ranks, res.InputResolution, first)
		}
	}
}

// TestVolleyAtBound: 3000 identical neurons driven by the same current
// fire in the same steps, and every one of them reaches one neuron with
// the same delay, so that its ring entry takes the largest sum the scale
// allows for. The sum must not wrap: the volley (300 mV) makes the target
// fire once per volley.
func TestVolleyAtBound(t *testing.T) {
	const n = 3000
	no := false
	m := &model.Model{Name: "volley_test", Dt: 0.1,
		Populations: []model.Population{
			{Name: "A", Size: n, Neuron: "iaf_psc_exp"},
			{Name: "B", Size: 1, Neuron: "iaf_psc_delta"},
		},
		Stimuli: []model.Stimulus{{Name: "dc", Type: model.DCGenerator, Targets: []string{"A"}, Amplitude: 1000}},
		Projections: []model.Projection{{Name: "AB", Source: "A", Target: "B", Rule: model.FixedIndegree, Indegree: n,
			AllowMultapses: &no, Weight: model.Const(0.1), Delay: model.Const(1.5)}},
	}
	if err := model.Resolve(m); err != nil {
		t.Fatal(err)
	}
	for _, ranks := range []int{1, 2} {
		res := runNet(t, buildNet(t, m, 1, ranks), ranks, 2, CommCollective, 0, 200)
		a, b := res.Rates[0].Spikes, res.Rates[1].Spikes
		if a == 0 || a%n != 0 || b != a/n {
			t.Errorf("%d ranks: A fired %d spikes (volleys of %d), B %d: want one B spike per volley", ranks, a, n, b)
		}
		if units := n * 0.1 / res.InputResolution; units < 1<<29 {
			t.Errorf("%d ranks: the volley is %g units, want at least 2²⁹ (the scale is not the largest safe one)", ranks, units)
		}
	}
}

// loadEngine loads the one-rank network net into an engine with threads
// threads, to look at how it laid out the synapses.
func loadEngine(t *testing.T, net string, threads int) *Engine {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	world, err := comm.NewInProc(1)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(net, man, world[0], Config{Threads: threads})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestPackedRows: with more than 65,536 neurons on a rank, targets are
// 32-bit and delay-ordered rows are packed (packRows); with 2 ranks they
// are 16-bit and are not. Both must give the same spikes.
func TestPackedRows(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 69,000-neuron network")
	}
	m := builtin(t, "microcircuit", "N_scaling=0.9", "K_scaling=0.005")
	var ref *results.Result
	for _, ranks := range []int{1, 2} {
		net := buildNet(t, m, 2, ranks)
		if ranks == 1 {
			if e := loadEngine(t, net, 2); e.packedOff == nil {
				t.Fatal("1 rank: rows not packed; the test would prove nothing")
			}
		}
		res := runNet(t, net, ranks, 2, CommCollective, 0, 60)
		if ref == nil {
			if res.Spikes == 0 {
				t.Fatal("no spikes")
			}
			ref = res
			continue
		}
		if res.SpikeDigest != ref.SpikeDigest {
			t.Errorf("%d ranks (not packed): %d spikes %s; 1 rank (packed): %d spikes %s", ranks, res.Spikes, res.SpikeDigest, ref.Spikes, ref.SpikeDigest)
		}
	}
}

// farModel has more than 65,536 neurons (so that one rank packs its rows)
// and delays of 0.5–4 ms: exchanges every 5 steps, and a short ring whose
// far synapses (far.go) are about half of them. I keeps its excitatory and
// inhibitory inputs apart (tau_syn_in differs), E takes them in one channel.
const farModel = `
name: far
dt: 0.1
populations:
  - {name: E, size: 56000, neuron: iaf_psc_exp}
  - {name: I, size: 14000, neuron: iaf_psc_exp, params: {tau_syn_in: 5}}
projections:
  - {source: E, target: E, rule: fixed_indegree, indegree: 8, weight: {dist: normal, mean: 60, sd: 6, min: 0}, delay: {dist: uniform, low: 0.5, high: 4}}
  - {source: E, target: I, rule: fixed_indegree, indegree: 8, weight: 60, delay: {dist: uniform, low: 0.5, high: 4}}
  - {source: I, target: E, rule: fixed_indegree, indegree: 4, weight: {dist: normal, mean: -240, sd: 24, max: 0}, delay: {dist: uniform, low: 0.5, high: 4}}
  - {source: I, target: I, rule: fixed_indegree, indegree: 4, weight: -240, delay: {dist: uniform, low: 0.5, high: 4}}
stimuli:
  - {name: bg, type: poisson_generator, targets: [E, I], rate: 9000, weight: 60, delay: 0.5}
recorders:
  - {type: spike_recorder}
`

// TestFarSynapses: on one rank, with 32-bit targets, rows are packed and
// far synapses deferred to a short ring; on two, with 16-bit targets,
// neither. Both must give the same spikes, with 1 and 2 threads.
func TestFarSynapses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 70,000-neuron network")
	}
	m, err := model.Parse("far.yaml", []byte(farModel), nil)
	if err != nil {
		t.Fatal(err)
	}
	one, two := buildNet(t, m, 3, 1), buildNet(t, m, 3, 2)
	e := loadEngine(t, one, 2)
	man := e.man
	var near, packed int64
	for key, sp := range listedParts(e) {
		if e.byDelay(key[0]) {
			packed += int64(sp.n)
			near += int64(sp.near)
		}
	}
	if e.farShift == 0 || near == 0 || near > packed*3/4 || e.minDelay != 5 {
		t.Fatalf("short ring %d of %d slots, farShift %d, near %d of %d packed synapses, min delay %d steps: the test would prove little",
			e.ringLen, int(man.MaxDelaySteps)+e.minDelay, e.farShift, near, packed, e.minDelay)
	}
	ref := runNet(t, two, 2, 1, CommCollective, 0, 100)
	if ref.Spikes == 0 {
		t.Fatal("no spikes")
	}
	for _, threads := range []int{1, 2} {
		res := runNet(t, one, 1, threads, CommCollective, 0, 100)
		if res.SpikeDigest != ref.SpikeDigest {
			t.Errorf("1 rank (far synapses deferred), %d threads: %d spikes %s; 2 ranks: %d spikes %s", threads, res.Spikes, res.SpikeDigest, ref.Spikes, ref.SpikeDigest)
		}
	}
}

// TestFarQueue checks the far-synapse queue against a direct model: parts
// queued at some exchanges and not others (so that the queue both empties
// and is compacted while batches wait), added to the ring at their due
// exchanges, with entries that wrap around the ring's end.
func TestFarQueue(t *testing.T) {
	const ringLen, slotLen = 5, 7
	e := &Engine{ringLen: ringLen, slotLen: slotLen, farShift: 3, far: make([]farQueue, 1)}
	e.ring = make([]int32, ringLen*slotLen)
	for k := 0; k < 40; k++ {
		e.packedOff = append(e.packedOff, uint32(k*11%(ringLen*slotLen)))
		e.packedW = append(e.packedW, int32(k+1))
	}
	type syn struct {
		due   int64
		entry int
		w     int32
	}
	var pending []syn
	want := make([]int32, len(e.ring))
	x := uint32(7)
	for step := int64(0); step < 200; step++ {
		e.step = step + 1 // deliver runs after the interval [step, step+1)
		x = x*1103515245 + 12345
		if n := int64(x>>16) % 9; step%23 < 15 && n > 0 { // quiet stretches empty the queue
			a := int64(x>>8) % 30
			e.queueFar(0, a, a+n, step)
			start := int((step+int64(e.farShift))%ringLen) * slotLen
			for k := a; k < a+n; k++ {
				pending = append(pending, syn{e.step - 1 + int64(e.farShift), (start + int(e.packedOff[k])) % len(e.ring), e.packedW[k]})
			}
		}
		e.deliverFar(0)
		rest := pending[:0]
		for _, p := range pending {
			if p.due <= e.step {
				want[p.entry] += p.w
			} else {
				rest = append(rest, p)
			}
		}
		pending = rest
		if !slices.Equal(e.ring, want) {
			t.Fatalf("step %d: ring %v, want %v", step, e.ring, want)
		}
	}
}

// TestDeliverPacked checks deliverPacked (assembly on amd64) against the
// plain loop, for row parts of several lengths whose offsets are ordered
// by slot (as packRows leaves them, in any order within a slot), with
// spikes in every slot so that parts wrap around the ring's end at every
// point.
func TestDeliverPacked(t *testing.T) {
	const slots, slotLen = 5, 40
	const size = slots * slotLen
	x := uint32(7)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 200, 1000} {
		off, w := make([]uint32, n), make([]int32, n)
		for k := range off {
			off[k], w[k] = next()%size, int32(next()%2001)-1000
		}
		slices.SortFunc(off, func(a, b uint32) int { return int(a/slotLen) - int(b/slotLen) })
		for base := 0; base < slots; base++ {
			start := base * slotLen
			got, want := make([]int32, size), make([]int32, size)
			deliverPacked(got, off, w, start)
			for k, o := range off {
				want[(start+int(o))%size] += w[k]
			}
			if !slices.Equal(got, want) {
				t.Errorf("n %d slot %d: ring differs from the plain loop", n, base)
			}
		}
	}
}

// TestTakePoisson checks takePoisson (assembly on amd64) against its Go
// loop bit for bit, for lengths around its vector width and for rates
// whose tables need searches for some uniforms.
func TestTakePoisson(t *testing.T) {
	if !haveTakeAsm {
		t.Skip("no vector loop on this machine: takePoisson is takePoissonGo")
	}
	if rng.LookupSearch != 0xff {
		t.Fatalf("take_amd64.s tests counts against 0xff, but rng.LookupSearch is %d", rng.LookupSearch)
	}
	if rng.LookupBits != 12 {
		t.Fatalf("take_amd64.s indexes the lookup table with the top 12 bits, but rng.LookupBits is %d", rng.LookupBits)
	}
	x := uint32(11)
	next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
	for _, lambda := range []float64{0.01, 1.6, 30} {
		tab := rng.NewPoissonTable(lambda)
		for _, n := range []int{0, 1, 7, 8, 9, 255, 256, 257, 1000} {
			words, src := make([]uint32, n), make([]int32, n)
			for i := range words {
				words[i], src[i] = next(), int32(next()%200001)-100000
			}
			srcGo := slices.Clone(src)
			got, want := make([]float64, n), make([]float64, n)
			takePoisson(got, src, words, &tab, -351<<10, 1<<10)
			takePoissonGo(want, srcGo, words, &tab, -351<<10, 1<<10)
			for i := range got {
				if math.Float64bits(got[i]) != math.Float64bits(want[i]) || src[i] != 0 || srcGo[i] != 0 {
					t.Fatalf("lambda %g n %d neuron %d: %v (src %d), Go loop %v (src %d)", lambda, n, i, got[i], src[i], want[i], srcGo[i])
				}
			}
		}
	}
}

// BenchmarkTakePoisson takes the input of 40,000 neurons with one Poisson
// input at the microcircuit's rate (λ = 1.6 per step).
func BenchmarkTakePoisson(b *testing.B) {
	const n = 40000
	tab := rng.NewPoissonTable(1.6)
	words, src, dst := make([]uint32, n), make([]int32, n), make([]float64, n)
	x := uint32(5)
	for i := range words {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		words[i] = x
	}
	for _, c := range []struct {
		name string
		f    func([]float64, []int32, []uint32, *rng.PoissonTable, int32, float64)
	}{{"dispatch", takePoisson}, {"go", takePoissonGo}} {
		b.Run(c.name, func(b *testing.B) {
			for k := 0; k < b.N; k++ {
				c.f(dst, src, words, &tab, 87<<10, 1<<10)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
		})
	}
}

// BenchmarkDeliverPacked delivers row parts of 512 synapses, ordered by
// slot as packRows leaves them, into a ring of 30 slots: 256 KiB, or the
// 4.6 MB of a thread's share of the full-scale microcircuit (30 slots of
// 38,585 neurons). The parts are drawn at random from 64 (whose synapses
// stay in the cache) or from 4096 (whose synapses come from memory, as in
// a run). It reports the time per synapse.
func BenchmarkDeliverPacked(b *testing.B) {
	const slots, partLen = 30, 512
	for _, slotLen := range []int{2185, 38585} {
		for _, parts := range []int{64, 4096} {
			size := slots * slotLen
			b.Run(fmt.Sprintf("ring=%dKiB/parts=%d", size*4>>10, parts), func(b *testing.B) {
				x := uint32(3)
				next := func() uint32 { x ^= x << 13; x ^= x >> 17; x ^= x << 5; return x }
				off, w := make([]uint32, parts*partLen), make([]int32, parts*partLen)
				for p := 0; p < parts; p++ {
					o := off[p*partLen : (p+1)*partLen]
					for k := range o {
						o[k], w[p*partLen+k] = next()%uint32(size), int32(next()%100)
					}
					slices.SortFunc(o, func(a, b uint32) int { return int(a)/slotLen - int(b)/slotLen })
				}
				ring := make([]int32, size)
				for b.Loop() {
					p := int(next() % uint32(parts))
					deliverPacked(ring, off[p*partLen:(p+1)*partLen], w[p*partLen:(p+1)*partLen], int(next()%slots)*slotLen)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*partLen), "ns/synapse")
			})
		}
	}
}
