package bench

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/snnkit/snnkit/internal/cmdtest"
	"github.com/snnkit/snnkit/pkg/results"
)

// toolDir holds the toolkit's binaries, built once by toolBins; TestMain
// removes it.
var (
	toolDir     string
	toolOnce    sync.Once
	toolBuilt   Bins
	toolErr     error
	toolSkipMsg string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if toolDir != "" {
		os.RemoveAll(toolDir)
	}
	os.Exit(code)
}

// toolBins builds snn-build, snn-run and snn-bench (without -tags mpi, so
// several ranks run in-process) once per test binary and returns them. It
// skips in -short mode and where the go command is missing.
func toolBins(t *testing.T) Bins {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the toolkit's binaries")
	}
	toolOnce.Do(func() {
		if _, err := exec.LookPath("go"); err != nil {
			toolSkipMsg = "the go command is not on $PATH"
			return
		}
		if toolDir, toolErr = cmdtest.Build("", "snn-build", "snn-run", "snn-bench"); toolErr != nil {
			return
		}
		toolBuilt, toolErr = FindBins(toolDir)
	})
	if toolSkipMsg != "" {
		t.Skip(toolSkipMsg)
	}
	if toolErr != nil {
		t.Fatalf("build the toolkit: %v", toolErr)
	}
	return toolBuilt
}

// e2eYAML is a small benchmark: 2 seeds × 2 rank counts of a 200-neuron
// Brunel network, 50 ms each.
const e2eYAML = `name: e2e
model: brunel
model_params: {N: 200}
seeds: [1, 2]
t_presim: 10
t_sim: 50
ranks: [1, 2]
`

// localPlan expands yaml for a plain machine named "test".
func localPlan(t *testing.T, yaml string) *Plan {
	t.Helper()
	return mustExpand(t, yaml, testMachine(t, ""))
}

// wrapperBin writes an executable that exits with status 3, after
// appending its arguments to NAME.calls, when any argument is failArg, and
// otherwise runs real.
func wrapperBin(t *testing.T, name, real, failArg string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	script := "#!/bin/bash\necho \"$*\" >> " + quoteMust(t, p+".calls") + "\nfor a in \"$@\"; do\n\tif [ \"$a\" = " + quoteMust(t, failArg) +
		" ]; then echo 'wrapper: failing on purpose' >&2; exit 3; fi\ndone\nexec " + quoteMust(t, real) + " \"$@\"\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// quoteMust is ShellQuote for values known to hold no NUL.
func quoteMust(t *testing.T, s string) string {
	t.Helper()
	q, err := ShellQuote(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// statesByName maps run names to their states.
func statesByName(t *testing.T, dir string) map[string]TaskStatus {
	t.Helper()
	st, err := Status(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]TaskStatus{}
	for _, s := range st {
		if s.Kind != "run" {
			t.Errorf("task %s of kind %q, want run", s.Name, s.Kind)
		}
		m[s.Name] = s
	}
	return m
}

// storeFiles counts the store's files.
func storeFiles(t *testing.T, dir string) int {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, results.StoreDir, "*"+results.StoreExt))
	if err != nil {
		t.Fatal(err)
	}
	return len(m)
}

func TestRunLocal(t *testing.T) {
	bins := toolBins(t)
	if bins.RunHasMPI {
		t.Fatal("snn-run built without -tags mpi reports MPI")
	}
	p := localPlan(t, e2eYAML)
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := RunLocal(context.Background(), p, dir, LocalOptions{Bins: bins, Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if sum.Total != 4 || sum.Ran != 4 || sum.Stored != 4 || sum.Reused != 0 || len(sum.Failed) != 0 {
		t.Errorf("summary %+v, want 4 ran and stored", sum)
	}
	for i, r := range p.Runs {
		if !strings.Contains(out.String(), "["+strconv.Itoa(i+1)+"/4] "+r.Name+": ok") {
			t.Errorf("progress lacks run %s:\n%s", r.Name, out.String())
		}
		res, err := results.Read(filepath.Join(dir, r.Result()))
		if err != nil {
			t.Fatal(err)
		}
		if res.Ranks != r.Config.Ranks || res.Seed != r.Config.Seed || res.TSim != 50 {
			t.Errorf("run %s: result of %d ranks, seed %d, t_sim %g", r.Name, res.Ranks, res.Seed, res.TSim)
		}
		log, err := os.ReadFile(filepath.Join(dir, r.Log()))
		if err != nil || !strings.HasPrefix(string(log), "snn-bench: "+bins.Run+" ") {
			t.Errorf("run %s log: %v %.80q", r.Name, err, log)
		}
	}
	if n := storeFiles(t, dir); n != 4 {
		t.Errorf("%d store files, want one per run", n)
	}
	checkStore := func() {
		t.Helper()
		recs, err := results.ReadStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		perRun := map[string][]results.Record{}
		for _, rec := range recs {
			perRun[rec.RunID] = append(perRun[rec.RunID], rec)
		}
		if len(perRun) != 4 || len(recs) != 1+1+2+2 {
			t.Fatalf("store holds %d records of %d runs, want 6 of 4", len(recs), len(perRun))
		}
		for id, rr := range perRun {
			c := rr[0].Config
			if c.Benchmark != "e2e" || c.Machine != "test" || c.Model != "brunel" || c.Params["N"] != "200" || c.Scaling != "strong" {
				t.Errorf("run %s: config %+v", id, c)
			}
			if len(rr) != c.Ranks {
				t.Errorf("run %s: %d records for %d ranks", id, len(rr), c.Ranks)
			}
			for i, rec := range rr {
				if rec.Rank != i || rec.Meta["model_digest"] == "" {
					t.Errorf("run %s record %d: rank %d, model digest %q", id, i, rec.Rank, rec.Meta["model_digest"])
				}
			}
		}
	}
	checkStore()
	for name, s := range statesByName(t, dir) {
		if s.State != StateDone {
			t.Errorf("run %s: %s, want done", name, s.State)
		}
	}

	// Again: every run is kept, nothing is added.
	out.Reset()
	sum, err = RunLocal(context.Background(), p, dir, LocalOptions{Bins: bins, Out: &out})
	if err != nil || sum.Reused != 4 || sum.Ran != 0 || sum.Stored != 0 {
		t.Errorf("second run: %+v, %v, want 4 reused", sum, err)
	}
	if strings.Contains(out.String(), "build ") || strings.Count(out.String(), "done before") != 4 {
		t.Errorf("second run's progress:\n%s", out.String())
	}
	checkStore()
	if cs, err := Collect(dir, nil); err != nil || *cs != (CollectSummary{Added: 0, Present: 4}) {
		t.Errorf("Collect: %+v, %v; want 0 added, 4 present", cs, err)
	}

	// Rerun: the runs run again on the networks already built, and each
	// new result is another store entry.
	out.Reset()
	sum, err = RunLocal(context.Background(), p, dir, LocalOptions{Bins: bins, Out: &out, Rerun: true})
	if err != nil || sum.Ran != 4 || sum.Stored != 4 || sum.Reused != 0 {
		t.Errorf("rerun: %+v, %v, want 4 ran and stored", sum, err)
	}
	if strings.Count(out.String(), "built before, reused") != 4 {
		t.Errorf("rerun rebuilt networks:\n%s", out.String())
	}
	if n := storeFiles(t, dir); n != 8 {
		t.Errorf("%d store files after the rerun, want 8", n)
	}
}

func TestRunLocalFailedRun(t *testing.T) {
	bins := toolBins(t)
	p := localPlan(t, e2eYAML)
	bad := &p.Runs[2]
	wrapped := bins
	wrapped.Run = wrapperBin(t, "snn-run", bins.Run, bad.Dir())
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	sum, err := RunLocal(context.Background(), p, dir, LocalOptions{Bins: wrapped})
	if err == nil || !strings.Contains(err.Error(), "1 of 4 runs failed") {
		t.Errorf("error %v, want 1 of 4 runs failed", err)
	}
	if sum == nil || sum.Ran != 3 || sum.Stored != 3 || len(sum.Failed) != 1 {
		t.Fatalf("summary %+v, want 3 ran, 1 failed", sum)
	}
	f := sum.Failed[0]
	if f.Run != bad.Name || f.Log != bad.Log() || !strings.Contains(f.Reason, "exited with status 3") {
		t.Errorf("failure %+v, want run %s, log %s, exit status 3", f, bad.Name, bad.Log())
	}
	if log, err := os.ReadFile(filepath.Join(dir, bad.Log())); err != nil || !strings.Contains(string(log), "failing on purpose") {
		t.Errorf("the failed run's log: %v %q", err, log)
	}
	marker := filepath.Join(dir, bad.Log()+FailedMarker)
	if b, err := os.ReadFile(marker); err != nil || !strings.Contains(string(b), "exited with status 3") {
		t.Errorf("failure marker: %v %q", err, b)
	}
	checkStates := func(failed string) {
		t.Helper()
		st := statesByName(t, dir)
		for _, r := range p.Runs {
			want := StateDone
			if r.Name == failed {
				want = StateFailed
			}
			if s := st[r.Name]; s.State != want || s.Log != r.Log() {
				t.Errorf("run %s: %s (log %s), want %s", r.Name, s.State, s.Log, want)
			}
		}
		if s := st[failed]; failed != "" && !strings.Contains(s.Reason, "exited with status 3") {
			t.Errorf("failed run's reason %q", s.Reason)
		}
	}
	checkStates(bad.Name)
	var text bytes.Buffer
	st, _ := Status(context.Background(), dir)
	if err := WriteStatus(&text, st); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "4 tasks: 3 done, 1 failed\n") || !strings.Contains(text.String(), "(snn-run exited with status 3)") {
		t.Errorf("WriteStatus:\n%s", text.String())
	}

	// Resume with the real snn-run: only the failed run runs, and its
	// failure record goes.
	sum, err = RunLocal(context.Background(), p, dir, LocalOptions{Bins: bins})
	if err != nil || sum.Ran != 1 || sum.Reused != 3 || sum.Stored != 1 {
		t.Errorf("resume: %+v, %v; want 1 ran, 3 reused", sum, err)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Errorf("failure marker kept after success: %v", err)
	}
	checkStates("")
}

func TestRunLocalFailedBuild(t *testing.T) {
	bins := toolBins(t)
	// Two thread counts: the failed network has two runs.
	p := localPlan(t, e2eYAML+"threads: [1, 2]\n")
	if len(p.Runs) != 8 || len(p.Networks) != 4 {
		t.Fatalf("%d runs of %d networks", len(p.Runs), len(p.Networks))
	}
	bad := &p.Networks[1]
	wrapped := bins
	wrapped.Build = wrapperBin(t, "snn-build", bins.Build, bad.Dir())
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := RunLocal(context.Background(), p, dir, LocalOptions{Bins: wrapped, Out: &out})
	if err == nil || !strings.Contains(err.Error(), "2 of 8 runs failed") {
		t.Errorf("error %v, want 2 of 8 runs failed", err)
	}
	if sum.Ran != 6 || len(sum.Failed) != 2 {
		t.Fatalf("summary %+v, want 6 ran, 2 failed", sum)
	}
	for _, f := range sum.Failed {
		var r *Run
		for i := range p.Runs {
			if p.Runs[i].Name == f.Run {
				r = &p.Runs[i]
			}
		}
		if r == nil || r.Net != bad.Key || f.Log != bad.Log() || !strings.Contains(f.Reason, "network "+bad.Key+" failed to build") {
			t.Errorf("failure %+v, want a run of network %s with log %s", f, bad.Key, bad.Log())
		}
		if _, err := os.Stat(filepath.Join(dir, r.Log()+FailedMarker)); err != nil {
			t.Errorf("run %s: no failure marker: %v", f.Run, err)
		}
	}
	if n := strings.Count(out.String(), "SKIPPED, its network did not build"); n != 2 {
		t.Errorf("%d skipped runs in the progress, want 2:\n%s", n, out.String())
	}
	// The failed network was tried once, not once per run.
	calls, err := os.ReadFile(wrapped.Build + ".calls")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(calls), bad.Dir()); n != 1 {
		t.Errorf("network %s built %d times, want 1", bad.Key, n)
	}
	if n := strings.Count(string(calls), "\n"); n != 4 {
		t.Errorf("%d builds, want one per network:\n%s", n, calls)
	}
	failed := 0
	for _, s := range statesByName(t, dir) {
		if s.State == StateFailed {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("status: %d failed, want 2", failed)
	}
}

func TestRunLocalCancelled(t *testing.T) {
	p := localPlan(t, e2eYAML)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, err := RunLocal(ctx, p, t.TempDir(), LocalOptions{Bins: Bins{Build: "/nonexistent/snn-build", Run: "/nonexistent/snn-run"}})
	if err == nil || !strings.Contains(err.Error(), "interrupted after 0 of 4 runs") {
		t.Errorf("error %v", err)
	}
	if sum == nil || sum.Ran != 0 || len(sum.Failed) != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// TestRunLocalMissingBinary: a binary that cannot start fails its runs.
func TestRunLocalMissingBinary(t *testing.T) {
	p := localPlan(t, e2eYAML)
	dir := t.TempDir()
	sum, err := RunLocal(context.Background(), p, dir, LocalOptions{Bins: Bins{Build: "/nonexistent/snn-build", Run: "/nonexistent/snn-run"}})
	if err == nil || len(sum.Failed) != 4 {
		t.Fatalf("summary %+v, %v; want 4 failed", sum, err)
	}
	if !strings.Contains(sum.Failed[0].Reason, "failed to build") {
		t.Errorf("reason %q", sum.Failed[0].Reason)
	}
	if log, err := os.ReadFile(filepath.Join(dir, p.Networks[0].Log())); err != nil || !strings.HasPrefix(string(log), "snn-bench: /nonexistent/snn-build --model brunel --set N=200 --seed 1 --ranks 1") {
		t.Errorf("build log: %v %q", err, log)
	}
}

func TestArgv(t *testing.T) {
	b := Bins{Build: "/b/snn-build", Run: "/b/snn-run", Bench: "/b/snn-bench"}
	n := &Net{Key: "k", Model: "brunel", Sets: []string{"N=200", "g=4"}, Seed: 7, Ranks: 2, Threads: 0}
	if got, want := strings.Join(n.BuildArgv(b), " "), "/b/snn-build --model brunel --set N=200 --set g=4 --seed 7 --ranks 2 --threads 1 --force -o nets/k"; got != want {
		t.Errorf("BuildArgv:\n got %s\nwant %s", got, want)
	}
	r := &Run{Name: "r", Net: "k", Config: results.RunConfig{Ranks: 2, Threads: 3, TPresim: 10, TSim: 0.5, Comm: "p2p", Backend: "cpu"}}
	tail := " --threads 3 --t-presim 10 --t-sim 0.5 --comm p2p --backend cpu --force -o runs/r"
	mpi := b
	mpi.RunHasMPI = true
	tests := []struct {
		name     string
		b        Bins
		launcher string
		args     []string
		want     string
	}{
		{"no MPI", b, "mpirun", []string{"--oversubscribe"}, "/b/snn-run nets/k --ranks 2" + tail},
		{"mpirun", mpi, "mpirun", []string{"--oversubscribe"}, "mpirun -np 2 --oversubscribe /b/snn-run nets/k" + tail},
		{"srun", mpi, "srun", nil, "srun -n 2 /b/snn-run nets/k" + tail},
		{"launcher none", mpi, "none", nil, "/b/snn-run nets/k --ranks 2" + tail},
	}
	for _, tt := range tests {
		if got := strings.Join(r.RunArgv(tt.b, n, tt.launcher, tt.args), " "); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestFindBins(t *testing.T) {
	bins := toolBins(t)
	dir := filepath.Dir(bins.Run)
	b, err := FindBins(dir)
	if err != nil {
		t.Fatal(err)
	}
	if b.Build != filepath.Join(dir, "snn-build") || b.Bench != filepath.Join(dir, "snn-bench") || b.RunHasMPI {
		t.Errorf("FindBins(%s) = %+v", dir, b)
	}
	if _, err := FindBins(t.TempDir()); err == nil || !strings.Contains(err.Error(), "snn-build not found in --bin") {
		t.Errorf("FindBins of an empty folder: %v", err)
	}
}
