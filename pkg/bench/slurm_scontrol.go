package bench

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Job states as snn-bench status reports them.
const (
	StatePending   = "pending"
	StateRunning   = "running"
	StateDone      = "done"
	StateFailed    = "failed"
	StateCancelled = "cancelled"
	// StateUnknown: SLURM no longer knows the job (its record expired after
	// MinJobAge) and the run left no result.
	StateUnknown = "unknown"
)

// slurmJob is one line of `scontrol show job -o ID`: a job, one task of an
// array, or the pending remainder of an array (Tasks holds several indices).
type slurmJob struct {
	JobID      string
	ArrayJobID string
	// Tasks are the array indices the line stands for; nil for a plain job.
	Tasks    []int
	State    string // SLURM's JobState, e.g. COMPLETED
	Reason   string // e.g. DependencyNeverSatisfied, NonZeroExitCode
	ExitCode string // "status:signal", e.g. "3:0"
}

var scontrolFieldRE = map[string]*regexp.Regexp{}

func init() {
	for _, k := range []string{"JobId", "ArrayJobId", "ArrayTaskId", "JobState", "Reason", "ExitCode"} {
		scontrolFieldRE[k] = regexp.MustCompile(`(?:^|\s)` + k + `=(\S*)`)
	}
}

func scontrolField(line, key string) string {
	m := scontrolFieldRE[key].FindStringSubmatch(line)
	if m == nil {
		return ""
	}
	return m[1]
}

// parseScontrolJobs parses the one-line-per-job output of
// `scontrol show job -o`. Lines without a JobId are skipped; a line with a
// JobId but no JobState, or an array task list it cannot read, is an error.
func parseScontrolJobs(out string) ([]slurmJob, error) {
	var jobs []slurmJob
	for n, line := range strings.Split(out, "\n") {
		id := scontrolField(line, "JobId")
		if id == "" {
			continue
		}
		j := slurmJob{
			JobID:      id,
			ArrayJobID: scontrolField(line, "ArrayJobId"),
			State:      scontrolField(line, "JobState"),
			Reason:     scontrolField(line, "Reason"),
			ExitCode:   scontrolField(line, "ExitCode"),
		}
		if j.State == "" {
			return nil, fmt.Errorf("scontrol show job line %d (job %s): no JobState", n+1, id)
		}
		if t := scontrolField(line, "ArrayTaskId"); t != "" {
			tasks, err := parseArrayTasks(t)
			if err != nil {
				return nil, fmt.Errorf("scontrol show job line %d (job %s): ArrayTaskId: %w", n+1, id, err)
			}
			j.Tasks = tasks
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// maxArrayTasks bounds the indices one ArrayTaskId may expand to.
const maxArrayTasks = 1 << 20

// parseArrayTasks expands an array task list as scontrol prints it: "3",
// "0-7", "1,3-5", with an optional "%LIMIT" suffix ("0-7%2").
func parseArrayTasks(s string) ([]int, error) {
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	var tasks []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || a < 0 {
			return nil, fmt.Errorf("%q: want indices such as 3, 0-7 or 1,3-5", s)
		}
		b := a
		if isRange {
			// "0-7:2" steps: scontrol prints them for arrays submitted so.
			hiS, stepS, hasStep := strings.Cut(hi, ":")
			step := 1
			if hasStep {
				if step, err = strconv.Atoi(stepS); err != nil || step < 1 {
					return nil, fmt.Errorf("%q: bad step %q", s, stepS)
				}
			}
			if b, err = strconv.Atoi(hiS); err != nil || b < a {
				return nil, fmt.Errorf("%q: want indices such as 3, 0-7 or 1,3-5", s)
			}
			if (b-a)/step+len(tasks) > maxArrayTasks {
				return nil, fmt.Errorf("%q: more than %d indices", s, maxArrayTasks)
			}
			for i := a; i <= b; i += step {
				tasks = append(tasks, i)
			}
			continue
		}
		tasks = append(tasks, b)
	}
	return tasks, nil
}

// mapSlurmState maps a SLURM JobState to the states snn-bench reports.
func mapSlurmState(s string) string {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "PENDING", "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESV_DEL_HOLD", "SPECIAL_EXIT", "STOPPED", "SUSPENDED", "CONFIGURING", "POWER_UP_NODE", "RESIZING":
		return StatePending
	case "RUNNING", "COMPLETING", "SIGNALING", "STAGE_OUT":
		return StateRunning
	case "COMPLETED":
		return StateDone
	case "CANCELLED", "REVOKED":
		return StateCancelled
	case "FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED":
		return StateFailed
	}
	return StateUnknown
}
