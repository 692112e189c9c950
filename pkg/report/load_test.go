package report

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/results"
)

// storeRun writes one two-rank run into the store under dir.
func storeRun(t *testing.T, dir string, seed uint64, simulate float64) {
	t.Helper()
	res := &results.Result{Format: "snnkit-result", FormatVersion: 1, Model: "brunel", ModelDigest: "sha256:ab", Seed: seed, Ranks: 2, Threads: 1,
		Comm: "collective", Backend: "cpu", Dt: 0.1, TPresim: 100, TSim: 1000, Neurons: 2000, Synapses: 400000,
		TimeSimulate: simulate, RealTimeFactor: simulate, PeakRSS: 3e8, BytesPerSynapse: 750, SpikeDigest: "sha256:cd",
		Rates: []results.PopulationRate{{Population: "E", Neurons: 1600, Spikes: 1000, Rate: 42}},
		RankResults: []results.Rank{
			{Rank: 0, Neurons: 1000, Synapses: 200000, TimeSimulate: simulate * 0.9, TimeUpdate: 0.5, PeakRSS: 3e8, Host: "h"},
			{Rank: 1, Neurons: 1000, Synapses: 200000, TimeSimulate: simulate, TimeUpdate: 0.6, PeakRSS: 3e8, Host: "h"},
		},
		Meta: meta.Run{Host: "h", OS: "linux", Arch: "amd64", CPUModel: "Xeon", Cores: 2, Started: time.Date(2026, 1, 1, 0, 0, int(seed), 0, time.UTC),
			Tool: meta.Tool{Version: "(devel)", Revision: "abc", Go: "go1.26.8"}},
	}
	cfg := results.RunConfig{Benchmark: "b", Machine: "local", Model: "brunel", Params: map[string]string{"N": "2000"}, Seed: seed, Ranks: 2, Threads: 1,
		Backend: "cpu", Comm: "collective", Scaling: "strong", TPresim: 100, TSim: 1000}
	if _, _, err := results.WriteRun(filepath.Join(dir, results.StoreDir), cfg, res); err != nil {
		t.Fatal(err)
	}
}

func TestLoadStore(t *testing.T) {
	dir := t.TempDir()
	for seed := uint64(1); seed <= 6; seed++ {
		storeRun(t, dir, seed, 1+0.01*float64(seed))
	}
	recs, err := Load(dir, nil)
	if err != nil || len(recs) != 12 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	a, err := AggregateRecords(recs, AggregateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Groups) != 1 || len(a.Warnings) != 0 {
		t.Fatalf("groups %d warnings %v", len(a.Groups), a.Warnings)
	}
	st := a.Groups[0].Stats
	// The run-level figures win: time_simulate is the slowest rank's (as
	// snn-run recorded it), memory the job's (not 2 × the shared process).
	if math.Abs(st["time_simulate"].Median-1.035) > 1e-12 || st["peak_rss_bytes"].Median != 3e8 || st["time_update"].Median != 0.6 || st["rate_hz.E"].Median != 42 {
		t.Errorf("stats: simulate %v rss %v update %v rate %v", st["time_simulate"].Median, st["peak_rss_bytes"].Median, st["time_update"].Median, st["rate_hz.E"].Median)
	}
	// The same records through JSON lines on stdin.
	var buf bytes.Buffer
	if err := results.WriteJSONL(&buf, recs); err != nil {
		t.Fatal(err)
	}
	again, err := Load("-", &buf)
	if err != nil || len(again) != 12 {
		t.Fatalf("stdin: %d records, %v", len(again), err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, []byte("\n\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"run_id": "x", "rank": 0}`+"\n{not json\n"), 0o644)
	notParquet := filepath.Join(dir, "store2")
	os.MkdirAll(notParquet, 0o755)
	os.WriteFile(filepath.Join(notParquet, "x.parquet"), []byte("hello"), 0o644)
	tests := []struct {
		arg  string
		want string
	}{
		{empty, "empty.jsonl: no result records"},
		{bad, "bad.jsonl:2"},
		{filepath.Join(dir, "missing"), "missing"},
		{filepath.Join(notParquet, "x.parquet"), "give the directory"},
		{notParquet, "x.parquet"},
		{t.TempDir(), "no *.parquet files"},
	}
	for _, tc := range tests {
		_, err := Load(tc.arg, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s): %v, want %q", tc.arg, err, tc.want)
		}
	}
	if _, err := Load("-", strings.NewReader("")); !errors.Is(err, ErrNoRecords) || !strings.Contains(err.Error(), "stdin") {
		t.Errorf("empty stdin: %v", err)
	}
}
