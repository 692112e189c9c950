package connect

import (
	"fmt"
	"math"
	"testing"

	"github.com/snnkit/snnkit/pkg/model"
)

// kernelModel returns a resolved model with populations A and B on w×h
// grids and one kernel projection A→B (or B→B when self is set).
func kernelModel(t *testing.T, w, h int64, p, sigma float64, self, autapses bool) *model.Model {
	t.Helper()
	src := "A"
	if self {
		src = "B"
	}
	y := fmt.Sprintf(`name: k
populations:
  - {name: A, size: %[1]d, neuron: iaf_psc_exp, grid: {width: %[2]d}}
  - {name: B, size: %[1]d, neuron: iaf_psc_exp, grid: {width: %[2]d}}
projections:
  - {source: %[3]s, target: B, rule: pairwise_bernoulli, allow_autapses: %[6]v, kernel: {type: gaussian, p: %[4]g, sigma: %[5]g}, weight: 1, delay: 1}
`, w*h, w, src, p, sigma, autapses)
	m, err := model.Parse("k.yaml", []byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// torusDist2 is the squared torus distance computed independently of
// model.TorusDistance2: the nearest of the periodic images.
func torusDist2(i, j, w, h int64) float64 {
	best := math.Inf(1)
	for kx := int64(-1); kx <= 1; kx++ {
		for ky := int64(-1); ky <= 1; ky++ {
			dx := float64(i%w - j%w + kx*w)
			dy := float64(i/w - j/w + ky*h)
			best = min(best, dx*dx+dy*dy)
		}
	}
	return best
}

// TestKernelStatistics draws kernel projections for many seeds and checks,
// against P·exp(−d²/(2σ²)) summed over the pairs: the synapse count of each
// seed, and the count in each distance bin [n, n+1) over all seeds.
func TestKernelStatistics(t *testing.T) {
	cases := []struct {
		name       string
		w, h       int64
		p, sigma   float64
		self, auto bool
	}{
		{"feed-forward 16x16 p0.16 s2.5", 16, 16, 0.16, 2.5, false, true},
		{"lateral 16x16 p1 s1 no autapses", 16, 16, 1, 1, true, false},
		{"lateral 12x6 p0.7 s1.5 autapses", 12, 6, 0.7, 1.5, true, true},
		{"zero peak", 8, 8, 0, 2, false, true},
	}
	const seeds = 100
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := kernelModel(t, tc.w, tc.h, tc.p, tc.sigma, tc.self, tc.auto)
			n := tc.w * tc.h
			// Expected count and variance, in all and per distance bin.
			var mean, variance float64
			binMean, binVar, binPairs := map[int]float64{}, map[int]float64{}, map[int]float64{}
			for j := int64(0); j < n; j++ {
				for i := int64(0); i < n; i++ {
					if tc.self && !tc.auto && i == j {
						continue
					}
					d2 := torusDist2(i, j, tc.w, tc.h)
					q := tc.p * math.Exp(-d2/(2*tc.sigma*tc.sigma))
					b := int(math.Sqrt(d2))
					mean, variance = mean+q, variance+q*(1-q)
					binMean[b] += q
					binVar[b] += q * (1 - q)
					binPairs[b]++
				}
			}
			binCount := map[int]float64{}
			var total float64
			for seed := uint64(1); seed <= seeds; seed++ {
				plan, err := NewPlan(m, seed)
				if err != nil {
					t.Fatal(err)
				}
				g, pr := plan.NewGen(), &plan.Projs[0]
				var count float64
				var srcs []uint32
				for j := int64(0); j < n; j++ {
					if srcs, err = g.Sources(pr, j, 0, srcs[:0]); err != nil {
						t.Fatal(err)
					}
					for k, i := range srcs {
						if int64(i) >= n || (k > 0 && i <= srcs[k-1]) {
							t.Fatalf("seed %d target %d: sources %v not increasing within [0, %d)", seed, j, srcs, n)
						}
						if tc.self && !tc.auto && int64(i) == j {
							t.Fatalf("seed %d: autapse on %d", seed, j)
						}
						binCount[int(math.Sqrt(torusDist2(int64(i), j, tc.w, tc.h)))]++
					}
					count += float64(len(srcs))
				}
				if math.Abs(count-mean) > 4*math.Sqrt(variance)+1e-9 {
					t.Errorf("seed %d: %g synapses, want %.1f ± %.1f (4 sd)", seed, count, mean, 4*math.Sqrt(variance))
				}
				total += count
			}
			if tc.p > 0 && total == 0 {
				t.Fatal("no synapses")
			}
			for b, e := range binMean {
				got, want, sd := binCount[b], seeds*e, math.Sqrt(seeds*binVar[b])
				if math.Abs(got-want) > 5*sd+1e-9 {
					t.Errorf("distance [%d, %d): %g synapses over %d seeds, want %.1f ± %.1f (5 sd)", b, b+1, got, seeds, want, 5*sd)
				}
			}
			// The empirical connection probability decays with distance.
			prob := func(b int) float64 { return binCount[b] / (seeds * binPairs[b]) }
			if tc.p > 0 && !(prob(1) > prob(2) && prob(2) > prob(3)) {
				t.Errorf("connection probability by distance bin 1, 2, 3: %.4f, %.4f, %.4f: no decay", prob(1), prob(2), prob(3))
			}
		})
	}
}

// TestKernelKeying: the sources onto a target depend on the seed, the
// projection and the target's global id only, so drawing the targets in any
// order, with any generator, gives the same sources.
func TestKernelKeying(t *testing.T) {
	m := kernelModel(t, 16, 16, 0.16, 2.5, false, true)
	plan, err := NewPlan(m, 9)
	if err != nil {
		t.Fatal(err)
	}
	pr := &plan.Projs[0]
	fwd := map[int64][]uint32{}
	g := plan.NewGen()
	for j := int64(0); j < 256; j++ {
		s, _ := g.Sources(pr, j, 0, nil)
		fwd[j] = s
	}
	g = plan.NewGen()
	for j := int64(255); j >= 0; j -= 3 {
		s, _ := g.Sources(pr, j, 0, nil)
		if fmt.Sprint(s) != fmt.Sprint(fwd[j]) {
			t.Fatalf("target %d: %v drawn backwards, %v forwards", j, s, fwd[j])
		}
	}
	other, _ := NewPlan(m, 10)
	same := 0
	for j := int64(0); j < 256; j++ {
		s, _ := other.NewGen().Sources(&other.Projs[0], j, 0, nil)
		if fmt.Sprint(s) == fmt.Sprint(fwd[j]) {
			same++
		}
	}
	if same > 64 {
		t.Fatalf("seeds 9 and 10 gave the same sources onto %d of 256 targets", same)
	}
}
