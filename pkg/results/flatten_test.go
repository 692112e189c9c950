package results

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestFlatten(t *testing.T) {
	res := sampleResult(1, 2)
	cfg := sampleConfig(2)
	recs := Flatten(cfg, res)
	if len(recs) != 2 {
		t.Fatalf("Flatten gave %d records, want 2 (one per rank)", len(recs))
	}
	id := RunID(res)
	metrics := []struct {
		rank int
		name string
		want float64
	}{
		{0, "time_simulate", 3.0},
		{1, "time_simulate", 3.1},
		{1, "time_deliver", res.RankResults[1].TimeDeliver},
		{0, "time_update", 1.5},
		{0, "time_communicate", 0.4},
		{0, "time_record", 0.01},
		{1, "real_time_factor", 3.1},
		{0, "neurons", 1250},
		{0, "synapses", 312500},
		{0, "spikes", 22500},
		{0, "peak_rss_bytes", 100 << 20},
		{0, "bytes_per_synapse", 160},
		{1, "time_construction_load", res.RankResults[1].TimeConstructionLoad},
		{0, "run.time_simulate", res.TimeSimulate},
		{1, "run.time_simulate", res.TimeSimulate},
		{0, "run.real_time_factor", 3.21},
		{0, "run.peak_rss_bytes", 123 << 20},
		{0, "run.spikes", 45001},
		{0, "run.neurons", 2500},
		{0, "run.bytes_per_synapse", 206.4},
		{1, "rate_hz.E", 18},
		{1, "rate_hz.I", 18.5},
	}
	for _, m := range metrics {
		if got, ok := recs[m.rank].Metrics[m.name]; !ok || got != m.want {
			t.Errorf("rank %d metric %s = %v (present %v), want %v", m.rank, m.name, got, ok, m.want)
		}
	}
	metas := []struct {
		rank      int
		key, want string
	}{
		{0, "host", "node01"},
		{1, "host", "node02"},
		{0, "os", "linux"},
		{0, "arch", "amd64"},
		{0, "cpu_model", "AMD EPYC 7742 64-Core Processor"},
		{0, "cores", "128"},
		{0, "memory_bytes", "274877906944"},
		{0, "tool_version", "(devel)"},
		{0, "vcs_revision", "0123456789abcdef0123456789abcdef01234567"},
		{0, "vcs_modified", "true"},
		{0, "vcs_time", "2026-01-02T03:04:05Z"},
		{0, "go_version", "go1.26.8"},
		{0, "mpi_library", "Open MPI v4.1.4"},
		{0, "started", "2026-01-02T09:00:00Z"},
		{0, "slurm_job_id", "4711"},
		{1, "slurm_job_partition", "batch"},
		{0, "model_digest", "sha256:0123456789abcdef"},
		{0, "spike_digest", res.SpikeDigest},
		{0, "network", "results/nets/brunel-1a2b3c4d5e6f"},
		{0, "dt", "0.1"},
		{0, "format_version", "1"},
	}
	for _, m := range metas {
		if got := recs[m.rank].Meta[m.key]; got != m.want {
			t.Errorf("rank %d meta %s = %q, want %q", m.rank, m.key, got, m.want)
		}
	}
	for i, r := range recs {
		if r.RunID != id || r.Rank != i || !reflect.DeepEqual(r.Config, cfg) {
			t.Errorf("record %d: id %s rank %d config %+v, want %s %d %+v", i, r.RunID, r.Rank, r.Config, id, i, cfg)
		}
		if _, ok := r.Meta["SLURM_JOB_ID"]; ok {
			t.Errorf("record %d: SLURM variable kept in upper case", i)
		}
	}
	// The records do not share the configuration's params map.
	recs[0].Config.Params["N"] = "changed"
	if cfg.Params["N"] != "2500" || recs[1].Config.Params["N"] != "2500" {
		t.Error("Flatten's records share the params map")
	}
}

func TestFlattenEdgeCases(t *testing.T) {
	clean := sampleResult(2, 1)
	clean.Meta.Tool.Revision = "abc123"
	noVCS := sampleResult(2, 1)
	noVCS.Meta.Tool.Revision, noVCS.Meta.Tool.Time, noVCS.Meta.MPILibrary = "", "", ""
	nonFinite := sampleResult(2, 1)
	nonFinite.RankResults[0].TimeUpdate = math.NaN()
	nonFinite.RealTimeFactor = math.Inf(1)
	tests := []struct {
		name       string
		res        *Result
		meta       map[string]string // "" means the key must be absent
		absentMetr []string
	}{
		{"clean revision", clean, map[string]string{"vcs_revision": "abc123", "vcs_modified": "false"}, nil},
		{"no revision", noVCS, map[string]string{"vcs_revision": "", "vcs_modified": "", "vcs_time": "", "mpi_library": ""}, nil},
		{"non-finite", nonFinite, nil, []string{"time_update", "run.real_time_factor"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs := Flatten(RunConfig{}, tc.res)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			for k, want := range tc.meta {
				got, ok := recs[0].Meta[k]
				if want == "" && ok || got != want {
					t.Errorf("meta %s = %q (present %v), want %q", k, got, ok, want)
				}
			}
			for _, k := range tc.absentMetr {
				if v, ok := recs[0].Metrics[k]; ok {
					t.Errorf("metric %s = %v present, want absent", k, v)
				}
			}
			if recs[0].Config.Params != nil {
				t.Errorf("params %v, want nil", recs[0].Config.Params)
			}
		})
	}
	if recs := Flatten(RunConfig{}, &Result{}); recs != nil {
		t.Errorf("result without ranks gave %d records", len(recs))
	}
	if recs := Flatten(RunConfig{}, nil); recs != nil {
		t.Errorf("nil result gave %d records", len(recs))
	}
}

func TestConfigFromResult(t *testing.T) {
	res := sampleResult(3, 2)
	got := ConfigFromResult(res)
	want := RunConfig{Model: "brunel", Seed: 3, Ranks: 2, Threads: 2, Backend: "cpu", Comm: "collective", TPresim: 100, TSim: 1000}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ConfigFromResult = %+v, want %+v", got, want)
	}
}

func TestRunID(t *testing.T) {
	res := sampleResult(1, 2)
	id := RunID(res)
	if len(id) != RunIDLength {
		t.Fatalf("RunID %q: %d characters, want %d", id, len(id), RunIDLength)
	}
	// Collecting the same result.json twice: same id.
	dir := t.TempDir()
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		back, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := RunID(back); got != id {
			t.Fatalf("read %d of result.json: RunID %s, want %s", i, got, id)
		}
	}
	// A field that is added later with a zero value does not change the id:
	// the canonical JSON leaves empty values out.
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	generic["some_future_field"] = ""
	generic["another"] = map[string]any{}
	b2, _ := json.Marshal(generic)
	c1, err1 := canonicalJSON(b)
	c2, err2 := canonicalJSON(b2)
	if err1 != nil || err2 != nil || string(c1) != string(c2) {
		t.Errorf("canonical JSON changed by empty fields (%v, %v)", err1, err2)
	}

	changes := []struct {
		name string
		edit func(*Result)
	}{
		{"seed", func(r *Result) { r.Seed++ }},
		{"time_simulate", func(r *Result) { r.TimeSimulate += 1e-9 }},
		{"rank timer", func(r *Result) { r.RankResults[1].TimeDeliver = 7 }},
		{"started", func(r *Result) { r.Meta.Started = r.Meta.Started.Add(1) }},
		{"host", func(r *Result) { r.Meta.Host = "other" }},
		{"rate", func(r *Result) { r.Rates[0].Rate = 0 }},
	}
	for _, c := range changes {
		r := sampleResult(1, 2)
		c.edit(r)
		if RunID(r) == id {
			t.Errorf("changing %s kept the RunID", c.name)
		}
	}
	if RunID(nil) != "" {
		t.Error("RunID(nil) not empty")
	}
}

// TestRunIDNonFinite sets every float64 field of a result (with plastic
// and map-quality entries, so that their figures are set too) to NaN: the
// id is that of the result with those fields zero, and finiteResult covers
// every float field (a field added to Result without it fails here).
func TestRunIDNonFinite(t *testing.T) {
	withAll := func() *Result {
		r := sampleResult(4, 2)
		r.Plastic = []PlasticWeights{{Projection: "ee", SynapseModel: "stdp", Synapses: 10, MeanWeight: 1, MinWeight: 0.5, MaxWeight: 2}}
		v := func(x float64) *float64 { return &x }
		r.MapQuality = []MapQuality{{Projection: "ff", Neurons: 4, NeuronsInitial: 4, ADInitial: v(1), ADFinal: v(1), ADShuffled: v(1),
			SigmaAffInitial: v(1), SigmaAffFinal: v(1), SigmaAffShuffled: v(1), PADVsShuffled: v(1), PSigmaVsShuffled: v(1),
			PADInitialVsFinal: v(1), PSigmaInitialVsFinal: v(1)}}
		return r
	}
	nan, zero := withAll(), withAll()
	setFloats(reflect.ValueOf(nan).Elem(), math.NaN())
	setFloats(reflect.ValueOf(zero).Elem(), 0)
	if a, b := RunID(nan), RunID(zero); a != b {
		t.Errorf("RunID with NaN fields %s, with zero fields %s: want equal", a, b)
	}
	inf := withAll()
	setFloats(reflect.ValueOf(inf).Elem(), math.Inf(-1))
	if a, b := RunID(inf), RunID(zero); a != b {
		t.Errorf("RunID with -Inf fields %s, with zero fields %s: want equal", a, b)
	}
}

func setFloats(v reflect.Value, f float64) {
	switch v.Kind() {
	case reflect.Float64:
		v.SetFloat(f)
	case reflect.Pointer:
		if !v.IsNil() {
			setFloats(v.Elem(), f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				setFloats(v.Field(i), f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			setFloats(v.Index(i), f)
		}
	}
}
