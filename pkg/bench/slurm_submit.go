package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// SlurmScript is one rendered job: its script and the jobs it waits for.
type SlurmScript struct {
	// Job is the data the template saw.
	Job JobScript
	// Path is the script's results-relative path, e.g. slurm/build-KEY.sbatch.
	Path string
	// Text is the rendered script.
	Text string
	// After are the indices (in the rendered list) of the jobs this one
	// depends on: afterok (only if they all succeed), or afterany (when
	// they have ended, whatever their state) when AfterAny is set.
	After    []int
	AfterAny bool
}

// dependency returns the sbatch --dependency value of s given the job IDs
// of the jobs before it ("" when it depends on none).
func (s *SlurmScript) dependency(ids []string) (string, error) {
	if len(s.After) == 0 {
		return "", nil
	}
	kind := "afterok"
	if s.AfterAny {
		kind = "afterany"
	}
	parts := []string{kind}
	for _, a := range s.After {
		if a < 0 || a >= len(ids) || ids[a] == "" {
			return "", fmt.Errorf("job %s depends on job %d, which is not submitted before it", s.Path, a)
		}
		parts = append(parts, ids[a])
	}
	return strings.Join(parts, ":"), nil
}

// SubmitOptions control Submit.
type SubmitOptions struct {
	// Log gets one line per submitted job (its kind, network, job ID).
	Log io.Writer
	// Sbatch is the sbatch command (default "sbatch").
	Sbatch string
}

// Submit submits the rendered scripts (already written under resultsDir by
// Render) with sbatch --parsable in order, each with the --dependency on the
// job IDs of the jobs it waits for, and records the job IDs in
// resultsDir/slurm/jobs.json (rewritten atomically after every submission,
// so a submission that fails half-way still records the jobs it submitted).
// sbatch runs in resultsDir: the jobs' working directory.
func Submit(ctx context.Context, resultsDir string, scripts []SlurmScript, o SubmitOptions) (*SlurmJobs, error) {
	sbatch := o.Sbatch
	if sbatch == "" {
		sbatch = "sbatch"
	}
	rec := &SlurmJobs{Submitted: time.Now().UTC()}
	ids := make([]string, len(scripts))
	for i := range scripts {
		s := &scripts[i]
		dep, err := s.dependency(ids)
		if err != nil {
			return rec, err
		}
		args := []string{"--parsable"}
		if dep != "" {
			args = append(args, "--dependency="+dep)
		}
		args = append(args, s.Path)
		out, err := slurmCommand(ctx, resultsDir, sbatch, args...)
		if err != nil {
			return rec, fmt.Errorf("submit %s (%d of %d; the jobs submitted before it are in %s/%s/%s): %w", s.Path, i+1, len(scripts), resultsDir, SlurmDir, JobsFile, err)
		}
		id, err := parseSbatchID(string(out))
		if err != nil {
			return rec, fmt.Errorf("submit %s: %w", s.Path, err)
		}
		ids[i] = id
		rec.Jobs = append(rec.Jobs, slurmJobRecord(s, id, dep))
		if err := rec.write(resultsDir); err != nil {
			return rec, err
		}
		if o.Log != nil {
			fmt.Fprintf(o.Log, "%s\n", describeJob(&rec.Jobs[len(rec.Jobs)-1]))
		}
	}
	return rec, nil
}

// describeJob is the line submit prints for a job.
func describeJob(j *SlurmJob) string {
	what := j.Kind
	if j.Network != "" {
		what += " " + j.Network
	}
	if j.Kind == "run" {
		what += fmt.Sprintf(" (array of %d)", len(j.Tasks))
	}
	line := fmt.Sprintf("%-8s %-48s %s", j.JobID, what, j.Script)
	if j.Dependency != "" {
		line += "  --dependency=" + j.Dependency
	}
	return line
}

// parseSbatchID reads the job ID from sbatch --parsable's output
// ("ID" or "ID;CLUSTER").
func parseSbatchID(out string) (string, error) {
	line := strings.TrimSpace(out)
	if i := strings.LastIndexByte(line, '\n'); i >= 0 {
		line = strings.TrimSpace(line[i+1:])
	}
	id, _, _ := strings.Cut(line, ";")
	if id == "" || strings.Trim(id, "0123456789") != "" {
		return "", fmt.Errorf("sbatch --parsable printed %q: want a job ID", out)
	}
	return id, nil
}

// slurmJobRecord is the jobs.json entry of a submitted script.
func slurmJobRecord(s *SlurmScript, id, dep string) SlurmJob {
	j := SlurmJob{Kind: s.Job.Kind, Network: s.Job.Network, Script: s.Path, Output: s.Job.Output, JobID: id, Dependency: dep}
	for _, t := range s.Job.Tasks {
		j.Tasks = append(j.Tasks, SlurmTask{Index: t.Index, Name: t.Name, Log: t.Log, Dir: t.Dir})
	}
	return j
}

// WriteDryRun prints what Submit would do: each script under a header
// naming its path, then the sbatch lines as a shell script that submits
// them in order (run from the results directory).
func WriteDryRun(w io.Writer, resultsDir string, scripts []SlurmScript) error {
	for _, s := range scripts {
		if _, err := fmt.Fprintf(w, "##### %s\n%s\n", s.Path, strings.TrimRight(s.Text, "\n")); err != nil {
			return err
		}
	}
	dir, err := ShellQuote(resultsDir)
	if err != nil {
		return fmt.Errorf("results directory: %w", err)
	}
	fmt.Fprintf(w, "##### sbatch lines (not submitted)\ncd %s || exit 1\n", dir)
	vars := make([]string, len(scripts))
	for i, s := range scripts {
		dep, err := s.dependency(vars)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("job%d=$(sbatch --parsable", i)
		if dep != "" {
			line += " --dependency=" + dep
		}
		path, err := ShellQuote(s.Path)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(w, "%s %s) || exit 1\n", line, path); err != nil {
			return err
		}
		vars[i] = fmt.Sprintf("${job%d%%%%;*}", i)
	}
	return nil
}
