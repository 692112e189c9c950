package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/internal/cmdtest"
	"github.com/snnkit/snnkit/pkg/bench"
)

// benchBin is snn-bench, built with snn-build and snn-run next to it (so it
// finds them without --bin) by TestMain.
var benchBin string

func TestMain(m *testing.M) {
	cmdtest.Main(m, func(dir string) { benchBin = filepath.Join(dir, "snn-bench") }, "", "snn-build", "snn-run", "snn-bench")
}

// snnBench runs snn-bench in dir with only the shipped machine profiles
// and returns its stdout, stderr and exit status.
func snnBench(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	home := t.TempDir()
	env := append(os.Environ(), bench.MachineDirsEnv+"=", "HOME="+home, "XDG_CONFIG_HOME="+home)
	return cmdtest.Cmd{Dir: dir, Env: env}.Run(t, benchBin, args...)
}

const cliYAML = `name: cli
model: brunel
model_params: {N: 200}
seeds: [1, 2]
t_presim: 10
t_sim: 50
ranks: [1, 2]
`

// TestCLI runs a small benchmark through every local command.
func TestCLI(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bench.yaml"), []byte(cliYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := snnBench(t, dir, args...)
		if code != 0 {
			t.Fatalf("snn-bench %s: exit %d\n%s", strings.Join(args, " "), code, errs)
		}
		return out
	}

	out := run("plan", "bench.yaml")
	var runLines []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			runLines = append(runLines, l)
		}
	}
	if len(runLines) != 4 || !strings.Contains(out, "# benchmark cli on machine local: 4 runs of 4 networks") {
		t.Errorf("plan: %d run lines, want 4:\n%s", len(runLines), out)
	}
	for _, l := range runLines {
		if !strings.HasPrefix(l, "cli-N200-r") || !strings.Contains(l, "model=brunel N=200") {
			t.Errorf("plan line %q", l)
		}
	}

	var p bench.Plan
	if err := json.Unmarshal([]byte(run("plan", "--json", "bench.yaml")), &p); err != nil {
		t.Fatalf("plan --json: %v", err)
	}
	if p.Format != bench.PlanFormat || len(p.Runs) != 4 || len(p.Networks) != 4 || p.Machine.Name != "local" {
		t.Errorf("plan --json: format %q, %d runs, %d networks, machine %q", p.Format, len(p.Runs), len(p.Networks), p.Machine.Name)
	}

	_, errs, code := snnBench(t, dir, "run", "bench.yaml", "-o", "res")
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, errs)
	}
	if !strings.Contains(errs, "4 runs: 4 ran, 0 kept from before, 0 failed; 4 added to res/store") {
		t.Errorf("run's summary:\n%s", errs)
	}
	out = run("status", "res")
	done := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "done ") && strings.Contains(l, " run ") {
			done++
		}
	}
	if done != 4 || !strings.HasSuffix(out, "4 tasks: 4 done\n") {
		t.Errorf("status:\n%s", out)
	}
	var st []bench.TaskStatus
	if err := json.Unmarshal([]byte(run("status", "--json", "res")), &st); err != nil || len(st) != 4 {
		t.Errorf("status --json: %d tasks, %v", len(st), err)
	}
	if out = run("collect", "res"); !strings.Contains(out, "0 added, 4 already in the store, 0 without a result") {
		t.Errorf("collect: %q", out)
	}

	out = run("export", "res", "--format", "jsonl")
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("jsonl line %d: %v: %q", n, err, sc.Text())
		}
		if rec["run_id"] == nil || rec["config"] == nil {
			t.Errorf("jsonl line %d lacks run_id or config", n)
		}
		n++
	}
	if n != 6 {
		t.Errorf("%d JSON lines, want one per rank of each run (6)", n)
	}

	out = run("export", "res", "--format", "gobench")
	bl := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			bl++
		}
	}
	if bl < 4 {
		t.Errorf("gobench: %d Benchmark lines, want one per run at least:\n%s", bl, out)
	}
	run("export", "res", "--format", "jsonl", "-o", "out.jsonl")
	if b, err := os.ReadFile(filepath.Join(dir, "out.jsonl")); err != nil || strings.Count(string(b), "\n") != 6 {
		t.Errorf("export -o: %v, %d lines", err, strings.Count(string(b), "\n"))
	}

	// Running again resumes: nothing runs.
	_, errs, code = snnBench(t, dir, "run", "bench.yaml", "-o", "res")
	if code != 0 || !strings.Contains(errs, "0 ran, 4 kept from before") {
		t.Errorf("second run: exit %d\n%s", code, errs)
	}
	// Another benchmark into the same folder needs --force.
	os.WriteFile(filepath.Join(dir, "other.yaml"), []byte(strings.Replace(cliYAML, "seeds: [1, 2]", "seeds: [3]", 1)), 0o644)
	if _, errs, code := snnBench(t, dir, "run", "other.yaml", "-o", "res"); code != 1 || !strings.Contains(errs, "--force") {
		t.Errorf("another plan: exit %d\n%s", code, errs)
	}
}

func TestCLIErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(strings.Replace(cliYAML, "ranks:", "rank:", 1)), 0o644)
	os.WriteFile(filepath.Join(dir, "bench.yaml"), []byte(cliYAML), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad config", []string{"plan", "bad.yaml"}, 1, "bad.yaml:7: rank: unknown key"},
		{"bad config run", []string{"run", "bad.yaml", "-o", "res"}, 1, "bad.yaml"},
		{"missing config", []string{"plan", "missing.yaml"}, 1, "missing.yaml"},
		{"unknown machine", []string{"plan", "bench.yaml", "--machine", "nosuch"}, 1, `machine "nosuch"`},
		{"no command", nil, 2, "give a command"},
		{"unknown command", []string{"plna", "bench.yaml"}, 2, `unknown command "plna"`},
		{"help", []string{"--help"}, 0, ""},
		{"two configs", []string{"plan", "bench.yaml", "bad.yaml"}, 2, "give one benchmark config"},
		{"status without folder", []string{"status"}, 2, "give one results directory"},
		{"collect without folder", []string{"collect"}, 2, "give one results directory"},
		{"export bad format", []string{"export", "res", "--format", "csv"}, 2, `--format "csv"`},
		{"status of no results", []string{"status", "."}, 1, "not a snn-bench results directory"},
		{"export of no store", []string{"export", "."}, 1, "no *.parquet files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := snnBench(t, dir, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, want %d; stderr lacks %q?\n%s", code, tt.code, tt.want, errs)
			}
		})
	}
}
