package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// TaskStatus is the state of one task of a submitted job: a build, one run
// (an index of its network's job array) or the collect job.
type TaskStatus struct {
	// Kind is "build", "run" or "collect"; Network the network's key.
	Kind    string `json:"kind"`
	Network string `json:"network,omitempty"`
	// Name is the run name, "build-NETKEY" or "collect".
	Name string `json:"name"`
	// JobID is SLURM's ID of the task: "12", or "13_4" for index 4 of array 13.
	JobID string `json:"job_id"`
	// State is pending, running, done, failed, cancelled or unknown.
	State string `json:"state"`
	// SlurmState, Reason and ExitCode are SLURM's ("FAILED",
	// "NonZeroExitCode", "3:0"); empty when SLURM no longer knows the job.
	SlurmState string `json:"slurm_state,omitempty"`
	Reason     string `json:"reason,omitempty"`
	ExitCode   string `json:"exit_code,omitempty"`
	// Log is the command's stdout and stderr; Output SLURM's output file;
	// both relative to the results directory.
	Log    string `json:"log"`
	Output string `json:"output"`
}

// SlurmStatus asks SLURM (scontrol show job -o, one call per submitted job;
// accounting and sacct are not needed) for the state of every task recorded
// in resultsDir/slurm/jobs.json. A job SLURM no longer knows (its record
// expired) counts as done when its task left its output (a run's
// result.json, a network's manifest), unknown otherwise.
func SlurmStatus(ctx context.Context, resultsDir string) ([]TaskStatus, error) {
	rec, err := ReadSlurmJobs(resultsDir)
	if err != nil {
		return nil, err
	}
	var all []TaskStatus
	for _, job := range rec.Jobs {
		out, err := slurmCommand(ctx, resultsDir, "scontrol", "show", "job", "-o", job.JobID)
		var lines []slurmJob
		if err != nil {
			if !strings.Contains(err.Error(), "Invalid job id") {
				return nil, fmt.Errorf("status of %s job %s (%s): %w", job.Kind, job.JobID, job.Script, err)
			}
		} else if lines, err = parseScontrolJobs(string(out)); err != nil {
			return nil, fmt.Errorf("status of %s job %s: %w", job.Kind, job.JobID, err)
		}
		all = append(all, jobTaskStatus(resultsDir, &job, lines)...)
	}
	return all, nil
}

// jobTaskStatus maps scontrol's lines for one submitted job to its tasks.
func jobTaskStatus(resultsDir string, job *SlurmJob, lines []slurmJob) []TaskStatus {
	isArray := job.Kind == "run"
	byIndex := map[int]slurmJob{}
	var plain *slurmJob
	for i := range lines {
		l := lines[i]
		switch {
		case isArray && l.ArrayJobID == job.JobID:
			for _, t := range l.Tasks {
				byIndex[t] = l
			}
		case !isArray && l.JobID == job.JobID:
			plain = &lines[i]
		}
	}
	var st []TaskStatus
	for _, t := range job.Tasks {
		ts := TaskStatus{Kind: job.Kind, Network: job.Network, Name: t.Name, JobID: job.JobID, Log: t.Log}
		var l *slurmJob
		if isArray {
			ts.JobID = job.JobID + "_" + strconv.Itoa(t.Index)
			if x, ok := byIndex[t.Index]; ok {
				l = &x
			}
		} else {
			l = plain
		}
		taskJobID := ""
		if l != nil {
			ts.State, ts.SlurmState, ts.Reason, ts.ExitCode = mapSlurmState(l.State), l.State, l.Reason, l.ExitCode
			if len(l.Tasks) <= 1 {
				taskJobID = l.JobID
			}
		} else {
			ts.State = stateFromFiles(resultsDir, job.Kind, t.Dir)
		}
		ts.Output = slurmOutputPath(job.Output, job.JobID, taskJobID, t.Index)
		st = append(st, ts)
	}
	return st
}

// stateFromFiles is the state of a task SLURM no longer knows: done when it
// left its output, unknown otherwise.
func stateFromFiles(resultsDir, kind, dir string) string {
	var probe string
	switch kind {
	case "build":
		probe = filepath.Join(dir, "manifest.json")
	case "run":
		probe = filepath.Join(dir, "result.json")
	default:
		return StateUnknown
	}
	if _, err := os.Stat(filepath.Join(resultsDir, probe)); err == nil {
		return StateDone
	}
	return StateUnknown
}

// slurmOutputPath fills SLURM's output pattern: %A (array job ID), %a
// (array index), %j (the task's own job ID, when known), %% (a percent sign).
func slurmOutputPath(pattern, arrayID, jobID string, index int) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != '%' || i+1 == len(pattern) {
			b.WriteByte(pattern[i])
			continue
		}
		i++
		switch pattern[i] {
		case 'A':
			b.WriteString(arrayID)
		case 'a':
			b.WriteString(strconv.Itoa(index))
		case 'j':
			if jobID == "" {
				jobID = arrayID
			}
			b.WriteString(jobID)
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(pattern[i])
		}
	}
	return b.String()
}

// CountStates counts tasks by state.
func CountStates(st []TaskStatus) map[string]int {
	n := map[string]int{}
	for _, s := range st {
		n[s.State]++
	}
	return n
}
