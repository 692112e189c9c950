package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/snnkit/snnkit/pkg/outdir"
)

// SlurmDir is the directory under the results directory that holds the
// rendered job scripts, SLURM's output files and JobsFile.
const SlurmDir = "slurm"

// JobsFile is the name of the submitted jobs' record in SlurmDir.
const JobsFile = "jobs.json"

// SlurmJobs is results/slurm/jobs.json: what snn-bench submit submitted, so
// status and collect find the jobs.
type SlurmJobs struct {
	// Submitted is when the submission started.
	Submitted time.Time `json:"submitted"`
	// Jobs in submission order: builds, then each network's run array,
	// then the collect job.
	Jobs []SlurmJob `json:"jobs"`
}

// SlurmJob is one submitted job (a build, a run array or the collect job).
type SlurmJob struct {
	// Kind is "build", "run" or "collect".
	Kind string `json:"kind"`
	// Network is the key of the network a build or run job is for.
	Network string `json:"network,omitempty"`
	// Script and Output are results-relative: the job script and SLURM's
	// output file pattern (%j job, %A array job, %a array index).
	Script string `json:"script"`
	Output string `json:"output"`
	// JobID is the ID sbatch returned (for an array, the array's job ID).
	JobID string `json:"job_id"`
	// Dependency is the --dependency given to sbatch, e.g. "afterok:12".
	Dependency string `json:"dependency,omitempty"`
	// Tasks are the job's commands; a run array's task i is array index i.
	Tasks []SlurmTask `json:"tasks"`
}

// SlurmTask is one command of a job.
type SlurmTask struct {
	Index int `json:"index"`
	// Name is the run name, "build-NETKEY" or "collect".
	Name string `json:"name"`
	// Log is the command's stdout and stderr, results-relative.
	Log string `json:"log"`
	// Dir is what the command writes (nets/KEY, runs/RUNNAME, store),
	// results-relative.
	Dir string `json:"dir"`
}

// ReadSlurmJobs reads resultsDir/slurm/jobs.json.
func ReadSlurmJobs(resultsDir string) (*SlurmJobs, error) {
	path := filepath.Join(resultsDir, SlurmDir, JobsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read %s: nothing was submitted to SLURM from %s (run snn-bench submit -o %s): %w", path, resultsDir, resultsDir, err)
		}
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var j SlurmJobs
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for i, job := range j.Jobs {
		if job.JobID == "" {
			return nil, fmt.Errorf("read %s: job %d (%s %s): field %q: empty", path, i, job.Kind, job.Network, "job_id")
		}
		if _, ok := templateNames[job.Kind]; !ok {
			return nil, fmt.Errorf("read %s: job %d: field %q: %q, want build, run or collect", path, i, "kind", job.Kind)
		}
	}
	return &j, nil
}

// write writes resultsDir/slurm/jobs.json atomically.
func (j *SlurmJobs) write(resultsDir string) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(resultsDir, SlurmDir, JobsFile)
	if err := outdir.WriteBytes(path, append(b, '\n')); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
