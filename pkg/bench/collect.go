package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// CollectSummary counts what Collect found.
type CollectSummary struct {
	// Added runs were new to the store; Present were in it already;
	// Missing have no result (pending, running or failed).
	Added, Present, Missing int
}

// Collect merges every finished run of the plan in resultsDir into the
// store (RESULTS/store, one Parquet file per run). It is idempotent: a run
// already in the store is not added again. A result that cannot be read is
// an error naming its file; the other runs are still collected.
func Collect(resultsDir string, log io.Writer) (*CollectSummary, error) {
	p, err := ReadPlan(resultsDir)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	s := &CollectSummary{}
	var errs []error
	for i := range p.Runs {
		r := &p.Runs[i]
		path := filepath.Join(resultsDir, r.Result())
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			s.Missing++
			continue
		}
		res, err := results.Read(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("collect %s: %w", r.Name, err))
			continue
		}
		if n, err := p.net(r); err == nil && res.ModelDigest != n.Digest {
			errs = append(errs, fmt.Errorf("collect %s: %s has model digest %s, but the plan's network %s has %s (the folder holds another run)", r.Name, path, res.ModelDigest, n.Key, n.Digest))
			continue
		}
		added, err := storeRun(resultsDir, r, res)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if added {
			s.Added++
			fmt.Fprintf(log, "added %s\n", r.Name)
		} else {
			s.Present++
		}
	}
	return s, errors.Join(errs...)
}

// Status is the state of every build and run of the results directory:
// from SLURM (scontrol) when the benchmark was submitted, from the files
// otherwise (a run with a result is done, one with a failure record is
// failed, any other pending).
func Status(ctx context.Context, resultsDir string) ([]TaskStatus, error) {
	if _, err := os.Stat(filepath.Join(resultsDir, SlurmDir, JobsFile)); err == nil {
		return SlurmStatus(ctx, resultsDir)
	}
	p, err := ReadPlan(resultsDir)
	if err != nil {
		return nil, err
	}
	var st []TaskStatus
	for i := range p.Runs {
		r := &p.Runs[i]
		ts := TaskStatus{Kind: "run", Network: r.Net, Name: r.Name, State: StatePending, Log: r.Log()}
		if _, err := os.Stat(filepath.Join(resultsDir, r.Result())); err == nil {
			ts.State = StateDone
		} else if b, err := os.ReadFile(filepath.Join(resultsDir, r.Log()+FailedMarker)); err == nil {
			ts.State, ts.Reason = StateFailed, strings.TrimSpace(string(b))
		}
		st = append(st, ts)
	}
	return st, nil
}

// WriteStatus prints one line per task (state, job ID, name, log) and a
// count per state.
func WriteStatus(w io.Writer, st []TaskStatus) error {
	for _, s := range st {
		id := s.JobID
		if id == "" {
			id = "-"
		}
		line := fmt.Sprintf("%-9s %-10s %-7s %-56s log %s", s.State, id, s.Kind, s.Name, s.Log)
		if s.Output != "" {
			line += "  slurm " + s.Output
		}
		if s.State == StateFailed || s.State == StateCancelled {
			var why []string
			for _, x := range []string{s.SlurmState, s.Reason, s.ExitCode} {
				if x != "" {
					why = append(why, x)
				}
			}
			if len(why) > 0 {
				line += "  (" + strings.Join(why, ", ") + ")"
			}
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	n := CountStates(st)
	var parts []string
	for _, k := range []string{StatePending, StateRunning, StateDone, StateFailed, StateCancelled, StateUnknown} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
		}
	}
	_, err := fmt.Fprintf(w, "%d tasks: %s\n", len(st), strings.Join(parts, ", "))
	return err
}
