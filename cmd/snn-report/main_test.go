package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/snnkit/snnkit/internal/cmdtest"
	"github.com/snnkit/snnkit/pkg/results"
)

var bin string

func TestMain(m *testing.M) {
	cmdtest.Main(m, func(dir string) { bin = filepath.Join(dir, "snn-report") }, "", "snn-report")
}

func exe(t *testing.T, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	return cmdtest.Cmd{Stdin: stdin}.Run(t, bin, args...)
}

var machine = map[string]string{"host": "node1", "cpu_model": "Xeon", "cores": "2", "go_version": "go1.26.8", "format_version": "1"}

func config(ranks int) results.RunConfig {
	return results.RunConfig{Benchmark: "scaling", Machine: "local", Model: "brunel", Params: map[string]string{"N": "2000"}, Seed: 1,
		Ranks: ranks, Threads: 1, Backend: "cpu", Comm: "collective", Scaling: "strong", TPresim: 100, TSim: 1000}
}

// runs makes n runs per rank count whose slowest rank's time_simulate is
// scale/ranks with 1 % noise; meta adds to the machine metadata.
func runs(prefix string, n int, scale float64, rng *rand.Rand, meta map[string]string) []results.Record {
	var recs []results.Record
	for _, ranks := range []int{1, 2} {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("%s-r%d-%d", prefix, ranks, i)
			for r := 0; r < ranks; r++ {
				m := map[string]string{}
				for k, v := range machine {
					m[k] = v
				}
				for k, v := range meta {
					m[k] = v
				}
				ts := scale / float64(ranks) * (1 + 0.01*(2*rng.Float64()-1)) * (1 - 0.05*float64(r))
				recs = append(recs, results.Record{RunID: id, Config: config(ranks), Rank: r, Meta: m, Metrics: map[string]float64{
					"time_simulate": ts, "time_update": ts / 2, "time_deliver": ts / 3, "time_communicate": ts / 10,
					"real_time_factor": ts, "peak_rss_bytes": 5e7, "rate_hz.E": 42,
				}})
			}
		}
	}
	return recs
}

func writeJSONL(t *testing.T, path string, recs []results.Record) {
	t.Helper()
	var buf bytes.Buffer
	if err := results.WriteJSONL(&buf, recs); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCompareGate(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	base, same, slow := filepath.Join(dir, "base.jsonl"), filepath.Join(dir, "same.jsonl"), filepath.Join(dir, "slow.jsonl")
	writeJSONL(t, base, runs("b", 8, 1.0, rng, nil))
	writeJSONL(t, same, runs("s", 8, 1.0, rng, nil))
	writeJSONL(t, slow, runs("n", 8, 1.1, rng, nil))

	out, errs, code := exe(t, nil, "compare", base, slow, "--fail-on-regression", "5%")
	if code != 1 {
		t.Fatalf("10%% regression: exit %d, want 1\n%s%s", code, out, errs)
	}
	for _, want := range []string{"time_simulate (s)", "geomean", "regressions", "FAIL", "gate FAILED"} {
		if !strings.Contains(out, want) {
			t.Errorf("10%% regression output lacks %q:\n%s", want, out)
		}
	}
	out, errs, code = exe(t, nil, "compare", base, same, "--fail-on-regression", "5%")
	if code != 0 || !strings.Contains(out, "gate passed") || strings.Contains(out, "FAIL") {
		t.Errorf("0%% change: exit %d\n%s%s", code, out, errs)
	}
	// Without a gate a regression is reported but the exit status is 0.
	if out, _, code := exe(t, nil, "compare", base, slow); code != 0 || !strings.Contains(out, "regressions") {
		t.Errorf("no gate: exit %d\n%s", code, out)
	}
	// Markdown for a PR comment, and the flags after the inputs.
	md := filepath.Join(dir, "out", "compare.md")
	if _, errs, code := exe(t, nil, "compare", base, slow, "-o", md, "--fail-on-regression", "15"); code != 0 {
		t.Fatalf("15%% gate: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(b), "| ranks | "+base+" | "+slow+" | delta | p (n) |") || !strings.Contains(string(b), "gate passed") {
		t.Errorf("markdown %v:\n%s", err, b)
	}
	// Too few runs: the table says why nothing can be significant.
	few := filepath.Join(dir, "few.jsonl")
	writeJSONL(t, few, runs("f", 3, 1.2, rng, nil))
	if out, _, code := exe(t, nil, "compare", few, few); code != 0 || !strings.Contains(out, "need ≥ 4 samples per side") {
		t.Errorf("few samples: exit %d\n%s", code, out)
	}
}

func TestCompareMachines(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	base, new := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	writeJSONL(t, base, runs("a", 6, 1.0, rng, nil))
	writeJSONL(t, new, runs("b", 6, 0.7, rng, map[string]string{"host": "node2", "cpu_model": "EPYC", "cores": "128"}))
	out, errs, code := exe(t, nil, "compare", base, new, "--metrics", "time_simulate")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	meta, table := strings.Index(out, "metadata that differ"), strings.Index(out, "time_simulate (s)")
	if meta < 0 || table < meta || !strings.Contains(out, "WARNING: the sides ran on different machines") || !strings.Contains(out, "EPYC") || !strings.Contains(out, "improvements") {
		t.Errorf("output:\n%s", out)
	}
}

func TestReport(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	var jsonl bytes.Buffer
	if err := results.WriteJSONL(&jsonl, runs("x", 6, 1.0, rng, nil)); err != nil {
		t.Fatal(err)
	}
	out, errs, code := exe(t, jsonl.Bytes(), "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"12 runs (18 records) in 2 configurations", "time_simulate (s)", "ranks  median", "min – max", "95% CI"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	html, md := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.md")
	if _, errs, code := exe(t, jsonl.Bytes(), "-", "-o", html, "-o", md, "--by", "model,ranks"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range []struct{ path, want string }{{html, "<svg"}, {md, "| ranks | median | min – max | 95% CI | n |"}} {
		b, err := os.ReadFile(f.path)
		if err != nil || !strings.Contains(string(b), f.want) {
			t.Errorf("%s: %v, lacks %q", f.path, err, f.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("left behind: %v", entries)
	}
	figs := filepath.Join(t.TempDir(), "figs")
	if _, errs, code := exe(t, jsonl.Bytes(), "-", "--figures", figs, "--figure-format", "png", "-o", filepath.Join(figs, "r.txt")); code != 0 {
		t.Fatalf("--figures: exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(filepath.Join(figs, "real-time-factor.png")); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("real-time-factor.png: %v", err)
	}
	out, _, code = exe(t, jsonl.Bytes(), "-", "--json")
	if code != 0 || !strings.HasPrefix(out, "{") || !strings.Contains(out, `"median"`) {
		t.Errorf("--json: exit %d\n%.300s", code, out)
	}
}

func TestHistory(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 8))
	var recs []results.Record
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for c := 0; c < 24; c++ {
		rev := fmt.Sprintf("%02x%038d", c+1, c)
		scale := 1.0
		if c >= 15 {
			scale = 1.1 // a 10 % step at commit 15
		}
		for _, r := range runs(fmt.Sprintf("c%d", c), 2, scale, rng, map[string]string{"vcs_revision": rev, "vcs_time": t0.Add(time.Duration(c) * time.Hour).Format(time.RFC3339)}) {
			if r.Config.Ranks == 1 {
				recs = append(recs, r)
			}
		}
	}
	rng.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	in := filepath.Join(dir, "history.jsonl")
	writeJSONL(t, in, recs)
	out, errs, code := exe(t, nil, "history", in, "--metrics", "time_simulate", "--threshold", "2%")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := fmt.Sprintf("%02x%038d", 16, 15)[:12]
	if !strings.Contains(out, "1 change point(s)") || !strings.Contains(out, want) || !strings.Contains(out, "+1") {
		t.Errorf("history lacks the change at %s:\n%s", want, out)
	}
	page := filepath.Join(dir, "history.html")
	if _, errs, code := exe(t, nil, "history", in, "-o", page); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if b, err := os.ReadFile(page); err != nil || !strings.Contains(string(b), "<svg") {
		t.Errorf("history page: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.jsonl")
	os.WriteFile(empty, nil, 0o644)
	good := filepath.Join(dir, "good.jsonl")
	writeJSONL(t, good, runs("g", 2, 1, rand.New(rand.NewPCG(1, 1)), nil))
	tests := []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "give a results directory"},
		{[]string{good, "--by", "model,,ranks"}, 2, "--by: key list"},
		{[]string{good, "-o", "report.pdf"}, 2, "unknown format"},
		{[]string{good, "--by", "colour"}, 1, `key "colour"`},
		{[]string{"compare", good}, 2, "compare takes two inputs"},
		{[]string{"compare", good, good, "--fail-on-regression", "five"}, 2, `percentage "five"`},
		{[]string{"compare", good, good, "--alpha", "0"}, 2, "--alpha 0"},
		{[]string{"compare", "-", "-"}, 2, "cannot both be -"},
		{[]string{filepath.Join(dir, "missing")}, 1, "missing"},
		{[]string{empty}, 1, "empty.jsonl"},
		{[]string{good, "--metrics", "time_foo"}, 1, "none of the metrics time_foo is present"},
		{[]string{"history", good, "--min-size", "1"}, 2, "--min-size"},
		{[]string{good, "--figures", dir, "--figure-format", "gif"}, 2, "--figure-format"},
	}
	for _, tc := range tests {
		_, errs, code := exe(t, []byte{}, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) || strings.Contains(errs, "panic") {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
