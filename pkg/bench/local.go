package bench

import (
	"context"
	"debug/buildinfo"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/results"
)

// Bins are the toolkit's commands that snn-bench runs, as absolute paths.
type Bins struct {
	Build, Run, Bench string
	// RunHasMPI is whether snn-run was built with MPI (-tags mpi), so that
	// it can run one rank per process under mpirun or srun.
	RunHasMPI bool
}

// FindBins locates snn-build, snn-run and snn-bench: in dir when given, else
// next to the running executable, else on $PATH.
func FindBins(dir string) (Bins, error) {
	var dirs []string
	if dir != "" {
		dirs = []string{dir}
	} else if exe, err := os.Executable(); err == nil {
		dirs = []string{filepath.Dir(exe)}
	}
	find := func(name string) (string, error) {
		for _, d := range dirs {
			p := filepath.Join(d, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return filepath.Abs(p)
			}
		}
		if dir != "" {
			return "", fmt.Errorf("%s not found in --bin %s", name, dir)
		}
		p, err := exec.LookPath(name)
		if err != nil {
			return "", fmt.Errorf("%s not found next to snn-bench or on $PATH (build it with make build, or give --bin DIR)", name)
		}
		return filepath.Abs(p)
	}
	var b Bins
	var err error
	if b.Build, err = find("snn-build"); err != nil {
		return b, err
	}
	if b.Run, err = find("snn-run"); err != nil {
		return b, err
	}
	if b.Bench, err = find("snn-bench"); err != nil {
		return b, err
	}
	b.RunHasMPI = builtWithTag(b.Run, "mpi")
	return b, nil
}

// builtWithTag reports whether the Go binary at path was built with the
// build tag.
func builtWithTag(path, tag string) bool {
	info, err := buildinfo.ReadFile(path)
	if err != nil {
		return false
	}
	for _, s := range info.Settings {
		if s.Key == "-tags" {
			for _, t := range strings.Split(s.Value, ",") {
				if strings.TrimSpace(t) == tag {
					return true
				}
			}
		}
	}
	return false
}

// BuildArgv is the snn-build command of a network, run in the results
// directory.
func (n *Net) BuildArgv(b Bins) []string {
	argv := []string{b.Build}
	if n.Model != "" {
		argv = append(argv, "--model", n.Model)
	} else {
		argv = append(argv, "--model-file", n.ModelFile)
	}
	for _, s := range n.Sets {
		argv = append(argv, "--set", s)
	}
	return append(argv, "--seed", strconv.FormatUint(n.Seed, 10), "--ranks", strconv.Itoa(n.Ranks),
		"--threads", strconv.Itoa(max(n.Threads, 1)), "--force", "-o", n.Dir())
}

// RunArgv is the command of a run, run in the results directory: snn-run,
// behind launcher (mpirun, srun or "" for none) when the run has several
// ranks and snn-run has MPI, with in-process ranks otherwise.
func (r *Run) RunArgv(b Bins, n *Net, launcher string, launcherArgs []string) []string {
	c := r.Config
	var argv []string
	switch {
	case c.Ranks == 1 || !b.RunHasMPI || (launcher != "mpirun" && launcher != "srun"):
		argv = []string{b.Run, n.Dir(), "--ranks", strconv.Itoa(c.Ranks)}
	case launcher == "mpirun":
		argv = append(append([]string{"mpirun", "-np", strconv.Itoa(c.Ranks)}, launcherArgs...), b.Run, n.Dir())
	default:
		argv = append(append([]string{"srun", "-n", strconv.Itoa(c.Ranks)}, launcherArgs...), b.Run, n.Dir())
	}
	return append(argv, "--threads", strconv.Itoa(c.Threads), "--t-presim", formatMS(c.TPresim),
		"--t-sim", formatMS(c.TSim), "--comm", c.Comm, "--backend", c.Backend, "--force", "-o", r.Dir())
}

func formatMS(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// net returns the network of run r.
func (p *Plan) net(r *Run) (*Net, error) {
	for i := range p.Networks {
		if p.Networks[i].Key == r.Net {
			return &p.Networks[i], nil
		}
	}
	return nil, fmt.Errorf("plan: run %s names network %s, which the plan lacks", r.Name, r.Net)
}

// LocalOptions control RunLocal.
type LocalOptions struct {
	Bins Bins
	// Out gets the progress: one line per build and per run.
	Out io.Writer
	// Rerun runs again the runs that already have a result.
	Rerun bool
	// Now is the clock (tests replace it).
	Now func() time.Time
}

// Failure is a run that failed.
type Failure struct {
	Run    string `json:"run"`
	Reason string `json:"reason"`
	Log    string `json:"log"`
}

// Summary counts what RunLocal did.
type Summary struct {
	Total, Ran, Reused, Stored int
	Failed                     []Failure
}

// FailedMarker is the file next to a run's log that records its failure.
const FailedMarker = ".failed"

// RunLocal runs the plan here, one run after another, in resultsDir: it
// builds each network before its first run (reusing one already built),
// runs each configuration with snn-run (under mpirun when it has several
// ranks and snn-run has MPI, with in-process ranks otherwise), writes each
// finished run into the store at once, and prints progress. A failed build
// or run is logged, recorded next to its log and reported in the summary;
// the others still run. A run that already has a result is stored and
// skipped unless o.Rerun.
func RunLocal(ctx context.Context, p *Plan, resultsDir string, o LocalOptions) (*Summary, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	out := o.Out
	if out == nil {
		out = io.Discard
	}
	for _, d := range []string{NetsDir, RunsDir, LogsDir, results.StoreDir} {
		if err := os.MkdirAll(filepath.Join(resultsDir, d), 0o755); err != nil {
			return nil, fmt.Errorf("results directory: %w", err)
		}
	}
	sum := &Summary{Total: len(p.Runs)}
	built := map[string]error{}
	start := now()
	var runTime time.Duration
	ran := 0
	for i := range p.Runs {
		if err := ctx.Err(); err != nil {
			return sum, fmt.Errorf("interrupted after %d of %d runs: %w", i, len(p.Runs), err)
		}
		r := &p.Runs[i]
		prefix := fmt.Sprintf("[%d/%d] %s", i+1, len(p.Runs), r.Name)
		n, err := p.net(r)
		if err != nil {
			return sum, err
		}
		if !o.Rerun {
			if res, err := results.Read(filepath.Join(resultsDir, r.Result())); err == nil {
				stored, err := storeRun(resultsDir, r, res)
				if err != nil {
					sum.Failed = append(sum.Failed, Failure{Run: r.Name, Reason: err.Error(), Log: r.Log()})
					fmt.Fprintf(out, "%s: FAILED to store its result: %v\n", prefix, err)
					continue
				}
				if stored {
					sum.Stored++
				}
				sum.Reused++
				fmt.Fprintf(out, "%s: done before (%s), kept\n", prefix, r.Result())
				continue
			}
		}
		berr, ok := built[n.Key]
		if !ok {
			berr = buildNet(ctx, resultsDir, n, o.Bins, out, now)
			built[n.Key] = berr
		}
		if berr != nil {
			fail(resultsDir, sum, r, "network "+n.Key+" failed to build: see "+n.Log(), n.Log())
			fmt.Fprintf(out, "%s: SKIPPED, its network did not build (%s)\n", prefix, n.Log())
			continue
		}
		argv := r.RunArgv(o.Bins, n, p.Machine.Launcher, p.Machine.MPIRunArgs)
		t0 := now()
		err = runLogged(ctx, resultsDir, r.Log(), argv)
		took := now().Sub(t0)
		runTime += took
		ran++
		eta := time.Duration(float64(runTime) / float64(ran) * float64(len(p.Runs)-i-1))
		clock := fmt.Sprintf("(%s, elapsed %s, ETA %s)", took.Round(100*time.Millisecond), now().Sub(start).Round(time.Second), eta.Round(time.Second))
		if err != nil {
			fail(resultsDir, sum, r, err.Error(), r.Log())
			fmt.Fprintf(out, "%s: FAILED: %v; log %s %s\n", prefix, err, r.Log(), clock)
			continue
		}
		res, err := results.Read(filepath.Join(resultsDir, r.Result()))
		if err == nil {
			var stored bool
			if stored, err = storeRun(resultsDir, r, res); stored {
				sum.Stored++
			}
		}
		if err != nil {
			fail(resultsDir, sum, r, err.Error(), r.Log())
			fmt.Fprintf(out, "%s: FAILED: %v %s\n", prefix, err, clock)
			continue
		}
		os.Remove(filepath.Join(resultsDir, r.Log()+FailedMarker))
		sum.Ran++
		fmt.Fprintf(out, "%s: ok, time_simulate %.3g s, real-time factor %.3g %s\n", prefix, res.TimeSimulate, res.RealTimeFactor, clock)
	}
	if len(sum.Failed) > 0 {
		return sum, fmt.Errorf("%d of %d runs failed", len(sum.Failed), len(p.Runs))
	}
	return sum, nil
}

// fail records a failed run in the summary and next to its log.
func fail(resultsDir string, sum *Summary, r *Run, reason, log string) {
	sum.Failed = append(sum.Failed, Failure{Run: r.Name, Reason: reason, Log: log})
	marker := filepath.Join(resultsDir, r.Log()+FailedMarker)
	if err := outdir.WriteBytes(marker, []byte(reason+"\n")); err != nil {
		sum.Failed[len(sum.Failed)-1].Reason += fmt.Sprintf(" (and recording it failed: %v)", err)
	}
}

// buildNet builds network n unless RESULTS/nets/KEY already holds it.
func buildNet(ctx context.Context, resultsDir string, n *Net, b Bins, out io.Writer, now func() time.Time) error {
	if m, err := netfile.ReadManifest(filepath.Join(resultsDir, n.Dir())); err == nil {
		if m.ModelDigest == n.Digest && m.Seed == n.Seed && m.Ranks == n.Ranks {
			fmt.Fprintf(out, "build %s: built before, reused\n", n.Key)
			return nil
		}
	}
	t0 := now()
	if err := runLogged(ctx, resultsDir, n.Log(), n.BuildArgv(b)); err != nil {
		fmt.Fprintf(out, "build %s: FAILED: %v; log %s\n", n.Key, err, n.Log())
		return err
	}
	fmt.Fprintf(out, "build %s: ok (%s)\n", n.Key, now().Sub(t0).Round(100*time.Millisecond))
	return nil
}

// storeRun writes a run's result into RESULTS/store; it reports whether the
// store did not have it yet.
func storeRun(resultsDir string, r *Run, res *results.Result) (bool, error) {
	_, added, err := results.WriteRun(filepath.Join(resultsDir, results.StoreDir), r.Config, res)
	if err != nil {
		return false, fmt.Errorf("store run %s: %w", r.Name, err)
	}
	return added, nil
}

// runLogged runs argv in dir with stdout and stderr in the log file (dir-
// relative), creating its folder. OpenMPI's refusal to run as root is
// lifted for mpirun, as CI containers run as root.
func runLogged(ctx context.Context, dir, log string, argv []string) error {
	path := filepath.Join(dir, log)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintf(f, "snn-bench: %s\n", strings.Join(argv, " "))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = os.Environ()
	if os.Geteuid() == 0 && argv[0] == "mpirun" {
		cmd.Env = append(cmd.Env, "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
	}
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("%s exited with status %d", filepath.Base(argv[0]), ee.ExitCode())
		}
		return fmt.Errorf("%s: %w", argv[0], err)
	}
	return nil
}
