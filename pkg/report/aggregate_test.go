package report

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

func TestRunCombination(t *testing.T) {
	tests := []struct {
		name  string
		ranks []rankRec
		want  map[string]float64
	}{
		{"slowest rank, summed memory", []rankRec{
			{"time_simulate": 1.0, "time_update": 0.5, "peak_rss_bytes": 100, "synapses": 10, "bytes_per_synapse": 10, "spikes": 5, "rate_hz.E": 4},
			{"time_simulate": 1.5, "time_update": 0.4, "peak_rss_bytes": 300, "synapses": 30, "bytes_per_synapse": 10, "spikes": 7, "rate_hz.E": 6},
		}, map[string]float64{"time_simulate": 1.5, "time_update": 0.5, "peak_rss_bytes": 400, "synapses": 40, "bytes_per_synapse": 10, "spikes": 12, "rate_hz.E": 5}},
		{"run-level values win", []rankRec{
			{"time_simulate": 1.0, "peak_rss_bytes": 100, "run.time_simulate": 2.0, "run.peak_rss_bytes": 150},
			{"time_simulate": 1.5, "peak_rss_bytes": 100, "run.time_simulate": 2.0, "run.peak_rss_bytes": 150},
		}, map[string]float64{"time_simulate": 2.0, "peak_rss_bytes": 150}},
		{"run-level only", []rankRec{{"run.real_time_factor": 3}}, map[string]float64{"real_time_factor": 3}},
		{"unknown metric takes the maximum", []rankRec{{"foo": 1}, {"foo": 3}}, map[string]float64{"foo": 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg("brunel", len(tc.ranks), 1)
			runs, warns, err := Runs(mkRun("r1", c, machineA, tc.ranks...))
			if err != nil || len(runs) != 1 || len(warns) != 0 {
				t.Fatalf("runs %v warns %v err %v", runs, warns, err)
			}
			for k, v := range tc.want {
				if got := runs[0].Values[k]; got != v {
					t.Errorf("%s = %v, want %v", k, got, v)
				}
			}
			if len(runs[0].Values) != len(tc.want) {
				t.Errorf("values %v, want exactly %v", runs[0].Values, tc.want)
			}
		})
	}
}

func TestRunsWarnings(t *testing.T) {
	c := cfg("brunel", 3, 1)
	recs := mkRun("r1", c, machineA, rankRec{"time_simulate": 1}, rankRec{"time_simulate": 2})
	recs = append(recs, recs[1]) // rank 1 twice
	recs = append(recs, mkRun("r2", c, machineA, rankRec{"time_simulate": math.NaN()})...)
	_, warns, err := Runs(recs)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(warns, "\n")
	for _, want := range []string{"rank 1 recorded twice", "2 of 3 ranks recorded", `"time_simulate" is NaN`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if _, _, err := Runs([]results.Record{{Config: c}}); err == nil || !strings.Contains(err.Error(), "no run_id") {
		t.Errorf("record without run id: %v", err)
	}
}

func TestAggregate(t *testing.T) {
	var recs []results.Record
	// ranks=2: 7 runs, slowest rank i+1 s (so the median is 4), memory 2×100.
	for i := 0; i < 7; i++ {
		recs = append(recs, mkRun(string(rune('a'+i)), cfg("brunel", 2, 1), machineA,
			rankRec{"time_simulate": float64(i+1) - 0.5, "peak_rss_bytes": 100},
			rankRec{"time_simulate": float64(i + 1), "peak_rss_bytes": 100})...)
	}
	// ranks=1: 2 runs.
	for i := 0; i < 2; i++ {
		recs = append(recs, mkRun(string(rune('p'+i)), cfg("brunel", 1, 1), machineA, rankRec{"time_simulate": 10 + float64(i), "peak_rss_bytes": 150})...)
	}
	a, err := AggregateRecords(recs, AggregateOptions{By: []string{"model", "ranks", "host"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Runs != 9 || a.Records != 16 || len(a.Groups) != 2 {
		t.Fatalf("runs %d records %d groups %d", a.Runs, a.Records, len(a.Groups))
	}
	if strings.Join(a.Varying, ",") != "ranks" || len(a.Common) != 2 {
		t.Errorf("varying %v common %v", a.Varying, a.Common)
	}
	g1, g2 := a.Groups[0], a.Groups[1]
	if g1.Values[1] != "1" || g2.Values[1] != "2" {
		t.Fatalf("group order %v %v", g1.Values, g2.Values)
	}
	s := g2.Stats["time_simulate"]
	if s.N != 7 || s.Median != 4 || s.Min != 1 || s.Max != 7 {
		t.Errorf("ranks=2 time_simulate %+v", s)
	}
	// n=7 at 95 %: the interval runs from the 1st to the 7th order statistic.
	if !s.CIFinite() || s.Lo != 1 || s.Hi != 7 || s.Confidence < 0.95 {
		t.Errorf("CI [%v, %v] at %v", s.Lo, s.Hi, s.Confidence)
	}
	if m := g2.Stats["peak_rss_bytes"]; m.Median != 200 {
		t.Errorf("memory %v, want the sum over ranks 200", m.Median)
	}
	if s := g1.Stats["time_simulate"]; s.N != 2 || s.Median != 10.5 || s.CIFinite() || len(s.Warnings) == 0 {
		t.Errorf("ranks=1 %+v: want an unbounded CI with a warning", s)
	}
}

func TestAggregateErrors(t *testing.T) {
	recs := mkRun("r", cfg("brunel", 1, 1), machineA, rankRec{"time_simulate": 1})
	tests := []struct {
		name string
		recs []results.Record
		opt  AggregateOptions
		want string
	}{
		{"empty", nil, AggregateOptions{}, "no result records"},
		{"unknown key", recs, AggregateOptions{By: []string{"colour"}}, `key "colour": not a configuration field`},
		{"unknown param", recs, AggregateOptions{By: []string{"param.K"}}, `no run has parameter "K" (parameters present: param.N)`},
		{"missing metric", recs, AggregateOptions{Metrics: []string{"time_deliver"}}, "none of the metrics time_deliver is present (present: time_simulate)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := AggregateRecords(tc.recs, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := AggregateRecords(nil, AggregateOptions{}); !errors.Is(err, ErrNoRecords) {
		t.Errorf("empty input: %v", err)
	}
}

func TestAggregateWarnings(t *testing.T) {
	recs := mkRun("r1", cfg("brunel", 1, 1), machineA, rankRec{"time_simulate": 1, "time_deliver": 1})
	recs = append(recs, mkRun("r2", cfg("brunel", 1, 1), map[string]string{"format_version": "2"}, rankRec{"time_simulate": 1})...)
	a, err := AggregateRecords(recs, AggregateOptions{Metrics: []string{"time_simulate", "time_deliver", "time_update"}})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(a.Warnings, "\n")
	for _, want := range []string{`metric "time_update": no run has it`, `metric "time_deliver" missing in 1 of 2 runs`, "mixed result format versions"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
}
