package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name        string
		n           int
		change      float64
		opt         CompareOptions
		significant bool
		regression  bool
		failed      bool
		tooFew      bool
	}{
		{"10% regression flagged", 8, 0.10, CompareOptions{}, true, true, false, false},
		{"10% regression fails a 5% gate", 8, 0.10, CompareOptions{Gate: true, FailOnRegression: 0.05}, true, true, true, false},
		{"10% regression passes a 15% gate", 8, 0.10, CompareOptions{Gate: true, FailOnRegression: 0.15}, true, true, false, false},
		{"0% change not flagged", 8, 0, CompareOptions{Gate: true, FailOnRegression: 0.05}, false, false, false, false},
		{"10% improvement", 8, -0.10, CompareOptions{Gate: true, FailOnRegression: 0.05}, true, false, false, false},
		{"below threshold", 8, 0.10, CompareOptions{Threshold: 0.2}, false, false, false, false},
		{"too few samples", 3, 0.10, CompareOptions{Gate: true}, false, false, false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			base := sample("b", cfg("brunel", 1, 1), machineA, tc.n, 1.0, 0.01, rng)
			new := sample("n", cfg("brunel", 1, 1), machineA, tc.n, 1.0+tc.change, 0.01, rng)
			c, err := CompareRecords(base, new, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.Metrics) != 4 { // time_simulate, real_time_factor, time_update, peak_rss_bytes
				t.Fatalf("%d metric tables", len(c.Metrics))
			}
			d := c.Metrics[0].Rows[0]
			if d.Metric != "time_simulate" || d.Significant != tc.significant || d.Regression != tc.regression || c.Failed != tc.failed || d.TooFew != tc.tooFew {
				t.Errorf("%s: significant %v regression %v failed %v tooFew %v (change %.3f p %.4f)", d.Metric, d.Significant, d.Regression, c.Failed, d.TooFew, d.Change, d.P)
			}
			if mem := c.Metrics[3].Rows[0]; mem.Significant || mem.DeltaString() != "~" {
				t.Errorf("unchanged memory: %+v", mem)
			}
			if c.EnvironmentDiffers || len(c.MetaDiff) != 0 {
				t.Errorf("same machine reported as different: %v", c.MetaDiff)
			}
			var buf bytes.Buffer
			if err := c.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if tc.tooFew && !strings.Contains(out, "need ≥ 4 samples per side") {
				t.Errorf("too few samples not explained:\n%s", out)
			}
			row := c.Tables()[0].Rows[0]
			if cell := row[len(row)-2]; tc.significant != strings.HasPrefix(cell, signed(d.Change)) || !tc.significant && !strings.HasPrefix(cell, "~") {
				t.Errorf("delta cell %q for change %s, significant %v", cell, signed(d.Change), tc.significant)
			}
			if !strings.Contains(out, "geomean") {
				t.Errorf("no geomean row:\n%s", out)
			}
		})
	}
}

func signed(c float64) string { return (Delta{Significant: true, Change: c}).DeltaString() }

func TestCompareMachinesDiffer(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	other := map[string]string{"host": "b", "cpu_model": "EPYC B", "cores": "64", "go_version": "go1.26.8", "format_version": "1", "vcs_revision": "abc"}
	var base, new []results.Record
	for _, r := range []int{1, 2, 4} {
		base = append(base, sample("b"+string(rune('0'+r)), cfg("brunel", r, 1), machineA, 6, 1.0/float64(r), 0.01, rng)...)
		new = append(new, sample("n"+string(rune('0'+r)), cfg("brunel", r, 1), other, 6, 1.1/float64(r), 0.01, rng)...)
	}
	new = append(new, sample("n8", cfg("brunel", 8, 1), other, 6, 0.2, 0.01, rng)...)
	c, err := CompareRecords(base, new, CompareOptions{BaseName: "main", NewName: "pr", Metrics: []string{"time_simulate"}})
	if err != nil {
		t.Fatal(err)
	}
	if !c.EnvironmentDiffers {
		t.Error("different hosts and CPUs not flagged")
	}
	keys := map[string]string{}
	for _, d := range c.MetaDiff {
		keys[d.Key] = d.Kind
	}
	if keys["host"] != "machine" || keys["cpu_model"] != "machine" || keys["cores"] != "machine" || keys["vcs_revision"] != "code" || keys["go_version"] != "" {
		t.Errorf("meta diff %v", c.MetaDiff)
	}
	if len(c.OnlyNew) != 1 || !strings.Contains(c.OnlyNew[0], "ranks=8") {
		t.Errorf("only in new: %v", c.OnlyNew)
	}
	tab := c.Metrics[0]
	if len(tab.Rows) != 3 || tab.Geomean == nil || tab.Geomean.N != 3 {
		t.Fatalf("rows %d geomean %+v", len(tab.Rows), tab.Geomean)
	}
	if g := tab.Geomean.Change; g < 0.07 || g > 0.13 {
		t.Errorf("geomean change %v, want about +10%%", g)
	}
	var buf bytes.Buffer
	if err := c.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"WARNING: the sides ran on different machines", "metadata that differ", "EPYC B", "only in pr: ", "regressions"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "metadata that differ") > strings.Index(out, "time_simulate (s)") {
		t.Error("metadata table not above the numbers")
	}
	buf.Reset()
	if err := c.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	if md := buf.String(); !strings.Contains(md, "| ranks | main | pr | delta | p (n) |") || !strings.Contains(md, "> **Warning:**") {
		t.Errorf("markdown:\n%s", md)
	}
}

func TestCompareErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := sample("a", cfg("brunel", 1, 1), machineA, 3, 1, 0.01, rng)
	b := sample("b", cfg("microcircuit", 1, 1), machineA, 3, 1, 0.01, rng)
	tests := []struct {
		name      string
		base, new []results.Record
		opt       CompareOptions
		want      string
	}{
		{"empty base", nil, a, CompareOptions{}, "base: no result records"},
		{"empty new", a, nil, CompareOptions{NewName: "x/"}, "x/: no result records"},
		{"nothing matches", a, b, CompareOptions{}, "no configuration of base matches one of new by model,params"},
		{"bad alpha", a, a, CompareOptions{Alpha: 2}, "alpha 2: want a level between 0 and 1"},
		{"no metric", a, a, CompareOptions{Metrics: []string{"time_deliver"}}, "none of the metrics time_deliver is present"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompareRecords(tc.base, tc.new, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	// Matching by model only makes them comparable... not: the models differ.
	if _, err := CompareRecords(a, b, CompareOptions{By: []string{"ranks"}}); err != nil {
		t.Errorf("by ranks: %v", err)
	}
}
