package neuron

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// bumpConfig is a 16×16 bump at dt 0.1 ms with the topomap's parameters
// over local neurons [lo, hi).
func bumpConfig(lo, hi int) BumpConfig {
	return BumpConfig{Rate: 5, Peak: 152.8, Sigma: 2, Period: 20, Dt: 0.1, Width: 16, Height: 16, FirstGID: 100, Pop: 1, Lo: lo, Hi: hi}
}

// TestPoissonBumpRates: over many periods the neuron at the centre fires
// at rate + peak, far neurons at rate, and the population's mean matches
// rate + peak·Σexp(−d²/2σ²)/N; the centre is constant within a period and
// jumps between periods.
func TestPoissonBumpRates(t *testing.T) {
	const periods, stepsPer, seed = 500, 200, 42
	m, err := NewPoissonBump(bumpConfig(0, 256))
	if err != nil {
		t.Fatal(err)
	}
	gid := make([]uint32, 256)
	for i := range gid {
		gid[i] = uint32(100 + i)
	}
	var centre, far, all int
	var farTrials int
	var spiked []int32
	distinct := map[[2]int64]bool{}
	for k := int64(0); k < periods; k++ {
		cx, cy := m.Centre(seed, k*stepsPer)
		distinct[[2]int64{cx, cy}] = true
		if x, y := m.Centre(seed, k*stepsPer+stepsPer-1); x != cx || y != cy {
			t.Fatalf("period %d: centre moved from (%d, %d) to (%d, %d) within the period", k, cx, cy, x, y)
		}
		d2 := make([]int64, 256)
		for i := range d2 {
			dx, dy := abs(int64(i%16)-cx), abs(int64(i/16)-cy)
			dx, dy = min(dx, 16-dx), min(dy, 16-dy)
			d2[i] = dx*dx + dy*dy
			if d2[i] >= 64 {
				farTrials += stepsPer
			}
		}
		for s := k * stepsPer; s < (k+1)*stepsPer; s++ {
			spiked = m.StepKeyed(nil, 0, 256, Keys{Seed: seed, Step: s, GID: gid}, spiked[:0])
			all += len(spiked)
			for _, i := range spiked {
				switch {
				case d2[i] == 0:
					centre++
				case d2[i] >= 64:
					far++
				}
			}
		}
	}
	seconds := float64(periods*stepsPer) * 0.1 / 1000
	// Each count is binomial: allow 4 standard deviations.
	check := func(name string, n int, trials float64, rate float64) {
		t.Helper()
		p := rate * 0.1 / 1000
		want := trials * p
		if sd := math.Sqrt(trials * p * (1 - p)); math.Abs(float64(n)-want) > 4*sd {
			t.Errorf("%s: %d spikes in %g trials (%.2f Hz), want %.0f ± %.0f (%.2f Hz)", name, n, trials, float64(n)/trials/1e-4, want, 4*sd, rate)
		}
	}
	check("centre", centre, periods*stepsPer, 157.8)
	farRate := 5 + 152.8*math.Exp(-64.0/8) // an upper bound on far neurons' extra rate
	if r := float64(far) / float64(farTrials) / 1e-4; r < 5*0.95 || r > farRate*1.05 {
		t.Errorf("far neurons fire at %.3f Hz, want about 5", r)
	}
	sum := 0.0
	for dx := -8; dx < 8; dx++ {
		for dy := -8; dy < 8; dy++ {
			sum += math.Exp(-float64(dx*dx+dy*dy) / 8)
		}
	}
	mean := 5 + 152.8*sum/256 // ≈ 20 Hz, Bamford's mean input rate
	if r := float64(all) / 256 / seconds; math.Abs(r-mean) > 0.03*mean {
		t.Errorf("population rate %.2f Hz, want %.2f", r, mean)
	}
	if len(distinct) < periods/4 {
		t.Errorf("%d distinct centres in %d periods: the centre does not jump", len(distinct), periods)
	}
	t.Logf("centre %.1f Hz, far %.2f Hz, mean %.2f Hz (want %.2f), %d distinct centres",
		float64(centre)/seconds, float64(far)/float64(farTrials)/1e-4, float64(all)/256/seconds, mean, len(distinct))
}

// TestPoissonBumpSplit: the spikes do not depend on how the neurons are
// split into ranks (round-robin subsets with their own model instances)
// and threads (ranges of one instance), nor on the order of the steps'
// cache fills.
func TestPoissonBumpSplit(t *testing.T) {
	const steps = 2003
	spikes := func(ranks, threads int) [][]uint32 {
		out := make([][]uint32, steps)
		for r := range ranks {
			var gid []uint32
			for g := r; g < 256; g += ranks {
				gid = append(gid, uint32(100+g))
			}
			m, err := NewPoissonBump(bumpConfig(0, len(gid)))
			if err != nil {
				t.Fatal(err)
			}
			for s := range int64(steps) {
				for th := range threads {
					lo, hi := len(gid)*th/threads, len(gid)*(th+1)/threads
					for _, i := range m.StepKeyed(nil, lo, hi, Keys{Seed: 9, Step: s, GID: gid}, nil) {
						out[s] = append(out[s], gid[i])
					}
				}
			}
		}
		for s := range out {
			slices.Sort(out[s])
		}
		return out
	}
	ref := spikes(1, 1)
	n := 0
	for _, s := range ref {
		n += len(s)
	}
	if n < 500 {
		t.Fatalf("%d spikes: the test would prove little", n)
	}
	for _, c := range [][2]int{{1, 3}, {2, 1}, {3, 2}, {5, 4}} {
		if got := spikes(c[0], c[1]); !slices.EqualFunc(got, ref, slices.Equal) {
			t.Fatalf("%d ranks × %d threads give other spikes than 1 × 1", c[0], c[1])
		}
	}
	// Another seed gives other spikes.
	m, _ := NewPoissonBump(bumpConfig(0, 256))
	gid := make([]uint32, 256)
	for i := range gid {
		gid[i] = uint32(100 + i)
	}
	same := 0
	for s := range int64(steps) {
		if slices.Equal(m.StepKeyed(nil, 0, 256, Keys{Seed: 10, Step: s, GID: gid}, nil), m.StepKeyed(nil, 0, 256, Keys{Seed: 9, Step: s, GID: gid}, nil)) {
			same++
		}
	}
	if same == steps {
		t.Fatal("seeds 9 and 10 give the same spikes")
	}
}

func TestPoissonBumpConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*BumpConfig)
		want string
	}{
		{"no grid", func(c *BumpConfig) { c.Width = 0 }, "needs a grid"},
		{"period", func(c *BumpConfig) { c.Period = 0.01 }, "shorter than a step"},
		{"sigma", func(c *BumpConfig) { c.Sigma = 0 }, "sigma > 0"},
		{"rate", func(c *BumpConfig) { c.Rate = math.NaN() }, "rate ≥ 0"},
	} {
		c := bumpConfig(0, 4)
		tc.edit(&c)
		if _, err := NewPoissonBump(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
