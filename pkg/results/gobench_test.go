package results

import (
	"bytes"
	"maps"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

// parsed is one benchmark line as benchfmt reads it back.
type parsed struct {
	name   string
	config map[string]string
	values map[string]float64
}

func parseGoBench(t *testing.T, b []byte) []parsed {
	t.Helper()
	r := benchfmt.NewReader(bytes.NewReader(b), "gobench.txt")
	var out []parsed
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("benchfmt: %v", rec)
		case *benchfmt.Result:
			p := parsed{name: "Benchmark" + rec.Name.String(), config: map[string]string{}, values: map[string]float64{}}
			for _, c := range rec.Config {
				if c.File {
					p.config[c.Key] = string(c.Value)
				}
			}
			if rec.Iters != 1 {
				t.Errorf("%s: %d iterations, want 1", p.name, rec.Iters)
			}
			for _, v := range rec.Values {
				unit, val := v.Unit, v.Value
				if v.OrigUnit != "" {
					unit, val = v.OrigUnit, v.OrigValue
				}
				p.values[unit] = val
			}
			out = append(out, p)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteGoBench(t *testing.T) {
	a := sampleResult(1, 2)
	b := sampleResult(2, 2) // same configuration, another seed: a second sample
	c := sampleResult(3, 4)
	c.Meta.Tool.Revision = "fedcba9876543210"
	c.Meta.CPUModel = ""
	cfgC := sampleConfig(4)
	cfgC.Machine = "other cluster"
	cfgC.Params["label"] = "a b/c"
	var recs []Record
	recs = append(recs, Flatten(sampleConfig(2), a)...)
	recs = append(recs, Flatten(sampleConfig(2), b)...)
	recs = append(recs, Flatten(cfgC, c)...)
	var buf bytes.Buffer
	if err := WriteGoBench(&buf, recs); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "goos: linux\ngoarch: amd64\ncpu: AMD EPYC 7742 64-Core Processor\nmachine: cluster\ncommit: 0123456789abcdef0123456789abcdef01234567+dirty\nBenchmarkSimulate/") {
		t.Errorf("file-level keys do not come first:\n%s", out)
	}
	got := parseGoBench(t, buf.Bytes())
	if len(got) != 3 {
		t.Fatalf("%d benchmark lines, want 3 (one per run):\n%s", len(got), out)
	}
	wantName := "BenchmarkSimulate/model=brunel/N=2500/g=5/ranks=2/threads=2/comm=collective/backend=cpu/scaling=strong/t_presim=100/t_sim=1000"
	tests := []struct {
		i      int
		name   string
		config map[string]string
		values map[string]float64
	}{
		{0, wantName,
			map[string]string{"goos": "linux", "goarch": "amd64", "cpu": "AMD EPYC 7742 64-Core Processor", "machine": "cluster", "commit": "0123456789abcdef0123456789abcdef01234567+dirty"},
			map[string]float64{"time_simulate-sec": a.TimeSimulate, "real_time_factor": a.RealTimeFactor, "time_construction_load-sec": a.TimeConstructionLoad,
				"time_presimulate-sec": a.TimePresimulate, "time_update-sec": 1.5, "time_deliver-sec": a.RankResults[1].TimeDeliver,
				"time_communicate-sec": 0.4, "time_record-sec": 0.01, "peak_rss-B": float64(a.PeakRSS), "B/synapse": a.BytesPerSynapse}},
		{1, wantName, nil, map[string]float64{"time_simulate-sec": b.TimeSimulate}},
		{2, "BenchmarkSimulate/model=brunel/N=2500/g=5/label=a_b_c/ranks=4/threads=2/comm=collective/backend=cpu/scaling=strong/t_presim=100/t_sim=1000",
			// cpu is cleared, machine and commit change.
			map[string]string{"goos": "linux", "goarch": "amd64", "machine": "other cluster", "commit": "fedcba9876543210"},
			map[string]float64{"time_simulate-sec": c.TimeSimulate, "time_deliver-sec": c.RankResults[3].TimeDeliver}},
	}
	for _, tc := range tests {
		g := got[tc.i]
		if g.name != tc.name {
			t.Errorf("line %d: name %s, want %s", tc.i, g.name, tc.name)
		}
		if tc.config != nil && !maps.Equal(g.config, tc.config) {
			t.Errorf("line %d: file config %v, want %v", tc.i, g.config, tc.config)
		}
		for unit, want := range tc.values {
			if v, ok := g.values[unit]; !ok || v != want {
				t.Errorf("line %d: %s = %v (present %v), want %v", tc.i, unit, v, ok, want)
			}
		}
	}
	if got[1].config["commit"] != got[0].config["commit"] {
		t.Error("the second run lost the file-level keys")
	}
	if strings.Count(out, "goos:") != 1 || strings.Count(out, "machine:") != 2 || !strings.Contains(out, "\ncpu:\n") {
		t.Errorf("keys should be written again only when they change:\n%s", out)
	}
}

func TestWriteGoBenchNames(t *testing.T) {
	tests := []struct {
		name string
		cfg  RunConfig
		want string
	}{
		{"minimal", RunConfig{Model: "m", Ranks: 1, Threads: 1}, "BenchmarkSimulate/model=m/ranks=1/threads=1/t_presim=0/t_sim=0"},
		{"param clashing with a fixed key", RunConfig{Model: "m", Params: map[string]string{"ranks": "9"}, Ranks: 1, Threads: 1},
			"BenchmarkSimulate/model=m/param.ranks=9/ranks=1/threads=1/t_presim=0/t_sim=0"},
		{"spaces, slashes and = in keys", RunConfig{Model: "my model", Params: map[string]string{"a=b": "x/y z"}, Ranks: 2, Threads: 1},
			"BenchmarkSimulate/model=my_model/a_b=x_y_z/ranks=2/threads=1/t_presim=0/t_sim=0"},
		{"trailing -N is not GOMAXPROCS", RunConfig{Model: "m", Ranks: 1, Threads: 1, TSim: -5},
			"BenchmarkSimulate/model=m/ranks=1/threads=1/t_presim=0/t_sim=_5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := []Record{{RunID: "r", Config: tc.cfg, Metrics: map[string]float64{"run.time_simulate": 2}}}
			var buf bytes.Buffer
			if err := WriteGoBench(&buf, recs); err != nil {
				t.Fatal(err)
			}
			got := parseGoBench(t, buf.Bytes())
			if len(got) != 1 || got[0].name != tc.want {
				t.Fatalf("parsed %+v, want name %s", got, tc.want)
			}
			if got[0].values["time_simulate-sec"] != 2 {
				t.Errorf("values %v", got[0].values)
			}
		})
	}
}

func TestWriteGoBenchErrors(t *testing.T) {
	recs := []Record{{RunID: "r1", Metrics: map[string]float64{"spikes": 3}}}
	err := WriteGoBench(&bytes.Buffer{}, recs)
	if err == nil || !strings.Contains(err.Error(), "run r1 has none of the metrics time_simulate") {
		t.Errorf("run without timers: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteGoBench(&buf, nil); err != nil || buf.Len() != 0 {
		t.Errorf("no records: %q, %v", buf.String(), err)
	}
	// Values are written exactly.
	v := 0.1 + 0.2
	recs = []Record{{RunID: "r", Config: RunConfig{Model: "m"}, Metrics: map[string]float64{"run.time_simulate": v, "peak_rss_bytes": 1 << 40}}}
	buf.Reset()
	if err := WriteGoBench(&buf, recs); err != nil {
		t.Fatal(err)
	}
	got := parseGoBench(t, buf.Bytes())
	if got[0].values["time_simulate-sec"] != v || got[0].values["peak_rss-B"] != 1<<40 {
		t.Errorf("values %v, want %s and %d", got[0].values, strconv.FormatFloat(v, 'g', -1, 64), int64(1)<<40)
	}
}
