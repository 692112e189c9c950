package report

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

func TestEDivisive(t *testing.T) {
	step := func(n, at int, size, noise float64, seed uint64) []float64 {
		rng := rand.New(rand.NewPCG(seed, 1))
		x := make([]float64, n)
		for i := range x {
			x[i] = 1 + noise*rng.NormFloat64()
			if i >= at {
				x[i] += size
			}
		}
		return x
	}
	tests := []struct {
		name string
		x    []float64
		want []int
	}{
		{"flat", step(40, 0, 0, 0.01, 1), nil},
		{"constant", make([]float64, 20), nil},
		{"short", []float64{1, 2, 3, 4, 5}, nil},
		{"10% step at 17", step(30, 17, 0.1, 0.01, 2), []int{17}},
		{"step at the third-last point", step(30, 27, 0.1, 0.01, 3), []int{27}},
		{"two steps", append(step(20, 10, 0.1, 0.01, 4), step(15, 0, 0.3, 0.01, 5)...), []int{10, 20}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cps := EDivisive(tc.x, EDivisiveOptions{Seed: 7})
			var got []int
			for _, c := range cps {
				got = append(got, c.Index)
				if c.P > 0.01 || c.Q <= 0 {
					t.Errorf("change at %d: p %v q %v", c.Index, c.P, c.Q)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("change points %v, want %v", got, tc.want)
			}
		})
	}
	// Flat noisy series over many seeds: the false-alarm rate stays near alpha.
	alarms := 0
	for seed := uint64(100); seed < 140; seed++ {
		if len(EDivisive(step(25, 0, 0, 0.02, seed), EDivisiveOptions{Seed: seed, Permutations: 199})) > 0 {
			alarms++
		}
	}
	if alarms > 3 {
		t.Errorf("%d false alarms in 40 flat series at alpha 0.01", alarms)
	}
}

func TestEDivisiveAllowed(t *testing.T) {
	// A step at index 7, but splits are only allowed at multiples of 4: the
	// change is placed at the nearest allowed boundary that explains it.
	x := []float64{1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2}
	allowed := make([]bool, len(x))
	for i := range allowed {
		allowed[i] = i%4 == 0
	}
	cps := EDivisive(x, EDivisiveOptions{Allowed: allowed, Seed: 1})
	for _, c := range cps {
		if c.Index%4 != 0 {
			t.Errorf("split at %d, not an allowed boundary", c.Index)
		}
	}
	if len(cps) == 0 {
		t.Error("no change found")
	}
}

func TestHistoryPlantedStep(t *testing.T) {
	for _, reps := range []int{1, 3} {
		values := make([]float64, 30)
		for i := range values {
			values[i] = 1.0
			if i >= 17 {
				values[i] = 1.1
			}
		}
		rng := rand.New(rand.NewPCG(11, uint64(reps)))
		recs := commitSeries(values, reps, 0.01, rng)
		// Shuffle the records: history must order them by commit time.
		rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
		h, err := HistoryRecords(recs, HistoryOptions{Seed: 1, Threshold: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Series) != 1 {
			t.Fatalf("%d series", len(h.Series))
		}
		s := h.Series[0]
		if s.Commits != 30 || len(s.Points) != 30*reps || len(s.Changes) != 1 {
			t.Fatalf("reps %d: commits %d points %d changes %+v", reps, s.Commits, len(s.Points), s.Changes)
		}
		c := s.Changes[0]
		if want := commitHash(17); c.Commit != want {
			t.Errorf("reps %d: change at commit %s, want %s", reps, c.Commit, want)
		}
		if c.Change < 0.08 || c.Change > 0.12 || c.Confidence < 0.99 || c.Minor || c.Time.Day() != 18 {
			t.Errorf("reps %d: change %+v", reps, c)
		}
		var buf bytes.Buffer
		if err := h.WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		if out := buf.String(); !strings.Contains(out, commitHash(17)[:12]) || !strings.Contains(out, "+") || !strings.Contains(out, "1 change point(s)") {
			t.Errorf("output:\n%s", out)
		}
	}
}

func TestHistoryFlatAndMachines(t *testing.T) {
	values := make([]float64, 30)
	for i := range values {
		values[i] = 1
	}
	rng := rand.New(rand.NewPCG(12, 1))
	recs := commitSeries(values, 2, 0.01, rng)
	// The same commits on another machine, 20 % slower: a separate series,
	// so the machine change is no change point.
	other := commitSeries(values, 2, 0.01, rng)
	for i := range other {
		other[i].RunID += "-b"
		other[i].Meta["host"], other[i].Meta["cpu_model"] = "b", "EPYC B"
		other[i].Metrics["time_simulate"] *= 1.2
	}
	h, err := HistoryRecords(append(recs, other...), HistoryOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Series) != 2 || h.Series[0].Machine != "a (Xeon A)" || h.Series[1].Machine != "b (EPYC B)" {
		t.Fatalf("series %d: %v", len(h.Series), h.Series)
	}
	for _, s := range h.Series {
		if len(s.Changes) != 0 {
			t.Errorf("%s: change points %+v in a flat series", s.Machine, s.Changes)
		}
	}
	if h.ChangeTable() != nil {
		t.Error("change table for no changes")
	}
	// Machines identified by CPU only: host "a" and "b" differ, so the
	// CPUs keep them apart; by "os" (absent) they would merge.
	h, err = HistoryRecords(append(recs, other...), HistoryOptions{Seed: 1, MachineKeys: []string{"cpu_model"}})
	if err != nil || len(h.Series) != 2 || h.Series[0].Machine != "cpu_model=EPYC B" {
		t.Fatalf("by cpu_model: %v %v", err, h)
	}
	if _, err := HistoryRecords(recs, HistoryOptions{MachineKeys: []string{"gpu"}}); err == nil || !strings.Contains(err.Error(), "machine keys") {
		t.Errorf("unknown machine key: %v", err)
	}
}

func TestHistoryMetaChange(t *testing.T) {
	values := make([]float64, 12)
	for i := range values {
		values[i] = 1
		if i >= 6 {
			values[i] = 1.5
		}
	}
	recs := commitSeries(values, 1, 0.001, rand.New(rand.NewPCG(1, 1)))
	for i := range recs {
		recs[i].Meta["go_version"] = "go1.26.1"
		if i >= 6 {
			recs[i].Meta["go_version"] = "go1.26.2"
		}
	}
	// Without vcs_time, the start time orders the runs.
	for i := range recs {
		delete(recs[i].Meta, "vcs_time")
	}
	h, err := HistoryRecords(recs, HistoryOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	s := h.Series[0]
	if len(s.Changes) != 1 || s.Changes[0].Index != 6 || len(s.Changes[0].MetaChanges) != 1 || s.Changes[0].MetaChanges[0] != "go_version go1.26.1 → go1.26.2" {
		t.Fatalf("changes %+v", s.Changes)
	}
}

func TestHistoryErrors(t *testing.T) {
	if _, err := HistoryRecords(nil, HistoryOptions{}); err == nil {
		t.Error("empty input accepted")
	}
	recs := []results.Record{{RunID: "x", Metrics: map[string]float64{"spikes": 3}}}
	if _, err := HistoryRecords(recs, HistoryOptions{}); err == nil || !strings.Contains(err.Error(), "none of the metrics time_simulate") {
		t.Errorf("no default metric: %v", err)
	}
	h, err := HistoryRecords(recs, HistoryOptions{Metrics: []string{"spikes"}})
	if err != nil || len(h.Warnings) == 0 || !strings.Contains(h.Warnings[0], "neither vcs_time nor started") {
		t.Errorf("untimed runs: %v %v", err, h)
	}
}

// TestEDivisiveStatistic checks the prefix-sum statistic against the
// definition computed directly, for every split and end of a series.
func TestEDivisiveStatistic(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	x := make([]float64, 17)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	for _, exp := range []float64{1, 0.5} {
		s := newEState(x, exp)
		s.build()
		d := func(a, b float64) float64 { return math.Pow(math.Abs(a-b), exp) }
		for tau := 2; tau < len(x)-1; tau++ {
			for kappa := tau + 2; kappa <= len(x); kappa++ {
				X, Y := x[:tau], x[tau:kappa]
				m, k := float64(len(X)), float64(len(Y))
				var cross, wx, wy float64
				for _, a := range X {
					for _, b := range Y {
						cross += d(a, b)
					}
				}
				for i := range X {
					for j := i + 1; j < len(X); j++ {
						wx += d(X[i], X[j])
					}
				}
				for i := range Y {
					for j := i + 1; j < len(Y); j++ {
						wy += d(Y[i], Y[j])
					}
				}
				want := m * k / (m + k) * (2*cross/(m*k) - wx/(m*(m-1)/2) - wy/(k*(k-1)/2))
				got := m * k / (m + k) * (2*s.rect(0, tau, tau, kappa)/(m*k) - s.rect(0, tau, 0, tau)/2/(m*(m-1)/2) - s.rect(tau, kappa, tau, kappa)/2/(k*(k-1)/2))
				if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
					t.Fatalf("exp %v τ %d κ %d: %v, want %v", exp, tau, kappa, got, want)
				}
			}
		}
	}
}
