package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/results"
)

// scalingRecords is a strong-scaling benchmark: ranks 1, 2, 4, 8 with two
// exchange modes, 6 repetitions each, every rank with its phase times,
// memory, synapses and population rates.
func scalingRecords(rng *rand.Rand) []results.Record {
	var recs []results.Record
	for _, comm := range []string{"collective", "p2p"} {
		for _, ranks := range []int{1, 2, 4, 8} {
			for rep := 0; rep < 6; rep++ {
				c := cfg("brunel", ranks, 1)
				c.Comm = comm
				var rr []rankRec
				for r := 0; r < ranks; r++ {
					noise := 1 + 0.02*rng.Float64()
					upd, del, com := 2.0/float64(ranks)*noise, 1.0/float64(ranks)*noise, 0.1*float64(ranks)*noise
					rr = append(rr, rankRec{"time_construction_load": 0.5 / float64(ranks), "time_presimulate": 0.2, "time_simulate": upd + del + com,
						"time_update": upd, "time_deliver": del, "time_communicate": com, "real_time_factor": upd + del + com,
						"peak_rss_bytes": 1e8 / float64(ranks), "synapses": 1e7 / float64(ranks), "bytes_per_synapse": 10, "rate_hz.E": 42, "rate_hz.I": 55})
				}
				recs = append(recs, mkRun(fmt.Sprintf("%s-%d-%d", comm, ranks, rep), c, machineA, rr...)...)
			}
		}
	}
	return recs
}

func TestAggregateHTML(t *testing.T) {
	a, err := AggregateRecords(scalingRecords(rand.New(rand.NewPCG(1, 2))), AggregateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	figs, notes := a.Figures("svg")
	if len(notes) != 0 || len(figs) != 5 {
		t.Fatalf("%d figures, notes %v", len(figs), notes)
	}
	var buf bytes.Buffer
	if err := AggregateHTML(&buf, a, "results/", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{"<!DOCTYPE html>", "<svg", "parallel efficiency", "time_deliver", "Machines and software", "Xeon A (48)"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "http://") && strings.Contains(page, "src=\"http") {
		t.Error("page loads from the network")
	}
}

func TestComparisonAndHistoryHTML(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := sample("b", cfg("brunel", 1, 1), machineA, 8, 1, 0.01, rng)
	new := sample("n", cfg("brunel", 1, 1), map[string]string{"host": "b"}, 8, 1.1, 0.01, rng)
	c, err := CompareRecords(base, new, CompareOptions{Gate: true, FailOnRegression: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ComparisonHTML(&buf, c, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Metadata that differ", "different machines", "regressions", "FAIL", "geomean"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
	values := make([]float64, 20)
	for i := range values {
		values[i] = 1
		if i >= 12 {
			values[i] = 0.8
		}
	}
	h, err := HistoryRecords(commitSeries(values, 2, 0.01, rng), HistoryOptions{Seed: 1})
	if err != nil || len(h.Series) != 1 || len(h.Series[0].Changes) != 1 {
		t.Fatalf("history %v %+v", err, h)
	}
	buf.Reset()
	if err := HistoryHTML(&buf, h, time.Time{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, "<svg") || !strings.Contains(page, commitHash(12)[:7]+" -20.") {
		t.Errorf("history page lacks the figure or the change label")
	}
}

func TestWriteFigures(t *testing.T) {
	a, err := AggregateRecords(scalingRecords(rand.New(rand.NewPCG(5, 6))), AggregateOptions{Metrics: []string{"real_time_factor", "time_update", "time_deliver"}})
	if err != nil {
		t.Fatal(err)
	}
	figs, notes := a.Figures("png")
	if len(figs) != 2 || len(notes) != 0 { // the phases and the scaling figure
		t.Fatalf("%d figures %v", len(figs), notes)
	}
	dir := t.TempDir()
	paths, err := WriteFigures(dir, "png", figs)
	if err != nil || len(paths) != 2 {
		t.Fatal(paths, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: not a PNG (%v)", p, err)
		}
	}
	if filepath.Base(paths[1]) != "real-time-factor.png" {
		t.Errorf("paths %v", paths)
	}
}
