package bench

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// threeJobs: a build, its run array (afterok) and the collect (afterany).
func threeJobs() []SlurmScript {
	b := hostileJob("build", 1)
	b.Network = "brunel-0123456789ab"
	r := hostileJob("run", 2)
	r.Network = b.Network
	r.Output = "slurm/run-%A_%a.out"
	c := hostileJob("collect", 1)
	return []SlurmScript{
		{Job: *b, Path: "slurm/build.sbatch", Text: "#!/bin/bash\necho build\n"},
		{Job: *r, Path: "slurm/run.sbatch", Text: "#!/bin/bash\necho run\n", After: []int{0}},
		{Job: *c, Path: "slurm/collect.sbatch", Text: "#!/bin/bash\necho collect\n", After: []int{1}, AfterAny: true},
	}
}

// fakeSlurm replaces slurmCommand for one test.
func fakeSlurm(t *testing.T, f func(dir, name string, args []string) ([]byte, error)) {
	t.Helper()
	old := slurmCommand
	slurmCommand = func(_ context.Context, dir, name string, args ...string) ([]byte, error) {
		return f(dir, name, args)
	}
	t.Cleanup(func() { slurmCommand = old })
}

func TestSubmitOrderAndRecord(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, SlurmDir), 0o755)
	var calls [][]string
	next := 41
	fakeSlurm(t, func(d, name string, args []string) ([]byte, error) {
		if d != dir || name != "sbatch" {
			t.Errorf("ran %s in %s", name, d)
		}
		calls = append(calls, args)
		next++
		return []byte(strconv.Itoa(next) + ";cluster\n"), nil
	})
	var log bytes.Buffer
	rec, err := Submit(context.Background(), dir, threeJobs(), SubmitOptions{Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"--parsable", "slurm/build.sbatch"},
		{"--parsable", "--dependency=afterok:42", "slurm/run.sbatch"},
		{"--parsable", "--dependency=afterany:43", "slurm/collect.sbatch"},
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("sbatch calls\n got %q\nwant %q", calls, want)
	}
	back, err := ReadSlurmJobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Jobs, rec.Jobs) || len(back.Jobs) != 3 || back.Jobs[1].JobID != "43" || len(back.Jobs[1].Tasks) != 2 {
		t.Errorf("jobs.json: %+v", back.Jobs)
	}
	for _, w := range []string{"42 ", "build brunel-0123456789ab", "run brunel-0123456789ab (array of 2)", "--dependency=afterany:43"} {
		if !strings.Contains(log.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, log.String())
		}
	}
}

func TestSubmitFailureKeepsSubmitted(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, SlurmDir), 0o755)
	n := 0
	fakeSlurm(t, func(_, _ string, args []string) ([]byte, error) {
		n++
		if n == 2 {
			return nil, errors.New("sbatch: error: invalid partition")
		}
		return []byte("7\n"), nil
	})
	_, err := Submit(context.Background(), dir, threeJobs(), SubmitOptions{})
	if err == nil || !strings.Contains(err.Error(), "slurm/run.sbatch (2 of 3") || !strings.Contains(err.Error(), "invalid partition") {
		t.Fatalf("error: %v", err)
	}
	rec, err := ReadSlurmJobs(dir)
	if err != nil || len(rec.Jobs) != 1 || rec.Jobs[0].JobID != "7" {
		t.Errorf("jobs.json after a failed submission: %+v, %v", rec, err)
	}
}

func TestParseSbatchID(t *testing.T) {
	for in, want := range map[string]string{"12\n": "12", "12;cl\n": "12", "warning: x\n13\n": "13"} {
		if got, err := parseSbatchID(in); err != nil || got != want {
			t.Errorf("parseSbatchID(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "Submitted batch job 12", "x;y"} {
		if _, err := parseSbatchID(in); err == nil {
			t.Errorf("parseSbatchID(%q) accepted", in)
		}
	}
}

func TestDryRunIsAShellScript(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDryRun(&b, "/tmp/res dir/x's", threeJobs()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{"##### slurm/build.sbatch\n#!/bin/bash\necho build", "cd '/tmp/res dir/x'\\''s' || exit 1",
		"job1=$(sbatch --parsable --dependency=afterok:${job0%%;*} 'slurm/run.sbatch') || exit 1",
		"job2=$(sbatch --parsable --dependency=afterany:${job1%%;*} 'slurm/collect.sbatch') || exit 1"} {
		if !strings.Contains(out, w) {
			t.Errorf("dry run lacks %q:\n%s", w, out)
		}
	}
	_, lines, _ := strings.Cut(out, "##### sbatch lines (not submitted)\n")
	if o, err := exec.Command("bash", "-n", "-c", lines).CombinedOutput(); err != nil {
		t.Errorf("the sbatch lines are not valid shell: %v %s", err, o)
	}
	bad := threeJobs()
	bad[1].After = []int{2}
	if err := WriteDryRun(&b, "r", bad); err == nil {
		t.Error("a dependency on a later job was accepted")
	}
}

func TestSlurmStatusMapping(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, SlurmDir), 0o755)
	scripts := threeJobs()
	scripts[0].Job.Tasks[0].Dir = "nets/brunel-0123456789ab"
	scripts[1].Job.Tasks[0].Dir = "runs/task-0"
	scripts[1].Job.Tasks[1].Dir = "runs/task-1"
	rec := &SlurmJobs{}
	for i, id := range []string{"10", "11", "14"} {
		rec.Jobs = append(rec.Jobs, slurmJobRecord(&scripts[i], id, ""))
	}
	if err := rec.write(dir); err != nil {
		t.Fatal(err)
	}
	// The build's record expired but it left its manifest; the array's
	// index 0 ran, index 1 failed; collect is pending.
	os.MkdirAll(filepath.Join(dir, "nets/brunel-0123456789ab"), 0o755)
	os.WriteFile(filepath.Join(dir, "nets/brunel-0123456789ab/manifest.json"), []byte("{}"), 0o644)
	fakeSlurm(t, func(_, name string, args []string) ([]byte, error) {
		switch args[len(args)-1] {
		case "10":
			return nil, errors.New("scontrol show job -o 10: exit status 1: slurm_load_jobs error: Invalid job id specified")
		case "11":
			return []byte("JobId=12 ArrayJobId=11 ArrayTaskId=0 JobState=COMPLETED Reason=None ExitCode=0:0\nJobId=13 ArrayJobId=11 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode ExitCode=1:0\n"), nil
		case "14":
			return []byte("JobId=14 JobState=PENDING Reason=Dependency ExitCode=0:0\n"), nil
		}
		return nil, errors.New("unexpected")
	})
	st, err := SlurmStatus(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []TaskStatus{
		{Kind: "build", Network: "brunel-0123456789ab", Name: "task-0", JobID: "10", State: StateDone, Log: "logs/task-0.log", Output: "slurm/build-10.out"},
		{Kind: "run", Network: "brunel-0123456789ab", Name: "task-0", JobID: "11_0", State: StateDone, SlurmState: "COMPLETED", Reason: "None", ExitCode: "0:0", Log: "logs/task-0.log", Output: "slurm/run-11_0.out"},
		{Kind: "run", Network: "brunel-0123456789ab", Name: "task-1", JobID: "11_1", State: StateFailed, SlurmState: "FAILED", Reason: "NonZeroExitCode", ExitCode: "1:0", Log: "logs/task-1.log", Output: "slurm/run-11_1.out"},
		{Kind: "collect", Name: "task-0", JobID: "14", State: StatePending, SlurmState: "PENDING", Reason: "Dependency", ExitCode: "0:0", Log: "logs/task-0.log", Output: "slurm/collect-14.out"},
	}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("status\n got %+v\nwant %+v", st, want)
	}
	if n := CountStates(st); n[StateDone] != 2 || n[StateFailed] != 1 || n[StatePending] != 1 {
		t.Errorf("counts %v", n)
	}
	fakeSlurm(t, func(_, _ string, _ []string) ([]byte, error) {
		return nil, errors.New("scontrol: error: Unable to contact slurm controller")
	})
	if _, err := SlurmStatus(context.Background(), dir); err == nil || !strings.Contains(err.Error(), "Unable to contact") {
		t.Errorf("an unreachable controller: %v", err)
	}
	if _, err := SlurmStatus(context.Background(), t.TempDir()); err == nil || !strings.Contains(err.Error(), "nothing was submitted") {
		t.Errorf("no jobs.json: %v", err)
	}
}

func TestSlurmOutputPath(t *testing.T) {
	for _, tc := range []struct{ p, arr, job, want string }{
		{"slurm/run-%A_%a.out", "11", "13", "slurm/run-11_3.out"},
		{"slurm/b-%j.out", "10", "", "slurm/b-10.out"},
		{"slurm/b-%j-%%-%x.out", "10", "12", "slurm/b-12-%-%x.out"},
		{"trailing%", "1", "", "trailing%"},
	} {
		if got := slurmOutputPath(tc.p, tc.arr, tc.job, 3); got != tc.want {
			t.Errorf("slurmOutputPath(%q) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
