package bench

import (
	"reflect"
	"testing"
)

// scontrolSample is real `scontrol show job -o` output from the local
// cluster (shortened): an array with finished tasks and a pending remainder,
// a failed job and a job cancelled by its failed dependency.
const scontrolSample = `JobId=7 ArrayJobId=2 ArrayTaskId=1 JobName=wrap UserId=root(0) JobState=COMPLETED Reason=None Dependency=(null) ExitCode=0:0 WorkDir=/tmp/with space StdOut=/tmp/slc1/arr-2_1.out
JobId=2 ArrayJobId=2 ArrayTaskId=2-5%2 JobName=wrap UserId=root(0) JobState=PENDING Reason=JobArrayTaskLimit Dependency=(null) ExitCode=0:0
JobId=4 JobName=wrap UserId=root(0) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) ExitCode=3:0
JobId=5 JobName=wrap UserId=root(0) JobState=CANCELLED Reason=DependencyNeverSatisfied Dependency=afterok:4(failed) ExitCode=0:0

`

func TestParseScontrolJobs(t *testing.T) {
	got, err := parseScontrolJobs(scontrolSample)
	if err != nil {
		t.Fatal(err)
	}
	want := []slurmJob{
		{JobID: "7", ArrayJobID: "2", Tasks: []int{1}, State: "COMPLETED", Reason: "None", ExitCode: "0:0"},
		{JobID: "2", ArrayJobID: "2", Tasks: []int{2, 3, 4, 5}, State: "PENDING", Reason: "JobArrayTaskLimit", ExitCode: "0:0"},
		{JobID: "4", State: "FAILED", Reason: "NonZeroExitCode", ExitCode: "3:0"},
		{JobID: "5", State: "CANCELLED", Reason: "DependencyNeverSatisfied", ExitCode: "0:0"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if _, err := parseScontrolJobs("JobId=3 JobName=x"); err == nil {
		t.Error("a line without JobState was accepted")
	}
	if _, err := parseScontrolJobs("JobId=3 ArrayTaskId=x-1 JobState=PENDING"); err == nil {
		t.Error("a bad ArrayTaskId was accepted")
	}
}

func TestParseArrayTasks(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []int
		ok   bool
	}{
		{"3", []int{3}, true},
		{"0-3", []int{0, 1, 2, 3}, true},
		{"1,3-4", []int{1, 3, 4}, true},
		{"0-7%2", []int{0, 1, 2, 3, 4, 5, 6, 7}, true},
		{"0-6:3", []int{0, 3, 6}, true},
		{"", nil, false},
		{"a", nil, false},
		{"4-2", nil, false},
		{"-1", nil, false},
		{"0-4:0", nil, false},
		{"0-99999999999", nil, false},
	} {
		got, err := parseArrayTasks(tc.in)
		if (err == nil) != tc.ok || (tc.ok && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("parseArrayTasks(%q) = %v, %v; want %v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseScontrolJobs(f *testing.F) {
	f.Add(scontrolSample)
	f.Add("JobId=1 ArrayTaskId=0-3:2%1 JobState=PENDING")
	f.Add("JobId= JobState=")
	f.Fuzz(func(t *testing.T, s string) {
		jobs, err := parseScontrolJobs(s)
		if err != nil {
			return
		}
		for _, j := range jobs {
			if j.JobID == "" || j.State == "" || len(j.Tasks) > maxArrayTasks {
				t.Fatalf("bad job %+v from %q", j, s)
			}
		}
	})
}

func TestMapSlurmState(t *testing.T) {
	for in, want := range map[string]string{
		"PENDING": StatePending, "RUNNING": StateRunning, "COMPLETING": StateRunning,
		"COMPLETED": StateDone, "FAILED": StateFailed, "TIMEOUT": StateFailed,
		"OUT_OF_MEMORY": StateFailed, "NODE_FAIL": StateFailed, "CANCELLED": StateCancelled,
		"WHATEVER": StateUnknown,
	} {
		if got := mapSlurmState(in); got != want {
			t.Errorf("mapSlurmState(%q) = %q, want %q", in, got, want)
		}
	}
}
