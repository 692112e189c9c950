package sim

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/results"
)

// TestAxisCentre checks the exact circular minimisation on known cases
// and against a fine scan of the circle.
func TestAxisCentre(t *testing.T) {
	uniform := func(n int) []float64 {
		m := make([]float64, n)
		for i := range m {
			m[i] = 1
		}
		return m
	}
	for _, tc := range []struct {
		name string
		m    []float64
		c, v float64
	}{
		{"one point", []float64{0, 0, 3, 0, 0, 0}, 2, 0},
		{"two neighbours", []float64{0, 1, 1, 0, 0, 0}, 1.5, 0.25},
		{"across the boundary, even", []float64{1, 0, 0, 0, 0, 0, 0, 1}, 7.5, 0.25},
		{"across the boundary, odd", []float64{1, 0, 0, 0, 1}, 4.5, 0.25},
		{"weighted", []float64{3, 1, 0, 0, 0, 0, 0, 0}, 0.25, 0.1875},
		// A uniform circle: any point, spread (n²−1)/12 at half-integers.
		{"uniform 8", uniform(8), 0.5, 63.0 / 12},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, v := axisCentre(tc.m)
			if math.Abs(c-tc.c) > 1e-12 || math.Abs(v-tc.v) > 1e-12 {
				t.Fatalf("axisCentre = (%v, %v), want (%v, %v)", c, v, tc.c, tc.v)
			}
		})
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n := 2 + r.IntN(15)
		m := make([]float64, n)
		for k := range m {
			if r.IntN(3) == 0 {
				m[k] = r.Float64()
			}
		}
		m[r.IntN(n)] += 0.5
		c, v := axisCentre(m)
		spread := func(c float64) float64 {
			var s, tot float64
			for k, x := range m {
				d := circular(float64(k)-c, int64(n))
				s += x * d * d
				tot += x
			}
			return s / tot
		}
		if got := spread(c); math.Abs(got-v) > 1e-9 {
			t.Fatalf("m %v: centre %v has spread %v, axisCentre says %v", m, c, got, v)
		}
		for step := 0; step < 1000*n; step++ {
			if s := spread(float64(step) / 1000); s < v-1e-9 {
				t.Fatalf("m %v: spread %v at %v is below the minimum %v at %v", m, s, float64(step)/1000, v, c)
			}
		}
	}
}

// TestReceptiveField: a topographic projection has AD 0 and a small
// spread, one that wraps around the torus is centred on the boundary,
// and a random one has AD near the mean torus distance of a random point.
func TestReceptiveField(t *testing.T) {
	const w, h = 16, 16
	idx := func(x, y int64) int64 { return ((y+h)%h)*w + (x+w)%w }
	t.Run("topographic", func(t *testing.T) {
		for _, tgt := range [][2]int64{{0, 0}, {5, 9}, {15, 15}} {
			x, y := tgt[0], tgt[1]
			aff := []afferent{{idx(x, y), 2}, {idx(x-1, y), 2}, {idx(x+1, y), 2}, {idx(x, y-1), 2}, {idx(x, y+1), 2}}
			cx, cy, s, ad, ok := receptiveField(aff, w, h, x, y)
			// Each axis' marginal is 1, 3, 1 about the centre: variance 2/5.
			if !ok || cx != float64(x) || cy != float64(y) || ad != 0 || math.Abs(s-math.Sqrt(0.4)) > 1e-12 {
				t.Fatalf("target (%d, %d): centre (%v, %v), σ_aff %v, AD %v; want the target, %v, 0", x, y, cx, cy, s, ad, math.Sqrt(0.4))
			}
		}
	})
	t.Run("wrap", func(t *testing.T) {
		aff := []afferent{{idx(0, 3), 1}, {idx(15, 3), 1}, {idx(0, 4), 1}, {idx(15, 4), 1}}
		cx, cy, s, ad, ok := receptiveField(aff, w, h, 0, 3)
		if !ok || cx != 15.5 || cy != 3.5 || s != 0.5 || math.Abs(ad-math.Sqrt(0.5)) > 1e-12 {
			t.Fatalf("centre (%v, %v), σ_aff %v, AD %v; want (15.5, 3.5), 0.5, %v", cx, cy, s, ad, math.Sqrt(0.5))
		}
	})
	t.Run("no weight", func(t *testing.T) {
		if _, _, _, _, ok := receptiveField([]afferent{{3, 0}}, w, h, 0, 0); ok {
			t.Fatal("afferents of weight 0 gave a receptive field")
		}
	})
	t.Run("random", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		var adSum, sSum float64
		for tgt := range int64(w * h) {
			aff := make([]afferent, 40)
			for i := range aff {
				aff[i] = afferent{r.Int64N(w * h), 0.5 + r.Float64()}
			}
			slices.SortFunc(aff, func(a, b afferent) int { return int(a.src - b.src) })
			_, _, s, ad, ok := receptiveField(aff, w, h, tgt%w, tgt/w)
			if !ok {
				t.Fatal("no receptive field")
			}
			adSum, sSum = adSum+ad, sSum+s
		}
		ad, s := adSum/(w*h), sSum/(w*h)
		// The mean distance from the centre of a square of side L to a
		// uniform point in it is L·(√2 + ln(1+√2))/6.
		want := w * (math.Sqrt2 + math.Log(1+math.Sqrt2)) / 6
		if math.Abs(ad-want) > 0.1*want {
			t.Fatalf("mean AD %.3f, want about %.3f (mean torus distance of a random point)", ad, want)
		}
		if s < 3 {
			t.Fatalf("mean σ_aff %.3f of random afferents, want a wide spread (> 3)", s)
		}
		t.Logf("random afferents: mean AD %.3f (expected %.3f), mean σ_aff %.3f", ad, want, s)
	})
}

// TestShuffleSources: the control is deterministic, keeps the weights and
// sends distinct sources to distinct positions.
func TestShuffleSources(t *testing.T) {
	aff := []afferent{{3, 1}, {3, 2}, {4, 0.5}, {10, 0.25}, {11, 4}}
	a := shuffleSources(aff, 64, 42, 1, 700)
	b := shuffleSources(aff, 64, 42, 1, 700)
	c := shuffleSources(aff, 64, 42, 1, 701)
	if !slices.Equal(a, b) {
		t.Fatalf("two shuffles with the same key differ: %v, %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("shuffles of targets 700 and 701 are equal: %v", a)
	}
	if a[0].src != a[1].src {
		t.Fatalf("the two synapses from source 3 went to %d and %d, want one position", a[0].src, a[1].src)
	}
	seen := map[int64]bool{}
	for i, x := range a {
		if x.w != aff[i].w || x.src < 0 || x.src >= 64 {
			t.Fatalf("shuffled afferent %d = %v from %v: want the weight kept and a source in [0, 64)", i, x, aff[i])
		}
		if i == 0 || aff[i].src != aff[i-1].src {
			if seen[x.src] {
				t.Fatalf("two distinct sources went to position %d: %v", x.src, a)
			}
			seen[x.src] = true
		}
	}
}

// TestMapQualitySummary: the means and tests do not depend on how the
// neurons are spread over the ranks' reports.
func TestMapQualitySummary(t *testing.T) {
	m := structModel(t, bamford("AB", "A", "B", 0, true))
	net := buildNet(t, m, 1, 1)
	man := mustManifest(t, net)
	var neurons []mapNeuron
	for i := range uint32(64) {
		f := float64(i%7) / 3
		neurons = append(neurons, mapNeuron{Projection: 0, GID: 64 + i,
			Initial: &fieldFigures{AD: 2 + f, Sigma: 3 + f}, Final: &fieldFigures{AD: f / 2, Sigma: 1 + f/4},
			Shuffled: &fieldFigures{AD: 4 + f, Sigma: 3.5}})
	}
	one := mapQualitySummary(man, []rankReport{{Map: neurons}})
	var split [3]rankReport
	for i, n := range neurons {
		split[(i*5)%3].Map = append(split[(i*5)%3].Map, n)
	}
	three := mapQualitySummary(man, split[:])
	if len(one) != 1 || !mapQualityEqual(one[0], three[0]) {
		t.Fatalf("summaries differ: %+v and %+v", one, three)
	}
	q := one[0]
	if q.Projection != "AB" || q.Neurons != 64 || q.NeuronsInitial != 64 || *q.ADFinal >= *q.ADInitial || *q.PADInitialVsFinal > 1e-6 || *q.PSigmaVsShuffled > 1e-6 {
		t.Fatalf("summary %+v: want 64 neurons and AD, σ_aff clearly lower at the end than at the start and than shuffled", q)
	}
}

func mustManifest(t *testing.T, net string) *netfile.Manifest {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	return man
}

// mapQualityEqual compares two MapQuality values field by field (pointers
// by their values).
func mapQualityEqual(a, b results.MapQuality) bool {
	ja, ea := json.Marshal(a)
	jb, eb := json.Marshal(b)
	return ea == nil && eb == nil && string(ja) == string(jb)
}

// topoModel is two 8×8 grids A, B (as structModel) with ff: A→B drawn
// from a Gaussian kernel, STDP and bamford rewiring.
func topoModel(t *testing.T) *model.Model {
	t.Helper()
	m := structModel(t)
	p := 0.5
	pr := model.Projection{Name: "ff", Source: "A", Target: "B", Rule: model.PairwiseBernoulli,
		Kernel: &model.Kernel{Type: model.Gaussian, P: &p, Sigma: 2}, Weight: model.Const(20), Delay: model.Const(1.5),
		SynapseModel: STDPSynapse, SynapseParams: map[string]float64{"Wmax": 60, "lambda": 0.05, "alpha": 1.3},
		Structural: &model.Structural{Rule: model.Bamford, PForm: 0.6, Sigma: 1.5, PElimLow: 0.3, PElimHigh: 0.05,
			WThreshold: 15, FormWeight: 20, MaxIndegree: 16}}
	m.Projections = append(m.Projections, pr)
	if err := model.Resolve(m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMapQualityRun: a run of an STDP + bamford network on two 8×8 grids
// reports map_quality, bitwise identical for 1, 2 and 3 ranks and 1 or 2
// threads; the kernel-drawn and distance-formed receptive fields are
// centred much closer to their neurons than the shuffled control.
func TestMapQualityRun(t *testing.T) {
	m := topoModel(t)
	var ref *results.Result
	for _, rt := range [][2]int{{1, 1}, {2, 2}, {3, 1}} {
		net := buildNet(t, m, 11, rt[0])
		res := runNet(t, net, rt[0], rt[1], CommP2P, 20, 100)
		if len(res.MapQuality) != 1 {
			t.Fatalf("%d ranks: map_quality %+v, want one entry (ff)", rt[0], res.MapQuality)
		}
		if ref == nil {
			ref = res
			q := res.MapQuality[0]
			if q.Projection != "ff" || q.Neurons != 64 || q.NeuronsInitial != 64 || q.ADFinal == nil || q.ADShuffled == nil ||
				q.PADVsShuffled == nil || q.PSigmaVsShuffled == nil || q.PADInitialVsFinal == nil {
				t.Fatalf("map_quality %s: want all 64 targets measured at both times, with p-values", mqString(q))
			}
			if !(*q.ADFinal < 0.5**q.ADShuffled && *q.SigmaAffFinal < *q.SigmaAffShuffled && *q.PADVsShuffled < 1e-6 && *q.PSigmaVsShuffled < 1e-6) {
				t.Fatalf("map_quality %s: want AD and σ_aff well below the shuffled control's, significantly", mqString(q))
			}
			var b strings.Builder
			if err := res.WriteText(&b); err != nil || !strings.Contains(b.String(), "map ff: 64 neurons") {
				t.Fatalf("text output lacks the map line: %v\n%s", err, b.String())
			}
			t.Log(mqString(q))
			continue
		}
		if !mapQualityEqual(res.MapQuality[0], ref.MapQuality[0]) {
			t.Fatalf("%d ranks × %d threads: %s, 1 rank: %s", rt[0], rt[1], mqString(res.MapQuality[0]), mqString(ref.MapQuality[0]))
		}
	}
}

// TestMapQualityAbsent: networks without plastic grid projections have no
// map_quality (their run ids do not change).
func TestMapQualityAbsent(t *testing.T) {
	net := buildNet(t, structModel(t, structProjSpec{name: "AB", src: "A", tgt: "B", rule: model.FixedIndegree, k: 4, weight: 20}), 2, 1)
	if res := runNet(t, net, 1, 1, CommCollective, 0, 10); res.MapQuality != nil {
		t.Fatalf("static network: map_quality %+v, want none", res.MapQuality)
	}
}

func mqString(q results.MapQuality) string {
	b, _ := json.Marshal(q)
	return string(b)
}
