package sim

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
)

// stdpParams are a plastic synapse's parameters and its target's tau_minus.
type stdpParams struct {
	model    string
	params   map[string]float64
	tauMinus float64
}

func (s stdpParams) p(k string) float64 { return s.params[k] }

// refFacilitate and refDepress are the weight updates as NEST documents
// them (stdp_synapse: Guetig et al. 2003 on the normalised weight, clamped
// to [0, Wmax]; stdp_pl_synapse_hom: Morrison et al. 2007).
func refFacilitate(s stdpParams, w, k float64) float64 {
	if s.model == STDPPLSynapse {
		return w + s.p("lambda")*math.Pow(w, s.p("mu"))*k
	}
	n := w/s.p("Wmax") + s.p("lambda")*math.Pow(1-w/s.p("Wmax"), s.p("mu_plus"))*k
	return math.Min(n, 1) * s.p("Wmax")
}

func refDepress(s stdpParams, w, k float64) float64 {
	if s.model == STDPPLSynapse {
		return math.Max(w-s.p("lambda")*s.p("alpha")*w*k, 0)
	}
	n := w/s.p("Wmax") - s.p("alpha")*s.p("lambda")*math.Pow(w/s.p("Wmax"), s.p("mu_minus"))*k
	return math.Max(n, 0) * s.p("Wmax")
}

// nestReference replays STDP the way NEST's own test does
// (testsuite/pytests/test_stdp_pl_synapse_hom.py, reproduce_weight_drift):
// an event-driven merge of the presynaptic spikes and the postsynaptic
// spikes shifted by the dendritic delay d, with both traces decayed from
// event to event; at coinciding times the post event facilitates with the
// trace of the earlier pre spikes and the pre spike depresses with the
// trace of the earlier post events. Post events after the last pre spike
// never reach the weight. Times in ms; returns the final weight.
func nestReference(s stdpParams, w float64, pre, post []float64, d float64) float64 {
	const eps = 1e-6
	if len(pre) == 0 {
		return w
	}
	var events []float64
	for _, t := range post {
		if t+d <= pre[len(pre)-1]+eps {
			events = append(events, t+d)
		}
	}
	var t, kPlus, kMinus float64
	i, j := 0, 0
	for i < len(pre) || j < len(events) {
		doPre := i < len(pre) && (j == len(events) || pre[i] <= events[j]+eps)
		doPost := j < len(events) && (i == len(pre) || events[j] <= pre[i]+eps)
		next := pre[min(i, len(pre)-1)]
		if doPost {
			next = events[j]
		}
		kPlus *= math.Exp(-(next - t) / s.p("tau_plus"))
		kMinus *= math.Exp(-(next - t) / s.tauMinus)
		t = next
		if doPost {
			w = refFacilitate(s, w, kPlus)
		}
		if doPre {
			w = refDepress(s, w, kMinus)
			kPlus++
			i++
		}
		if doPost {
			kMinus++
			j++
		}
	}
	return w
}

// synTrain is one synapse onto a shared target: its delay in steps and the
// steps of its source's spikes.
type synTrain struct {
	d   int64
	pre []int64
}

// engineWeights drives the engine's own STDP code (rule.update and next,
// postTrace.spike) step by step: the post spike of a step is recorded
// first, as exchange() does before deliver(), then the synapses' pre
// spikes of the step are applied. nIn is the target's count of plastic
// synapses (math.MaxUint32 keeps the whole history). It returns the final
// weights and the longest history seen.
func engineWeights(t *testing.T, s stdpParams, w0 float64, syns []synTrain, post []int64, nIn uint32) ([]float64, int) {
	t.Helper()
	const dt = 0.1
	rule, err := newRule(&model.Projection{Name: "p", SynapseModel: s.model, SynapseParams: s.params}, dt)
	if err != nil {
		t.Fatal(err)
	}
	pt := &postTrace{nIn: nIn, minus: newExpTable(dt / s.tauMinus)}
	w := make([]float64, len(syns))
	traces := make([]preTrace, len(syns))
	next := make([]int, len(syns))
	for i := range w {
		w[i] = w0
	}
	end := int64(0)
	for _, sy := range syns {
		end = max(end, sy.pre[len(sy.pre)-1])
	}
	longest, pi := 0, 0
	for step := int64(0); step <= end; step++ {
		if pi < len(post) && post[pi] == step {
			pt.spike(uint32(step))
			pi++
		}
		for i, sy := range syns {
			if next[i] < len(sy.pre) && sy.pre[next[i]] == step {
				w[i] = rule.update(w[i], traces[i], step, sy.d, pt)
				traces[i] = rule.next(traces[i], step)
				next[i]++
			}
		}
		longest = max(longest, len(pt.hist))
	}
	return w, longest
}

func steps(ms []float64) []int64 {
	out := make([]int64, len(ms))
	for i, t := range ms {
		out[i] = int64(math.Round(t / 0.1))
	}
	return out
}

func ms(st []int64) []float64 {
	out := make([]float64, len(st))
	for i, s := range st {
		out[i] = float64(s) * 0.1
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

var (
	// NEST hpc_benchmark's E→E synapses, onto neurons with tau_minus 30 ms.
	plHPC = stdpParams{STDPPLSynapse, map[string]float64{"alpha": 0.0513, "lambda": 0.1, "mu": 0.4, "tau_plus": 15}, 30}
	// NEST's test_stdp_pl_synapse_hom.py.
	plNEST = stdpParams{STDPPLSynapse, map[string]float64{"alpha": 1, "lambda": 0.1, "mu": 0.4, "tau_plus": 20}, 33.7}
	// stdp_synapse, multiplicative (NEST's test_stdp_synapse.sli) and additive.
	stdpMult = stdpParams{STDPSynapse, map[string]float64{"alpha": 1.1, "lambda": 0.01, "tau_plus": 20, "mu_plus": 1, "mu_minus": 1, "Wmax": 90}, 30}
	stdpAdd  = stdpParams{STDPSynapse, map[string]float64{"alpha": 1.1, "lambda": 0.01, "tau_plus": 20, "mu_plus": 0, "mu_minus": 0, "Wmax": 90}, 30}
	// A large learning rate that hits both bounds.
	stdpClamp = stdpParams{STDPSynapse, map[string]float64{"alpha": 3, "lambda": 2, "tau_plus": 20, "mu_plus": 0, "mu_minus": 0, "Wmax": 50}, 20}
	// NEST's test_stdp_pl_synapse_hom.py hard-coded trains: every order of
	// pre and post spikes, coinciding ones included.
	nestPre  = []float64{1, 5, 6, 7, 9, 11, 12, 13, 14.5, 16.1, 21, 25, 26, 27, 29, 31, 32, 33, 34.5, 36.1}
	nestPost = []float64{2, 3, 4, 8, 9, 10, 12, 12.2, 14.1, 15.4, 22, 23, 24, 28, 29, 30, 32, 33.2, 35.1, 36.4}
)

// TestSTDPSpikePairs: the engine's update of one synapse equals NEST's
// algorithm replayed independently, and the closed forms of single pairs.
func TestSTDPSpikePairs(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s         stdpParams
		w0        float64
		pre, post []float64
		d         float64
		// want, when set, is the closed form of the final weight.
		want func(s stdpParams, w0 float64) float64
		sign int // the sign of the weight change
	}{
		{"pl pre before post by 10 ms", plHPC, 45, []float64{10, 100}, []float64{19}, 1,
			func(s stdpParams, w float64) float64 {
				// facilitation at the second pre spike: post at 19 + d − pre at 10 = 10 ms
				w += 0.1 * math.Pow(w, 0.4) * math.Exp(-10.0/15)
				// then depression by the post spike 100 − d − 19 = 80 ms earlier
				return w - 0.1*0.0513*w*math.Exp(-80.0/30)
			}, +1},
		{"pl post before pre", plHPC, 45, []float64{10}, []float64{5}, 1,
			func(s stdpParams, w float64) float64 { return w - 0.1*0.0513*w*math.Exp(-(9.0-5)/30) }, -1},
		{"stdp pre before post by 10 ms", stdpMult, 45, []float64{10, 100}, []float64{19}, 1,
			func(s stdpParams, w float64) float64 {
				n := w / 90
				n += 0.01 * (1 - n) * math.Exp(-10.0/20)
				n -= 1.1 * 0.01 * n * math.Exp(-80.0/30)
				return n * 90
			}, +1},
		{"stdp post before pre", stdpMult, 45, []float64{10}, []float64{5}, 1,
			func(s stdpParams, w float64) float64 { return (0.5 - 1.1*0.01*0.5*math.Exp(-4.0/30)) * 90 }, -1},
		{"additive post before pre", stdpAdd, 45, []float64{10}, []float64{5}, 1,
			func(s stdpParams, w float64) float64 { return (0.5 - 1.1*0.01*math.Exp(-4.0/30)) * 90 }, -1},
		{"coinciding post event and pre spike", plHPC, 45, []float64{10, 20}, []float64{19}, 1,
			func(s stdpParams, w float64) float64 {
				// post 19 + d = 20: facilitation with the pre spike at 10 only,
				// and the post spike does not depress the pre spike at 20
				return w + 0.1*math.Pow(w, 0.4)*math.Exp(-10.0/15)
			}, +1},
		{"pl sequence", plHPC, 45, []float64{10, 30, 55}, []float64{15, 32, 70}, 1, nil, 0},
		{"multiplicative sequence", stdpMult, 45, []float64{10, 30, 55}, []float64{15, 32, 70}, 1, nil, 0},
		{"additive sequence", stdpAdd, 45, []float64{10, 30, 55}, []float64{15, 32, 70}, 1, nil, 0},
		{"clamped at Wmax", stdpClamp, 45, []float64{10, 12}, []float64{11}, 1,
			func(s stdpParams, w float64) float64 { return 50 }, +1},
		{"clamped at 0", stdpClamp, 45, []float64{10}, []float64{8}, 1,
			func(s stdpParams, w float64) float64 { return 0 }, -1},
		{"NEST trains pl, d 1 ms", plNEST, 0.5, nestPre, nestPost, 1, nil, 0},
		{"NEST trains pl, d 0.5 ms", plNEST, 0.5, nestPre, nestPost, 0.5, nil, 0},
		{"NEST trains pl, d 0.1 ms", plNEST, 0.5, nestPre, nestPost, 0.1, nil, 0},
		{"NEST trains multiplicative, d 1 ms", stdpMult, 45, nestPre, nestPost, 1, nil, 0},
		{"NEST trains additive, d 0.5 ms", stdpAdd, 45, nestPre, nestPost, 0.5, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := int64(math.Round(tc.d / 0.1))
			got, _ := engineWeights(t, tc.s, tc.w0, []synTrain{{d, steps(tc.pre)}}, steps(tc.post), 1)
			ref := nestReference(tc.s, tc.w0, tc.pre, tc.post, tc.d)
			if !near(got[0], ref) {
				t.Errorf("engine %.17g, NEST's algorithm %.17g", got[0], ref)
			}
			if tc.want != nil {
				if want := tc.want(tc.s, tc.w0); !near(got[0], want) {
					t.Errorf("engine %.17g, closed form %.17g", got[0], want)
				}
			}
			if dw := got[0] - tc.w0; tc.sign != 0 && (dw == 0 || (dw > 0) != (tc.sign > 0)) {
				t.Errorf("weight change %g, want sign %+d", dw, tc.sign)
			}
			if got[0] == tc.w0 {
				t.Errorf("the weight did not change")
			}
		})
	}
}

// TestSTDPHistoryTrim: dropping history entries no synapse needs any more
// keeps the history short and changes no bit of the weights.
func TestSTDPHistoryTrim(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	poisson := func(rateHz float64, n int64) []int64 {
		var out []int64
		for s := int64(1); s < n; s++ {
			if rng.Float64() < rateHz*1e-4 {
				out = append(out, s)
			}
		}
		return out
	}
	for _, s := range []stdpParams{plHPC, stdpMult} {
		t.Run(s.model, func(t *testing.T) {
			const n = 50000 // 5 s
			var syns []synTrain
			for i := range 20 {
				syns = append(syns, synTrain{d: int64(1 + i%30), pre: poisson(20, n)})
			}
			post := poisson(30, n)
			all, longAll := engineWeights(t, s, 40, syns, post, math.MaxUint32)
			trim, longTrim := engineWeights(t, s, 40, syns, post, uint32(len(syns)))
			for i := range all {
				if math.Float64bits(all[i]) != math.Float64bits(trim[i]) {
					t.Fatalf("synapse %d: %.17g with the whole history, %.17g trimmed", i, all[i], trim[i])
				}
				if ref := nestReference(s, 40, ms(syns[i].pre), ms(post), float64(syns[i].d)*0.1); !near(all[i], ref) {
					t.Errorf("synapse %d: engine %.17g, NEST's algorithm %.17g", i, all[i], ref)
				}
			}
			if longAll != len(post) || longTrim > 40 {
				t.Errorf("longest history %d trimmed (want ≤ 40), %d untrimmed (want all %d spikes)", longTrim, longAll, len(post))
			}
			t.Logf("%d post spikes; trimmed history at most %d entries", len(post), longTrim)
		})
	}
}

// TestSTDPPowShortcut: the rule's w^mu is math.Pow's value, bit for bit.
func TestSTDPPowShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, mu := range []float64{0.4, 0.1, 0.49, 0.5, 0.7, 1, 0, 2.5} {
		r := &stdpRule{pl: true, mu: mu, expLog: mu > 0 && mu < 0.5}
		for i := range 20000 {
			w := math.Exp(rng.Float64()*60 - 30)
			switch i {
			case 0, 1, 2, 3:
				w = []float64{0, 1, math.SmallestNonzeroFloat64, math.MaxFloat64}[i]
			}
			if got, want := r.pow(w), math.Pow(w, mu); math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("mu %g, w %g: %.17g, math.Pow %.17g", mu, w, got, want)
			}
		}
	}
}

// plasticRun is a run's spikes and plastic weights over all ranks.
type plasticRun struct {
	digest  string
	spikes  []Spike
	weights []PlasticSynapse // sorted by projection, source, target, delay, weight
}

// runPlastic simulates a network with in-process ranks and collects every
// rank's spikes and plastic weights.
func runPlastic(t *testing.T, net string, ranks, threads int, mode string, presim, tsim float64) plasticRun {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var r plasticRun
	err = comm.RunInProc(ranks, func(c comm.Comm) error {
		e, err := New(net, man, c, Config{Threads: threads, TPresim: presim, TSim: tsim, Comm: mode})
		if err != nil {
			return err
		}
		if err := e.Run(); err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		r.spikes = append(r.spikes, e.allSpikes...)
		r.weights = append(r.weights, e.PlasticWeights()...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(r.spikes, cmpSpike)
	sum := sha256.Sum256(spikeBytes(r.spikes))
	r.digest = hex.EncodeToString(sum[:])
	slices.SortFunc(r.weights, func(a, b PlasticSynapse) int {
		return cmp.Or(cmp.Compare(a.Projection, b.Projection), cmp.Compare(a.Source, b.Source),
			cmp.Compare(a.Target, b.Target), cmp.Compare(a.Delay, b.Delay), cmp.Compare(a.Weight, b.Weight))
	})
	return r
}

// TestPlasticInvariance: plastic hpc_benchmark gives the same spikes and
// the same final weights, bit for bit, for any rank count, thread count
// and exchange mode; the weights moved; they are those NEST's algorithm
// gives for the simulated spike trains; and result.json's summary is the
// same for every partitioning.
func TestPlasticInvariance(t *testing.T) {
	// Seed 1 is active from the start (at this scale others stay almost
	// silent for 100 ms, and the network runs away after ~120 ms).
	m := builtin(t, "hpc_benchmark", "scale=0.02", "plastic=true")
	const seed, presim, tsim = 1, 20, 80
	var ref *plasticRun
	for _, ranks := range []int{1, 2, 3, 4} {
		net := buildNet(t, m, seed, ranks)
		for _, threads := range []int{1, 2} {
			for _, mode := range CommModes {
				if ranks == 1 && mode == CommP2P {
					continue
				}
				r := runPlastic(t, net, ranks, threads, mode, presim, tsim)
				if ref == nil {
					ref = &r
					checkPlasticRun(t, net, m, r)
					continue
				}
				if r.digest != ref.digest || len(r.weights) != len(ref.weights) {
					t.Fatalf("%d ranks × %d threads, %s: %d spikes %s, %d plastic synapses; 1 rank: %d spikes %s, %d synapses",
						ranks, threads, mode, len(r.spikes), r.digest[:16], len(r.weights), len(ref.spikes), ref.digest[:16], len(ref.weights))
				}
				for i, w := range r.weights {
					if w != ref.weights[i] {
						t.Fatalf("%d ranks × %d threads, %s: plastic synapse %+v; 1 rank: %+v", ranks, threads, mode, w, ref.weights[i])
					}
				}
			}
		}
		if ranks == 1 || ranks == 3 {
			res := runNet(t, net, ranks, 2, CommP2P, presim, tsim)
			if res.SpikeDigest != "sha256:"+ref.digest || len(res.Plastic) != 1 {
				t.Fatalf("%d ranks: result.json spike digest %s, plastic %+v", ranks, res.SpikeDigest, res.Plastic)
			}
			if s := summary(ref.weights); res.Plastic[0].Synapses != int64(len(ref.weights)) ||
				res.Plastic[0].MinWeight != s[0] || res.Plastic[0].MaxWeight != s[1] || !near(res.Plastic[0].MeanWeight, s[2]) {
				t.Errorf("%d ranks: result.json plastic %+v, weights give min, max, mean %v", ranks, res.Plastic[0], s)
			}
		}
	}
}

// summary is the min, max and mean of the weights in the rings' fixed point.
func summary(ws []PlasticSynapse) [3]float64 {
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, w := range ws {
		x := float64(int64(w.Weight*fix)) / fix
		lo, hi, sum = min(lo, x), max(hi, x), sum+x
	}
	return [3]float64{lo, hi, sum / float64(len(ws))}
}

// checkPlasticRun checks that the weights moved and that a sample of them
// is what NEST's algorithm gives for the run's spike trains.
func checkPlasticRun(t *testing.T, net string, m *model.Model, r plasticRun) {
	t.Helper()
	if len(r.spikes) == 0 || len(r.weights) == 0 {
		t.Fatalf("%d spikes, %d plastic synapses: the test would prove nothing", len(r.spikes), len(r.weights))
	}
	w0 := float64(float32(m.Projections[0].Weight.Value))
	trains := map[uint32][]float64{}
	for _, s := range r.spikes {
		trains[s.GID] = append(trains[s.GID], float64(s.Step)*m.Dt)
	}
	pr := m.Projections[0]
	s := stdpParams{pr.SynapseModel, pr.SynapseParams, m.Populations[0].Params["tau_minus"]}
	var up, down int
	for i, w := range r.weights {
		switch {
		case w.Weight > w0:
			up++
		case w.Weight < w0:
			down++
		}
		if i%997 == 0 {
			want := nestReference(s, w0, trains[w.Source], trains[w.Target], float64(w.Delay)*m.Dt)
			if math.Abs(w.Weight-want) > 1e-9*want {
				t.Errorf("synapse %d→%d: engine %.17g, NEST's algorithm on the run's spikes %.17g", w.Source, w.Target, w.Weight, want)
			}
		}
	}
	if up == 0 || down == 0 {
		t.Errorf("of %d plastic synapses %d grew and %d shrank: want both", len(r.weights), up, down)
	}
	t.Logf("%d spikes; of %d plastic synapses %d grew, %d shrank (initial weight %g); summary %v",
		len(r.spikes), len(r.weights), up, down, w0, summary(r.weights))
}

// TestStaticHasNoPlasticState: static networks carry no plasticity state
// and report no plastic weights.
func TestStaticHasNoPlasticState(t *testing.T) {
	net := buildNet(t, builtin(t, "hpc_benchmark", "scale=0.02"), 1, 2)
	r := runPlastic(t, net, 2, 1, CommCollective, 0, 10)
	res := runNet(t, net, 2, 1, CommCollective, 0, 10)
	if r.weights != nil || res.Plastic != nil || "sha256:"+r.digest != res.SpikeDigest {
		t.Fatalf("static network: %d plastic synapses, result plastic %+v, digest %s vs %s", len(r.weights), res.Plastic, r.digest, res.SpikeDigest)
	}
}

// TestPlasticWeightErrors: initial weights that NEST refuses, or that make
// the rule undefined, stop the engine with the projection's name.
func TestPlasticWeightErrors(t *testing.T) {
	for _, tc := range []struct {
		name, synapse string
		params        map[string]float64
		want          string
	}{
		{"stdp_synapse, negative weight, positive Wmax", STDPSynapse, map[string]float64{"Wmax": 100}, "same sign"},
		{"stdp_pl_synapse_hom, negative weight", STDPPLSynapse, nil, "weights ≥ 0"},
		{"tau_plus 0", STDPPLSynapse, map[string]float64{"tau_plus": 0}, "tau_plus > 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := builtin(t, "brunel", "N=200")
			pi := slices.IndexFunc(m.Projections, func(p model.Projection) bool { return p.Weight.Value < 0 })
			m.Projections[pi].SynapseModel, m.Projections[pi].SynapseParams = tc.synapse, nil
			if err := model.Resolve(m); err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.params {
				m.Projections[pi].SynapseParams[k] = v
			}
			net := buildNet(t, m, 1, 1)
			man, err := netfile.ReadManifest(net)
			if err != nil {
				t.Fatal(err)
			}
			cs, _ := comm.NewInProc(1)
			_, err = New(net, man, cs[0], Config{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), m.Projections[pi].Name) {
				t.Fatalf("error %v, want one naming projection %s and %q", err, m.Projections[pi].Name, tc.want)
			}
		})
	}
}
