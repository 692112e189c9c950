//go:build slurm

// Tests against a real SLURM cluster: make test-slurm starts a one-node
// cluster on loopback (scripts/slurm-local.sh), exports SLURM_CONF and runs
// them with the binaries of bin/ ($SNNKIT_BIN) and SNNKIT_REQUIRE_SLURM=1.
// Elsewhere they skip where sbatch or a cluster is absent.

package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/results"
)

// slurmWaitTimeout bounds how long a test waits for its jobs to end.
const slurmWaitTimeout = 3 * time.Minute

// requireSlurm returns the toolkit's binaries ($SNNKIT_BIN, see FindBins)
// when sbatch is installed and the cluster answers sinfo; otherwise the test
// skips, or fails when SNNKIT_REQUIRE_SLURM=1.
func requireSlurm(t *testing.T) Bins {
	t.Helper()
	absent := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if os.Getenv("SNNKIT_REQUIRE_SLURM") == "1" {
			t.Fatalf("SNNKIT_REQUIRE_SLURM=1, but %s", msg)
		}
		t.Skipf("skipping the real-SLURM test: %s (make test-slurm starts a local cluster)", msg)
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		absent("sbatch not found (install slurm-wlm: make deps)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "sinfo", "-h", "-o", "%T").CombinedOutput()
	if msg := strings.TrimSpace(string(out)); err != nil || msg == "" {
		// sinfo's last line says why (e.g. "fatal: Could not establish a configuration source").
		absent("no SLURM cluster answers sinfo (SLURM_CONF=%q): %v: %s", os.Getenv("SLURM_CONF"), err, msg[strings.LastIndexByte(msg, '\n')+1:])
	}
	bins, err := FindBins(os.Getenv("SNNKIT_BIN"))
	if err != nil {
		absent("the toolkit's binaries: %v (set SNNKIT_BIN to the folder make build fills)", err)
	}
	return bins
}

// slurmSubmitted is a benchmark submitted to the cluster.
type slurmSubmitted struct {
	dir  string
	plan *Plan
	jobs *SlurmJobs
}

// expandSlurm parses the config and expands it for the local-slurm machine.
func expandSlurm(t *testing.T, config string) *Plan {
	t.Helper()
	c, err := ParseConfig("slurm-test.yaml", []byte(config))
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadMachine("local-slurm")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Expand(c, m)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// submitSlurm prepares a results directory for p, renders and writes its
// job scripts with bins and submits them. The jobs are cancelled when the
// test ends, before its temporary directory goes.
func submitSlurm(t *testing.T, p *Plan, bins Bins) *slurmSubmitted {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "results")
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := Render(p, tmpl, bins)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteScripts(dir, scripts); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	rec, err := Submit(context.Background(), dir, scripts, SubmitOptions{Log: &log})
	if rec != nil && len(rec.Jobs) > 0 {
		t.Cleanup(func() {
			ids := make([]string, len(rec.Jobs))
			for i, j := range rec.Jobs {
				ids[i] = j.JobID
			}
			exec.Command("scancel", ids...).Run()
			// Let the cancelled jobs stop writing into the folder.
			deadline := time.Now().Add(15 * time.Second)
			for time.Now().Before(deadline) {
				out, _ := exec.Command("squeue", "-h", "-o", "%i", "-j", strings.Join(ids, ",")).Output()
				if strings.TrimSpace(string(out)) == "" {
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("submitted:\n%s", log.String())
	if len(rec.Jobs) != len(scripts) {
		t.Fatalf("submitted %d jobs, rendered %d scripts", len(rec.Jobs), len(scripts))
	}
	return &slurmSubmitted{dir: dir, plan: p, jobs: rec}
}

// wait polls Status until no task is pending or running and returns the
// last status; on a timeout it fails the test with the status and logs.
func (s *slurmSubmitted) wait(t *testing.T) []TaskStatus {
	t.Helper()
	t0 := time.Now()
	deadline := t0.Add(slurmWaitTimeout)
	for {
		st, err := Status(context.Background(), s.dir)
		if err != nil {
			t.Fatal(err)
		}
		n := CountStates(st)
		if n[StatePending]+n[StateRunning] == 0 {
			t.Logf("all %d tasks ended after %s", len(st), time.Since(t0).Round(100*time.Millisecond))
			return st
		}
		if time.Now().After(deadline) {
			s.dump(t, st)
			t.Fatalf("tasks still pending or running after %s", slurmWaitTimeout)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// dump logs the status and the tail of every task's log and SLURM output.
func (s *slurmSubmitted) dump(t *testing.T, st []TaskStatus) {
	t.Helper()
	var b strings.Builder
	WriteStatus(&b, st)
	for _, ts := range st {
		for _, f := range []string{ts.Log, ts.Output} {
			if data, err := os.ReadFile(filepath.Join(s.dir, f)); err == nil {
				lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
				fmt.Fprintf(&b, "--- %s (last lines)\n%s\n", f, strings.Join(lines[max(0, len(lines)-15):], "\n"))
			}
		}
	}
	t.Logf("status of %s:\n%s", s.dir, b.String())
}

// byName indexes a status by task name.
func byName(t *testing.T, st []TaskStatus) map[string]TaskStatus {
	t.Helper()
	m := map[string]TaskStatus{}
	for _, ts := range st {
		if _, dup := m[ts.Name]; dup {
			t.Errorf("status lists task %s twice", ts.Name)
		}
		m[ts.Name] = ts
	}
	return m
}

// jobIDs maps each network key to its build job and run array job IDs and
// returns the collect job.
func jobIDs(t *testing.T, rec *SlurmJobs) (build, run map[string]string, collect *SlurmJob) {
	t.Helper()
	build, run = map[string]string{}, map[string]string{}
	for i := range rec.Jobs {
		j := &rec.Jobs[i]
		switch j.Kind {
		case "build":
			build[j.Network] = j.JobID
		case "run":
			if _, dup := run[j.Network]; dup {
				t.Errorf("network %s has two run arrays (one thread count was asked for)", j.Network)
			}
			run[j.Network] = j.JobID
		case "collect":
			collect = j
		}
	}
	if collect == nil {
		t.Fatal("jobs.json has no collect job")
	}
	return build, run, collect
}

// arrayIndex is the index of run r in its network's run array.
func arrayIndex(t *testing.T, rec *SlurmJobs, r *Run) int {
	t.Helper()
	for _, job := range rec.Jobs {
		if job.Kind != "run" || job.Network != r.Net {
			continue
		}
		for _, task := range job.Tasks {
			if task.Name == r.Name {
				return task.Index
			}
		}
	}
	t.Fatalf("jobs.json: no run array holds %s", r.Name)
	return -1
}

// TestSlurmSubmitMatrix submits a matrix of 2 networks sizes × 2 seeds ×
// ranks 1 and 2 (8 runs of 4 networks; 2-rank runs under srun with PMIx) and
// checks the jobs' dependencies, their end states, the store's records and
// that the 2-rank runs ran in two processes.
func TestSlurmSubmitMatrix(t *testing.T) {
	bins := requireSlurm(t)
	p := expandSlurm(t, `name: slurm-smoke
model: brunel
model_params: {N: [200, 400]}
seeds: [1, 2]
t_presim: 10
t_sim: 50
ranks: [1, 2]
threads: [1]
`)
	// Each size, seed and rank count is its own network.
	if len(p.Networks) != 8 || len(p.Runs) != 8 {
		t.Fatalf("plan: %d networks, %d runs; want 8 and 8", len(p.Networks), len(p.Runs))
	}
	if p.Slurm.Launcher != "srun" {
		t.Fatalf("local-slurm launcher %q, want srun", p.Slurm.Launcher)
	}
	s := submitSlurm(t, p, bins)

	// jobs.json as status and collect read it back.
	rec, err := ReadSlurmJobs(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	build, run, collect := jobIDs(t, rec)
	var runJobs []string
	for _, j := range rec.Jobs {
		if j.Kind == "run" {
			runJobs = append(runJobs, j.JobID)
			if want := "afterok:" + build[j.Network]; build[j.Network] == "" || j.Dependency != want {
				t.Errorf("run array %s (%s): dependency %q, want %q", j.JobID, j.Network, j.Dependency, want)
			}
		}
		if j.Kind == "build" && j.Dependency != "" {
			t.Errorf("build job %s depends on %q", j.JobID, j.Dependency)
		}
	}
	if len(build) != len(p.Networks) || len(run) != len(p.Networks) {
		t.Errorf("jobs.json: %d build jobs and %d run arrays for %d networks", len(build), len(run), len(p.Networks))
	}
	if want := "afterany:" + strings.Join(runJobs, ":"); collect.Dependency != want {
		t.Errorf("collect job: dependency %q, want %q", collect.Dependency, want)
	}

	st := s.wait(t)
	if want := len(p.Networks) + len(p.Runs) + 1; len(st) != want {
		t.Errorf("status lists %d tasks, want %d (builds, runs, collect)", len(st), want)
	}
	bad := false
	for _, ts := range st {
		if ts.State != StateDone {
			t.Errorf("%s %s (job %s): %s (%s %s %s), want done", ts.Kind, ts.Name, ts.JobID, ts.State, ts.SlurmState, ts.Reason, ts.ExitCode)
			bad = true
		}
	}
	if bad {
		s.dump(t, st)
		t.FailNow()
	}
	tasks := byName(t, st)
	if c := tasks["collect"]; c.Kind != "collect" || c.JobID != collect.JobID {
		t.Errorf("collect task: %+v, want job %s", c, collect.JobID)
	}

	recs, err := results.ReadStore(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	byRun := map[string][]results.Record{}
	for _, r := range recs {
		byRun[r.RunID] = append(byRun[r.RunID], r)
	}
	wantRecs := 0
	for i := range p.Runs {
		r := &p.Runs[i]
		wantRecs += r.Config.Ranks
		t.Run(r.Name, func(t *testing.T) {
			res, err := results.Read(filepath.Join(s.dir, r.Result()))
			if err != nil {
				t.Fatal(err)
			}
			if res.Ranks != r.Config.Ranks {
				t.Errorf("result rank_count %d, want %d", res.Ranks, r.Config.Ranks)
			}
			if len(res.RankResults) != r.Config.Ranks {
				t.Errorf("result lists %d ranks, want %d", len(res.RankResults), r.Config.Ranks)
			}
			// Under srun each rank is its own process; without MPI the
			// ranks share one.
			pids := map[int]bool{}
			for _, rk := range res.RankResults {
				pids[rk.PID] = true
			}
			wantProcs := 1
			if bins.RunHasMPI {
				wantProcs = r.Config.Ranks
			}
			if len(pids) != wantProcs || pids[0] {
				t.Errorf("ranks ran in processes %v, want %d distinct PIDs (snn-run with MPI: %v)", pids, wantProcs, bins.RunHasMPI)
			}
			if wantProcs > 1 {
				// The run array's script starts the ranks with srun.
				script, err := os.ReadFile(filepath.Join(s.dir, SlurmDir, "run-"+r.Net+"-t1.sbatch"))
				if err != nil {
					t.Fatal(err)
				}
				if want := "'srun' '-n' '2' '" + bins.Run + "'"; !strings.Contains(string(script), want) {
					t.Errorf("run script lacks %s:\n%s", want, script)
				}
				t.Logf("%d ranks under srun in processes %v (MPI library %q)", r.Config.Ranks, pids, res.Meta.MPILibrary)
			}
			got := byRun[results.RunID(res)]
			if len(got) != r.Config.Ranks {
				t.Fatalf("store holds %d records of the run, want %d (one per rank)", len(got), r.Config.Ranks)
			}
			index := arrayIndex(t, rec, r)
			ranks := map[int]bool{}
			for _, g := range got {
				ranks[g.Rank] = true
				if g.Config.Ranks != r.Config.Ranks || g.Config.Benchmark != "slurm-smoke" || g.Config.Machine != "local-slurm" {
					t.Errorf("rank %d: config %+v, want ranks %d of slurm-smoke on local-slurm", g.Rank, g.Config, r.Config.Ranks)
				}
				if g.Meta["slurm_job_id"] == "" {
					t.Errorf("rank %d: no slurm_job_id in the metadata %v", g.Rank, g.Meta)
				}
				if g.Meta["slurm_array_job_id"] != run[r.Net] || g.Meta["slurm_array_task_id"] != strconv.Itoa(index) {
					t.Errorf("rank %d: ran as array job %s task %s, want %s task %d", g.Rank, g.Meta["slurm_array_job_id"], g.Meta["slurm_array_task_id"], run[r.Net], index)
				}
			}
			if len(ranks) != r.Config.Ranks {
				t.Errorf("records of ranks %v, want 0..%d", ranks, r.Config.Ranks-1)
			}
		})
	}
	if len(recs) != wantRecs {
		t.Errorf("store holds %d records, want %d (one per run and rank)", len(recs), wantRecs)
	}

	// The collect job stored everything: collecting again adds nothing.
	sum, err := Collect(s.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *sum != (CollectSummary{Added: 0, Present: len(p.Runs)}) {
		t.Errorf("collect again: %+v, want 0 added, %d present", *sum, len(p.Runs))
	}
}

// failingWrapper writes an executable script into dir that exits 3 when one
// of its arguments is failArg and runs real with its arguments otherwise.
func failingWrapper(t *testing.T, dir, name, real, failArg string) string {
	t.Helper()
	q := func(s string) string {
		v, err := ShellQuote(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	path := filepath.Join(dir, name)
	script := fmt.Sprintf(`#!/bin/bash
for a in "$@"; do
	if [ "$a" = %s ]; then
		echo "wrapper: failing on purpose for $a" >&2
		exit 3
	fi
done
exec %s "$@"
`, q(failArg), q(real))
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSlurmFailedJob: one network's build fails, so its run array is
// cancelled (its dependency can never be satisfied) while the other
// network's runs go on; one of those fails. Status names both failures and
// their logs, and the collect job still runs (afterany) and stores the run
// that succeeded.
func TestSlurmFailedJob(t *testing.T) {
	bins := requireSlurm(t)
	p := expandSlurm(t, `name: slurm-fail
model: brunel
model_params: {N: [200]}
seeds: [1, 2]
t_presim: 10
t_sim: 50
ranks: [1]
comm: [collective, p2p]
`)
	if len(p.Networks) != 2 || len(p.Runs) != 4 {
		t.Fatalf("plan: %d networks, %d runs; want 2 and 4", len(p.Networks), len(p.Runs))
	}
	badNet, goodNet := &p.Networks[0], &p.Networks[1]
	var badRun, goodRun *Run
	for i := range p.Runs {
		r := &p.Runs[i]
		if r.Net == goodNet.Key {
			if r.Config.Comm == "p2p" {
				badRun = r
			} else {
				goodRun = r
			}
		}
	}
	if badRun == nil || goodRun == nil {
		t.Fatalf("plan lacks runs of network %s with comm collective and p2p", goodNet.Key)
	}
	// The jobs run on this host, so wrappers in a temporary folder work.
	wrap := t.TempDir()
	failing := bins
	failing.Build = failingWrapper(t, wrap, "snn-build", bins.Build, badNet.Dir())
	failing.Run = failingWrapper(t, wrap, "snn-run", bins.Run, badRun.Dir())
	s := submitSlurm(t, p, failing)
	build, run, collect := jobIDs(t, s.jobs)

	st := s.wait(t)
	tasks := byName(t, st)
	defer func() {
		if t.Failed() {
			s.dump(t, st)
		}
	}()
	logHas := func(ts TaskStatus, want string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(s.dir, ts.Log))
		if err != nil {
			t.Errorf("%s: log: %v", ts.Name, err)
		} else if !strings.Contains(string(b), want) {
			t.Errorf("%s: log %s lacks %q:\n%s", ts.Name, ts.Log, want, b)
		}
	}

	for _, tc := range []struct {
		name, kind, jobID, state string
		// reason is a substring of SLURM's reason; exit SLURM's exit code.
		reason, exit, log string
	}{
		{"build-" + badNet.Key, "build", build[badNet.Key], StateFailed, "NonZeroExitCode", "3:0", badNet.Log()},
		{"build-" + goodNet.Key, "build", build[goodNet.Key], StateDone, "", "0:0", goodNet.Log()},
		{badRun.Name, "run", run[goodNet.Key] + "_" + strconv.Itoa(arrayIndex(t, s.jobs, badRun)), StateFailed, "NonZeroExitCode", "3:0", badRun.Log()},
		{goodRun.Name, "run", run[goodNet.Key] + "_" + strconv.Itoa(arrayIndex(t, s.jobs, goodRun)), StateDone, "", "0:0", goodRun.Log()},
		{"collect", "collect", collect.JobID, StateDone, "", "0:0", filepath.Join(LogsDir, "collect.log")},
	} {
		ts, ok := tasks[tc.name]
		if !ok {
			t.Errorf("status lacks task %s", tc.name)
			continue
		}
		if ts.Kind != tc.kind || ts.JobID != tc.jobID || ts.State != tc.state || !strings.Contains(ts.Reason, tc.reason) || ts.ExitCode != tc.exit || ts.Log != tc.log {
			t.Errorf("%s: %s job %s %s (%s, reason %q, exit %s), log %s; want %s job %s %s (reason %q, exit %s), log %s",
				tc.name, ts.Kind, ts.JobID, ts.State, ts.SlurmState, ts.Reason, ts.ExitCode, ts.Log, tc.kind, tc.jobID, tc.state, tc.reason, tc.exit, tc.log)
		}
	}
	logHas(tasks["build-"+badNet.Key], "wrapper: failing on purpose for "+badNet.Dir())
	logHas(tasks[badRun.Name], "wrapper: failing on purpose for "+badRun.Dir())
	// SLURM's output of the failed task names the command's log.
	if b, err := os.ReadFile(filepath.Join(s.dir, tasks[badRun.Name].Output)); err != nil {
		t.Errorf("SLURM output of %s: %v", badRun.Name, err)
	} else if want := badRun.Name + " failed with exit status 3; last lines of " + badRun.Log(); !strings.Contains(string(b), want) {
		t.Errorf("SLURM output %s lacks %q:\n%s", tasks[badRun.Name].Output, want, b)
	}

	// The failed network's runs never started: cancelled, as their
	// dependency can never be satisfied.
	for _, r := range p.Runs {
		if r.Net != badNet.Key {
			continue
		}
		ts := tasks[r.Name]
		if ts.State != StateCancelled || !strings.Contains(ts.Reason, "Dependency") || ts.JobID == "" {
			t.Errorf("%s: %s (%s, reason %q, job %s); want cancelled for its dependency", r.Name, ts.State, ts.SlurmState, ts.Reason, ts.JobID)
		}
		if _, err := os.Stat(filepath.Join(s.dir, r.Result())); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a cancelled run left a result (%v)", r.Name, err)
		}
	}

	var out strings.Builder
	if err := WriteStatus(&out, st); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d tasks: 3 done, 2 failed, 2 cancelled", len(st)); !strings.Contains(out.String(), want) {
		t.Errorf("status summary lacks %q:\n%s", want, out.String())
	}

	// The collect job stored the one run that succeeded.
	recs, err := results.ReadStore(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Config.Comm != "collective" || recs[0].Config.Seed != goodNet.Seed {
		t.Errorf("store: %d records %+v, want the one of %s", len(recs), recs, goodRun.Name)
	}
	sum, err := Collect(s.dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *sum != (CollectSummary{Present: 1, Missing: 3}) {
		t.Errorf("collect again: %+v, want 1 present, 3 missing", *sum)
	}
}
