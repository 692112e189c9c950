package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
)

// structProjSpec is a projection A→B (or B→B) of structModel.
type structProjSpec struct {
	name, src, tgt string
	rule           string  // connection rule
	k              int64   // fixed_indegree
	p              float64 // pairwise_bernoulli
	weight         float64
	stdp           bool
	s              *model.Structural
}

// structModel is two 8×8 grids A and B of iaf_psc_exp neurons driven by
// Poisson input to fire at tens of Hz, connected by projs.
func structModel(t testing.TB, projs ...structProjSpec) *model.Model {
	t.Helper()
	no := false
	m := &model.Model{Name: "structural_test", Dt: 0.1,
		Populations: []model.Population{
			{Name: "A", Size: 64, Neuron: "iaf_psc_exp", Grid: &model.Grid{Width: 8}},
			{Name: "B", Size: 64, Neuron: "iaf_psc_exp", Grid: &model.Grid{Width: 8}},
		},
		Stimuli: []model.Stimulus{{Name: "drive", Type: model.PoissonGenerator, Targets: []string{"A", "B"}, Rate: 20000, Weight: 9.5, Delay: 1}},
	}
	for _, ps := range projs {
		pr := model.Projection{Name: ps.name, Source: ps.src, Target: ps.tgt, Rule: ps.rule, Weight: model.Const(ps.weight),
			Delay: model.Const(1.5), AllowAutapses: &no, Structural: ps.s}
		switch ps.rule {
		case model.FixedIndegree:
			pr.Indegree = ps.k
			pr.AllowMultapses = &no
		case model.PairwiseBernoulli:
			pr.P = &ps.p
		}
		if ps.stdp {
			pr.SynapseModel = STDPSynapse
			pr.SynapseParams = map[string]float64{"Wmax": 60, "lambda": 0.05, "alpha": 1.3}
		}
		m.Projections = append(m.Projections, pr)
	}
	if err := model.Resolve(m); err != nil {
		t.Fatal(err)
	}
	return m
}

// deepR is A→B: 8 STDP synapses per target whose weights drift down
// through the deep_r threshold.
func deepR(name string) structProjSpec {
	return structProjSpec{name: name, src: "A", tgt: "B", rule: model.FixedIndegree, k: 8, weight: 30, stdp: true,
		s: &model.Structural{Rule: model.DeepR, Threshold: 24, FormWeight: 30, Interval: 2}}
}

// bamford is src→tgt without initial synapses, formed by distance.
func bamford(name, src, tgt string, maxIn int64, stdp bool) structProjSpec {
	return structProjSpec{name: name, src: src, tgt: tgt, rule: model.PairwiseBernoulli, p: 0, weight: 20, stdp: stdp,
		s: &model.Structural{Rule: model.Bamford, PForm: 0.6, Sigma: 1.5, PElimLow: 0.3, PElimHigh: 0.05,
			WThreshold: 15, FormWeight: 20, MaxIndegree: maxIn}}
}

// structRun is what a run of a structural network ends with.
type structRun struct {
	digest   string
	spikes   int
	all      []Spike          // every spike, sorted
	synapses []PlasticSynapse // structural synapses, sorted
	formed   int64
	removed  int64
	// maskErr names a send-mask bit (p2p) that disagrees with the
	// synapses: set for a rank without synapses from the source, or clear
	// for one with some ("" when all agree).
	maskErr string
}

// runStructural simulates net with in-process ranks; every chunk steps it
// calls check (if set) on each rank's engine.
func runStructural(t *testing.T, net string, ranks, threads int, mode string, tsim float64, chunk int64, check func(e *Engine)) structRun {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var r structRun
	var spikes []Spike
	engines := make([]*Engine, ranks)
	steps := int64(math.Round(tsim / man.Dt))
	err = comm.RunInProc(ranks, func(c comm.Comm) error {
		e, err := New(net, man, c, Config{Threads: threads, Comm: mode})
		if err != nil {
			return err
		}
		for done := int64(0); done < steps; done += chunk {
			if err := e.advance(min(chunk, steps-done)); err != nil {
				return err
			}
			if check != nil {
				mu.Lock()
				check(e)
				mu.Unlock()
			}
		}
		mu.Lock()
		defer mu.Unlock()
		engines[c.Rank()] = e
		spikes = append(spikes, e.allSpikes...)
		r.synapses = append(r.synapses, e.StructuralSynapses()...)
		for _, sp := range e.st.projs {
			r.formed += sp.formed
			r.removed += sp.removed
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(spikes, cmpSpike)
	sum := sha256.Sum256(spikeBytes(spikes))
	r.digest, r.spikes, r.all = hex.EncodeToString(sum[:]), len(spikes), spikes
	slices.SortFunc(r.synapses, cmpSynapse)
	if mode == CommP2P {
		r.maskErr = checkMasks(engines, r.synapses, man)
	}
	return r
}

// checkMasks compares the send masks of population A's neurons (whose
// only outgoing synapses are structural) with the ranks that hold synapses
// from them.
func checkMasks(engines []*Engine, syns []PlasticSynapse, man *netfile.Manifest) string {
	ranks := len(engines)
	need := map[[2]int]bool{}
	for _, e := range engines {
		for _, s := range e.StructuralSynapses() {
			need[[2]int{int(s.Source), e.c.Rank()}] = true
		}
	}
	for _, e := range engines {
		for li, gid := range e.p.GID {
			if int64(gid) >= man.Populations[0].Size {
				continue
			}
			for r := range ranks {
				if got := e.p.Needs(li, r); got != need[[2]int{int(gid), r}] {
					return fmt.Sprintf("rank %d's mask of gid %d for rank %d is %v, synapses say %v", e.c.Rank(), gid, r, got, !got)
				}
			}
		}
	}
	return ""
}

// inDegrees counts the structural synapses of projection pj per target gid on e.
func inDegrees(e *Engine, pj int) map[uint32]int {
	deg := map[uint32]int{}
	for _, s := range e.StructuralSynapses() {
		if s.Projection == pj {
			deg[s.Target]++
		}
	}
	return deg
}

// TestDeepR: on a deep_r projection with STDP, weights move, synapses
// whose weight fell below the threshold are removed and replaced, and the
// projection's synapse count and every target's in-degree stay fixed; the
// post histories' read counts never exceed their readers.
func TestDeepR(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ranks   int
		threads int
	}{
		{"1 rank", 1, 1},
		{"3 ranks × 2 threads", 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := buildNet(t, structModel(t, deepR("AB")), 3, tc.ranks)
			bad := ""
			r := runStructural(t, net, tc.ranks, tc.threads, CommCollective, 300, 100, func(e *Engine) {
				for _, g := range e.groups {
					if e.man.Model.Populations[g.pop].Name != "B" {
						continue
					}
					deg := inDegrees(e, 0)
					for i := g.lo; i < g.hi; i++ {
						if d := deg[e.p.GID[i]]; d != 8 && bad == "" {
							bad = fmt.Sprintf("step %d: target %d has %d synapses, want 8", e.step, e.p.GID[i], d)
						}
						for _, h := range e.pl.post[i].hist {
							if h.read > e.pl.post[i].nIn && bad == "" {
								bad = fmt.Sprintf("step %d: target %d's post spike at %d read %d times by %d readers", e.step, e.p.GID[i], h.t, h.read, e.pl.post[i].nIn)
							}
						}
					}
				}
			})
			if bad != "" {
				t.Fatal(bad)
			}
			if len(r.synapses) != 64*8 {
				t.Fatalf("%d synapses at the end, want %d", len(r.synapses), 64*8)
			}
			if r.removed == 0 || r.removed != r.formed {
				t.Fatalf("%d synapses removed and %d formed: want as many, and some", r.removed, r.formed)
			}
			moved := 0
			for _, s := range r.synapses {
				if s.Weight != 30 {
					moved++
				}
			}
			if moved == 0 {
				t.Fatal("no weight moved")
			}
			t.Logf("%d spikes; %d removed and replaced; %d of %d weights moved", r.spikes, r.removed, moved, len(r.synapses))
		})
	}
}

// TestBamford: rewiring on two 8×8 torus grids forms and eliminates
// synapses, never lets formation push an in-degree above max_indegree, and
// forms synapses between nearby neurons more often than random pairs.
func TestBamford(t *testing.T) {
	// Mean torus distance of all (source, target) pairs of two 8×8 grids.
	var all float64
	for i := range int64(64) {
		for j := range int64(64) {
			all += math.Sqrt(model.TorusDistance2(i%8, i/8, j%8, j/8, 8, 8))
		}
	}
	all /= 64 * 64
	for _, tc := range []struct {
		name  string
		maxIn int64
		stdp  bool
	}{
		{"static, no cap", 0, false},
		{"static, max_indegree 3", 3, false},
		{"stdp, max_indegree 5", 5, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			net := buildNet(t, structModel(t, bamford("AB", "A", "B", tc.maxIn, tc.stdp)), 4, 2)
			maxDeg := 0
			r := runStructural(t, net, 2, 2, CommP2P, 200, 20, func(e *Engine) {
				for _, d := range inDegrees(e, 0) {
					maxDeg = max(maxDeg, d)
				}
			})
			if r.formed == 0 || r.removed == 0 {
				t.Fatalf("%d synapses formed, %d eliminated: want some of each", r.formed, r.removed)
			}
			if tc.maxIn > 0 && maxDeg > int(tc.maxIn) {
				t.Fatalf("an in-degree reached %d, above max_indegree %d", maxDeg, tc.maxIn)
			}
			if r.maskErr != "" {
				t.Fatal(r.maskErr)
			}
			var mean float64
			for _, s := range r.synapses {
				j := int64(s.Target) - 64
				mean += math.Sqrt(model.TorusDistance2(int64(s.Source)%8, int64(s.Source)/8, j%8, j/8, 8, 8))
			}
			mean /= float64(len(r.synapses))
			if !(mean < 0.75*all) {
				t.Fatalf("mean distance of the %d synapses %.3f, of all pairs %.3f: want formation to prefer near sources", len(r.synapses), mean, all)
			}
			t.Logf("%d formed, %d eliminated, %d left, max in-degree %d, mean distance %.3f (all pairs %.3f)",
				r.formed, r.removed, len(r.synapses), maxDeg, mean, all)
		})
	}
}

// TestStructuralInvariance: with deep_r and bamford projections (static
// and STDP), spikes and the final synapses — source, target, delay,
// weight — are bitwise identical for any rank count, thread count and
// exchange mode; and in p2p mode the send masks end up exactly as the
// synapses need them, although population A starts with no synapse from
// its bamford projections and so is sent nowhere at first.
func TestStructuralInvariance(t *testing.T) {
	m := structModel(t, deepR("AB_deep_r"), bamford("AB_bamford", "A", "B", 6, true), bamford("BB_bamford", "B", "B", 0, false))
	const tsim = 150
	var ref *structRun
	for _, ranks := range []int{1, 2, 3, 4} {
		net := buildNet(t, m, 7, ranks)
		for _, threads := range []int{1, 2} {
			for _, mode := range CommModes {
				if ranks == 1 && mode == CommP2P {
					continue
				}
				r := runStructural(t, net, ranks, threads, mode, tsim, 1000, nil)
				if r.maskErr != "" {
					t.Fatalf("%d ranks × %d threads, %s: %s", ranks, threads, mode, r.maskErr)
				}
				if ref == nil {
					ref = &r
					if r.formed == 0 || r.removed == 0 || r.spikes == 0 {
						t.Fatalf("1 rank: %d spikes, %d synapses formed, %d removed: want some of each", r.spikes, r.formed, r.removed)
					}
					t.Logf("1 rank: %d spikes, %d synapses, %d formed, %d removed", r.spikes, len(r.synapses), r.formed, r.removed)
					continue
				}
				if r.digest != ref.digest || len(r.synapses) != len(ref.synapses) || r.formed != ref.formed || r.removed != ref.removed {
					t.Fatalf("%d ranks × %d threads, %s: %d spikes %s, %d synapses (%d formed, %d removed); 1 rank: %d spikes %s, %d synapses (%d, %d)",
						ranks, threads, mode, r.spikes, r.digest[:16], len(r.synapses), r.formed, r.removed,
						ref.spikes, ref.digest[:16], len(ref.synapses), ref.formed, ref.removed)
				}
				for i, s := range r.synapses {
					if s != ref.synapses[i] {
						t.Fatalf("%d ranks × %d threads, %s: synapse %+v; 1 rank: %+v", ranks, threads, mode, s, ref.synapses[i])
					}
				}
			}
		}
		if ranks == 3 {
			res := runNet(t, net, ranks, 2, CommP2P, 0, tsim)
			if res.SpikeDigest != "sha256:"+ref.digest || len(res.Structural) != 3 || len(res.Plastic) != 2 {
				t.Fatalf("result.json: spike digest %s, structural %+v, plastic %+v", res.SpikeDigest, res.Structural, res.Plastic)
			}
			var n int64
			for _, s := range res.Structural {
				n += s.Synapses
			}
			if n != int64(len(ref.synapses)) {
				t.Fatalf("result.json counts %d structural synapses, the engines hold %d", n, len(ref.synapses))
			}
		}
	}
}

// TestSendMapGrowth: a projection with no initial synapse (p 0) whose
// sources gain synapses by formation: p2p delivers exactly what collective
// does, and without the send-map update it would not (the masks start
// empty for A).
func TestSendMapGrowth(t *testing.T) {
	m := structModel(t, bamford("AB", "A", "B", 0, true))
	net := buildNet(t, m, 11, 3)
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	for r := range 3 {
		p, err := netfile.ReadRank(net, man, r)
		if err != nil {
			t.Fatal(err)
		}
		for li, gid := range p.GID {
			for q := range 3 {
				if int64(gid) < 64 && p.Needs(li, q) {
					t.Fatalf("rank %d: gid %d starts needed by rank %d, want no initial synapse from A", r, gid, q)
				}
			}
		}
	}
	col := runStructural(t, net, 3, 2, CommCollective, 100, 1000, nil)
	p2p := runStructural(t, net, 3, 2, CommP2P, 100, 1000, nil)
	if p2p.maskErr != "" {
		t.Fatal(p2p.maskErr)
	}
	if col.formed == 0 || p2p.digest != col.digest || !slices.Equal(p2p.synapses, col.synapses) {
		t.Fatalf("p2p: %d spikes %s, %d synapses; collective: %d spikes %s, %d synapses (%d formed)",
			p2p.spikes, p2p.digest[:16], len(p2p.synapses), col.spikes, col.digest[:16], len(col.synapses), col.formed)
	}
}

// TestSynRowRemove: removing a synapse moves the row's last synapse into
// the hole with every per-synapse variable.
func TestSynRowRemove(t *testing.T) {
	for _, tc := range []struct {
		name    string
		plastic bool
		remove  int
	}{
		{"static, middle", false, 1},
		{"static, last", false, 3},
		{"plastic, first", true, 0},
		{"plastic, middle", true, 2},
		{"plastic, last", true, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newSynRow(7, 2, tc.plastic)
			for k := range 4 {
				r.add(uint32(10+k), uint16(20+k), float64(30+k), float64(40+k), int64(50+k))
			}
			r.remove(tc.remove)
			if len(r.tgt) != 3 || len(r.dl) != 3 || len(r.w) != 3 {
				t.Fatalf("lengths %d %d %d, want 3", len(r.tgt), len(r.dl), len(r.w))
			}
			for k := range 3 {
				src := k // where synapse k came from
				if k == tc.remove {
					src = 3
				}
				if r.tgt[k] != uint32(10+src) || r.dl[k] != uint16(20+src) || r.w[k] != float64(30+src) {
					t.Fatalf("synapse %d is (%d, %d, %g), want synapse %d's", k, r.tgt[k], r.dl[k], r.w[k], src)
				}
				if tc.plastic && (r.kp[k] != float64(40+src) || r.tl[k] != int64(50+src)) {
					t.Fatalf("synapse %d has Kplus %g, t_last %d, want synapse %d's", k, r.kp[k], r.tl[k], src)
				}
			}
			if tc.plastic != (r.kp != nil) || tc.plastic && (len(r.kp) != 3 || len(r.tl) != 3) {
				t.Fatalf("STDP state %v %v for plastic %v", r.kp, r.tl, tc.plastic)
			}
		})
	}
}

// TestStructuralSTDPReference: a synapse formed at step T starts fresh
// (Kplus 0) and its final weight is what NEST's algorithm gives for its
// source's spikes from T on and all of its target's spikes (K_minus counts
// the target's spikes before T too): the read counts of new and removed
// synapses and the phantom reader keep every post spike the new synapse
// needs.
func TestStructuralSTDPReference(t *testing.T) {
	m := structModel(t, bamford("AB", "A", "B", 5, true))
	s := stdpParams{STDPSynapse, m.Projections[0].SynapseParams, m.Populations[1].Params["tau_minus"]}
	net := buildNet(t, m, 5, 1)
	type pair struct{ src, tgt uint32 }
	born := map[pair]int64{}
	prev := map[pair]bool{}
	r := runStructural(t, net, 1, 1, CommCollective, 200, 10, func(e *Engine) {
		now := map[pair]bool{}
		for _, x := range e.StructuralSynapses() {
			p := pair{x.Source, x.Target}
			now[p] = true
			if !prev[p] {
				born[p] = e.step
			}
		}
		prev = now
	})
	trains := map[uint32][]int64{}
	for _, x := range r.all {
		trains[x.GID] = append(trains[x.GID], int64(x.Step))
	}
	checked := 0
	for _, x := range r.synapses {
		born := born[pair{x.Source, x.Target}]
		var pre []int64
		for _, st := range trains[x.Source] {
			if st >= born {
				pre = append(pre, st)
			}
		}
		if len(pre) < 2 {
			continue
		}
		want := nestReference(s, 20, ms(pre), ms(trains[x.Target]), float64(x.Delay)*0.1)
		if math.Abs(x.Weight-want) > 1e-9*math.Abs(want) {
			t.Fatalf("synapse %d→%d formed at step %d: weight %.15g, NEST's algorithm %.15g", x.Source, x.Target, born, x.Weight, want)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d formed synapses with presynaptic spikes checked", checked)
	}
	t.Logf("%d formed synapses match NEST's algorithm", checked)
}
