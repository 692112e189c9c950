package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/template"

	"github.com/snnkit/snnkit/pkg/outdir"
)

// Render turns a plan into SLURM job scripts with the templates t (see
// LoadTemplates): for each network a build job, then a job array of its
// runs (one per thread count) depending afterok on the build, and last a
// collect job depending afterany on every run array, so it merges whatever
// finished. Jobs run in the results directory; every path in them is
// relative to it, every command word is shell-quoted and every #SBATCH value
// validated.
func Render(p *Plan, t *template.Template, b Bins) ([]SlurmScript, error) {
	s := p.Slurm
	var scripts []SlurmScript
	var runJobs []int
	base := func(kind, name, output string) JobScript {
		return JobScript{Kind: kind, JobName: name, Output: output, Partition: s.Partition, Account: s.Account,
			Time: s.Time, NTasks: 1, CPUsPerTask: 1, Extra: s.Extra, Setup: s.Setup}
	}
	for i := range p.Networks {
		n := &p.Networks[i]
		bj := base("build", "snn-build-"+n.Key, filepath.Join(SlurmDir, "build-"+n.Key+"-%j.out"))
		bj.Network = n.Key
		bj.CPUsPerTask = max(n.Threads, 1)
		bj.Tasks = []JobTask{{Index: 0, Name: "build-" + n.Key, Log: n.Log(), Dir: n.Dir(), Argv: n.BuildArgv(b)}}
		buildIdx := len(scripts)
		sc, err := renderScript(t, bj, filepath.Join(SlurmDir, "build-"+n.Key+".sbatch"))
		if err != nil {
			return nil, err
		}
		scripts = append(scripts, sc)
		// One array per thread count, so each asks for exactly its CPUs.
		var threads []int
		byThreads := map[int][]*Run{}
		for j := range p.Runs {
			r := &p.Runs[j]
			if r.Net != n.Key {
				continue
			}
			if _, ok := byThreads[r.Config.Threads]; !ok {
				threads = append(threads, r.Config.Threads)
			}
			byThreads[r.Config.Threads] = append(byThreads[r.Config.Threads], r)
		}
		for _, th := range threads {
			runs := byThreads[th]
			id := n.Key + "-t" + strconv.Itoa(th)
			rj := base("run", "snn-run-"+id, filepath.Join(SlurmDir, "run-"+id+"-%A_%a.out"))
			rj.Network = n.Key
			nodes, perNode, err := shape(s, n.Ranks)
			if err != nil {
				return nil, fmt.Errorf("network %s: %w", n.Key, err)
			}
			mpi := n.Ranks > 1 && b.RunHasMPI
			if mpi {
				rj.NTasks = n.Ranks
				rj.Nodes, rj.NTasksPerNode = nodes, perNode
				rj.CPUsPerTask = th
			} else {
				// In-process ranks: one task with every rank's threads.
				rj.CPUsPerTask = n.Ranks * th
			}
			if s.CPUsPerTask > 0 {
				rj.CPUsPerTask = s.CPUsPerTask
			}
			for _, r := range runs {
				if r.Config.Backend == "cuda" {
					rj.GPUsPerNode = max(s.GPUsPerNode, 1)
				}
			}
			launcherArgs := p.Machine.SrunArgs
			if s.Launcher == "mpirun" {
				launcherArgs = p.Machine.MPIRunArgs
			}
			for k, r := range runs {
				rj.Tasks = append(rj.Tasks, JobTask{Index: k, Name: r.Name, Log: r.Log(), Dir: r.Dir(),
					Argv: r.RunArgv(b, n, s.Launcher, launcherArgs)})
			}
			sc, err := renderScript(t, rj, filepath.Join(SlurmDir, "run-"+id+".sbatch"))
			if err != nil {
				return nil, err
			}
			sc.After = []int{buildIdx}
			runJobs = append(runJobs, len(scripts))
			scripts = append(scripts, sc)
		}
	}
	cj := base("collect", "snn-collect-"+p.Benchmark, filepath.Join(SlurmDir, "collect-%j.out"))
	cj.Tasks = []JobTask{{Index: 0, Name: "collect", Log: filepath.Join(LogsDir, "collect.log"), Dir: "store",
		Argv: []string{b.Bench, "collect", "."}}}
	sc, err := renderScript(t, cj, filepath.Join(SlurmDir, "collect.sbatch"))
	if err != nil {
		return nil, err
	}
	sc.After, sc.AfterAny = runJobs, true
	return append(scripts, sc), nil
}

func renderScript(t *template.Template, j JobScript, path string) (SlurmScript, error) {
	text, err := renderJob(t, &j)
	if err != nil {
		return SlurmScript{}, fmt.Errorf("render %s: %w", path, err)
	}
	return SlurmScript{Job: j, Path: path, Text: text}, nil
}

// WriteScripts writes the rendered scripts under resultsDir (atomically,
// executable) and creates the folders the jobs write to.
func WriteScripts(resultsDir string, scripts []SlurmScript) error {
	for _, d := range []string{SlurmDir, LogsDir, NetsDir, RunsDir} {
		if err := os.MkdirAll(filepath.Join(resultsDir, d), 0o755); err != nil {
			return fmt.Errorf("results directory: %w", err)
		}
	}
	for _, s := range scripts {
		path := filepath.Join(resultsDir, s.Path)
		if err := outdir.WriteBytes(path, []byte(s.Text)); err != nil {
			return fmt.Errorf("write job script %s: %w", path, err)
		}
		if err := os.Chmod(path, 0o755); err != nil {
			return fmt.Errorf("write job script %s: %w", path, err)
		}
	}
	return nil
}
