package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/jobs"
	"github.com/snnkit/snnkit/pkg/results"
)

// injections are hostile values for the arguments of rendered jobs: each
// would create a file named pwned* in the job's folder if a shell read it
// as code.
var injections = []string{
	"20; touch pwned-semicolon",
	"$(touch pwned-subst)",
	"a'b\"c`touch pwned-backtick`d",
	"'; touch pwned-quote; '",
	"x\ntouch pwned-newline\n",
	"$HOME ${PATH} * ? ~ !! \\",
	"",
	"-n",
}

// argvEcho writes an executable NAME into dir that prints its arguments,
// each followed by a NUL byte.
func argvEcho(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/bash\nprintf '%s\\0' \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// echoBins are argvEcho binaries in a folder whose name needs quoting too.
func echoBins(t *testing.T, mpi bool) Bins {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bin dir 'q' $(touch pwned-bindir)")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return Bins{Build: argvEcho(t, dir, "snn-build"), Run: argvEcho(t, dir, "snn-run"), Bench: argvEcho(t, dir, "snn-bench"), RunHasMPI: mpi}
}

// hostilePlan is a plan built by hand (the model would refuse these
// values): one network of 2 ranks whose --set values, model file and run's
// comm mode are hostile, and whose machine passes hostile srun arguments.
func hostilePlan() *Plan {
	sets := make([]string, len(injections))
	for i, v := range injections {
		sets[i] = "populations.E.params.tau_m=" + v
	}
	n := Net{Key: "brunel-0123456789ab-s1-r2", ModelFile: "/models/it's $(touch pwned-model).yaml", Sets: sets,
		Seed: 1, Ranks: 2, Digest: "sha256:0123456789ab", Threads: 1}
	r := Run{Name: "hostile-r2-t1-s1", Net: n.Key, Config: results.RunConfig{Benchmark: "hostile", Machine: "test", Model: "brunel",
		Seed: 1, Ranks: 2, Threads: 1, Backend: "cpu", Comm: "p2p; touch pwned-comm", TPresim: 10, TSim: 50}}
	m := Machine{Name: "test", Launcher: "mpirun", SrunArgs: []string{"--mpi=pmix", "$(touch pwned-srun)"}}
	return &Plan{Format: PlanFormat, Benchmark: "hostile", Machine: m, Slurm: Slurm{Partition: "debug", Time: "5", Launcher: "srun"},
		Networks: []Net{n}, Runs: []Run{r}}
}

// runScript runs a rendered job script with bash in a fresh folder (the
// results directory of the job) as array index 0, with pathDir first on
// $PATH, and returns the folder.
func runScript(t *testing.T, s SlurmScript, pathDir string) string {
	t.Helper()
	work := t.TempDir()
	script := filepath.Join(t.TempDir(), filepath.Base(s.Path))
	if err := os.WriteFile(script, []byte(s.Text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n %s: %v\n%s\n%s", s.Path, err, out, s.Text)
	}
	cmd := exec.Command("bash", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "SLURM_ARRAY_TASK_ID=0", "PATH="+pathDir+":"+os.Getenv("PATH"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", s.Path, err, out)
	}
	return work
}

// loggedArgv reads the NUL-terminated arguments an argvEcho wrote to a log.
func loggedArgv(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	if len(b) == 0 || b[len(b)-1] != 0 {
		t.Fatalf("log %s: %q, want NUL-terminated arguments", path, b)
	}
	return strings.Split(string(b[:len(b)-1]), "\x00")
}

// noInjection fails if any folder under the dirs holds a pwned* file.
func noInjection(t *testing.T, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		filepath.Walk(d, func(p string, _ os.FileInfo, _ error) error {
			if strings.HasPrefix(filepath.Base(p), "pwned") {
				t.Errorf("an injected command ran: %s", p)
			}
			return nil
		})
	}
}

// TestRenderHostileArguments renders the jobs of a plan whose arguments
// are hostile, checks each script with bash -n, runs it with binaries that
// echo their arguments and checks they received exactly the planned argv.
func TestRenderHostileArguments(t *testing.T) {
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	for _, mpi := range []bool{false, true} {
		name := "in-process"
		if mpi {
			name = "srun"
		}
		t.Run(name, func(t *testing.T) {
			p := hostilePlan()
			b := echoBins(t, mpi)
			pathDir := t.TempDir()
			argvEcho(t, pathDir, "srun")
			scripts, err := Render(p, tmpl, b)
			if err != nil {
				t.Fatal(err)
			}
			if len(scripts) != 3 {
				t.Fatalf("%d scripts, want build, run, collect", len(scripts))
			}
			n, r := &p.Networks[0], &p.Runs[0]
			tests := []struct {
				script SlurmScript
				log    string
				want   []string
			}{
				{scripts[0], n.Log(), n.BuildArgv(b)},
				{scripts[1], r.Log(), r.RunArgv(b, n, "srun", p.Machine.SrunArgs)},
				{scripts[2], filepath.Join(LogsDir, "collect.log"), []string{b.Bench, "collect", "."}},
			}
			for _, tt := range tests {
				work := runScript(t, tt.script, pathDir)
				if got := loggedArgv(t, filepath.Join(work, tt.log)); !reflect.DeepEqual(got, tt.want[1:]) {
					t.Errorf("%s: arguments\n got %q\nwant %q", tt.script.Path, got, tt.want[1:])
				}
				noInjection(t, work, filepath.Dir(b.Build), pathDir)
			}
			// The hostile values reached the commands whole.
			for _, v := range injections {
				if !slices.Contains(tests[0].want, "populations.E.params.tau_m="+v) {
					t.Errorf("build argv lacks the set %q", v)
				}
			}
			if runArgv := tests[1].want; mpi != (runArgv[0] == "srun") || !slices.Contains(runArgv, "$(touch pwned-srun)") == mpi || !slices.Contains(runArgv, "p2p; touch pwned-comm") {
				t.Errorf("run argv %q", runArgv)
			}
		})
	}
}

func TestRenderRejectsBadNames(t *testing.T) {
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(p *Plan){
		"network key": func(p *Plan) { p.Networks[0].Key = "k; touch x"; p.Runs[0].Net = p.Networks[0].Key },
		"run name":    func(p *Plan) { p.Runs[0].Name = "../r" },
		"partition":   func(p *Plan) { p.Slurm.Partition = "debug\n#SBATCH --wrap=x" },
		"nul":         func(p *Plan) { p.Networks[0].Sets = []string{"N=1\x00"} },
		"shape":       func(p *Plan) { p.Slurm.Nodes, p.Slurm.TasksPerNode = 1, 1 },
	} {
		p := hostilePlan()
		mod(p)
		if _, err := Render(p, tmpl, Bins{Build: "b", Run: "r", Bench: "c", RunHasMPI: true}); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}

// renderSmoke renders the smoke benchmark with threads [1, 2] on a machine
// with SLURM defaults.
func renderSmoke(t *testing.T, tmplDir string, b Bins, machine, extra string) (*Plan, []SlurmScript) {
	t.Helper()
	tmpl, err := LoadTemplates(tmplDir)
	if err != nil {
		t.Fatal(err)
	}
	p := mustExpand(t, editYAML(map[string]string{"threads": "threads: [1, 2]"}, extra), testMachine(t, machine))
	scripts, err := Render(p, tmpl, b)
	if err != nil {
		t.Fatal(err)
	}
	return p, scripts
}

var plainBins = Bins{Build: "/opt/snn/snn-build", Run: "/opt/snn/snn-run", Bench: "/opt/snn/snn-bench"}

func TestRenderDependencies(t *testing.T) {
	p, scripts := renderSmoke(t, "", plainBins, "", "comm: [collective, p2p]\n")
	// 12 builds, 12 networks × 2 thread counts run arrays (of 2 comm
	// modes each), 1 collect.
	if len(scripts) != 12+24+1 {
		t.Fatalf("%d scripts, want 37", len(scripts))
	}
	var runArrays []int
	seenRuns := map[string]int{}
	arrays := map[string]bool{}
	lastBuild := -1
	for i, s := range scripts {
		j := s.Job
		switch j.Kind {
		case "build":
			lastBuild = i
			if len(s.After) != 0 || s.AfterAny {
				t.Errorf("build %s depends on %v", s.Path, s.After)
			}
			if len(j.Tasks) != 1 || j.Tasks[0].Dir != filepath.Join(NetsDir, j.Network) {
				t.Errorf("build %s tasks %+v", s.Path, j.Tasks)
			}
		case "run":
			runArrays = append(runArrays, i)
			if !reflect.DeepEqual(s.After, []int{lastBuild}) || s.AfterAny || scripts[lastBuild].Job.Network != j.Network {
				t.Errorf("run array %s depends on %v (any %v), want its build %d", s.Path, s.After, s.AfterAny, lastBuild)
			}
			threads := -1
			for k, task := range j.Tasks {
				var r *Run
				for x := range p.Runs {
					if p.Runs[x].Name == task.Name {
						r = &p.Runs[x]
					}
				}
				if r == nil || r.Net != j.Network || task.Index != k || task.Log != r.Log() || task.Dir != r.Dir() {
					t.Fatalf("run array %s task %d %+v", s.Path, k, task)
				}
				if threads >= 0 && r.Config.Threads != threads {
					t.Errorf("run array %s mixes thread counts", s.Path)
				}
				threads = r.Config.Threads
				seenRuns[r.Name]++
			}
			key := j.Network + "/" + strconv.Itoa(threads)
			if arrays[key] {
				t.Errorf("two run arrays for network %s and %d threads", j.Network, threads)
			}
			arrays[key] = true
			if len(j.Tasks) != 2 || j.LastIndex != 1 || !strings.Contains(s.Text, "#SBATCH --array=0-1\n") {
				t.Errorf("run array %s: last index %d of %d tasks", s.Path, j.LastIndex, len(j.Tasks))
			}
		case "collect":
			if i != len(scripts)-1 {
				t.Errorf("collect job at %d, want last", i)
			}
		}
	}
	c := scripts[len(scripts)-1]
	if c.Job.Kind != "collect" || !reflect.DeepEqual(c.After, runArrays) || !c.AfterAny {
		t.Errorf("collect job %s depends on %v (any %v), want every run array %v afterany", c.Path, c.After, c.AfterAny, runArrays)
	}
	if argv := c.Job.Tasks[0].Argv; !reflect.DeepEqual(argv, []string{plainBins.Bench, "collect", "."}) {
		t.Errorf("collect argv %q", argv)
	}
	if len(seenRuns) != len(p.Runs) {
		t.Errorf("%d runs in the arrays, want %d", len(seenRuns), len(p.Runs))
	}
	for name, k := range seenRuns {
		if k != 1 {
			t.Errorf("run %s in %d arrays", name, k)
		}
	}
	paths := map[string]bool{}
	for _, s := range scripts {
		if paths[s.Path] {
			t.Errorf("two scripts at %s", s.Path)
		}
		paths[s.Path] = true
	}
}

// runJob returns the rendered run array of network ranks and threads.
func runJob(t *testing.T, p *Plan, scripts []SlurmScript, ranks, threads int) SlurmScript {
	t.Helper()
	for _, s := range scripts {
		if s.Job.Kind != "run" {
			continue
		}
		for _, r := range p.Runs {
			if r.Name == s.Job.Tasks[0].Name && r.Config.Ranks == ranks && r.Config.Threads == threads {
				return s
			}
		}
	}
	t.Fatalf("no run array of %d ranks × %d threads", ranks, threads)
	return SlurmScript{}
}

func TestRenderRanks(t *testing.T) {
	machine := "mpirun_args: [--oversubscribe]\nsrun_args: [--mpi=pmix]\nslurm: {partition: debug, account: proj, time: \"00:10:00\", setup: [module load openmpi]}\n"
	tests := []struct {
		name     string
		mpi      bool
		extra    string
		ntasks   int
		cpus     int
		argvHead []string
		inProc   bool
	}{
		{"in-process", false, "", 1, 4, []string{plainBins.Run}, true},
		{"srun", true, "", 2, 2, []string{"srun", "-n", "2", "--mpi=pmix", plainBins.Run}, false},
		{"mpirun", true, "slurm: {launcher: mpirun}\n", 2, 2, []string{"mpirun", "-np", "2", "--oversubscribe", plainBins.Run}, false},
		{"cpus_per_task", true, "slurm: {cpus_per_task: 3}\n", 2, 3, []string{"srun", "-n", "2", "--mpi=pmix", plainBins.Run}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := plainBins
			b.RunHasMPI = tt.mpi
			p, scripts := renderSmoke(t, "", b, machine, tt.extra)
			s := runJob(t, p, scripts, 2, 2)
			j := s.Job
			if j.NTasks != tt.ntasks || j.CPUsPerTask != tt.cpus {
				t.Errorf("ntasks %d cpus %d, want %d and %d", j.NTasks, j.CPUsPerTask, tt.ntasks, tt.cpus)
			}
			argv := j.Tasks[0].Argv
			if !reflect.DeepEqual(argv[:len(tt.argvHead)], tt.argvHead) {
				t.Errorf("argv %q, want it to start with %q", argv, tt.argvHead)
			}
			i := indexOf(argv, "--ranks")
			if tt.inProc != (i >= 0 && argv[i+1] == "2") {
				t.Errorf("argv %q: --ranks 2 present %v, want %v", argv, i >= 0, tt.inProc)
			}
			for _, w := range []string{"#SBATCH --ntasks=" + strconv.Itoa(tt.ntasks) + "\n", "#SBATCH --cpus-per-task=" + strconv.Itoa(tt.cpus) + "\n",
				"#SBATCH --partition=debug\n", "#SBATCH --account=proj\n", "#SBATCH --time=00:10:00\n", "\nmodule load openmpi\n"} {
				if !strings.Contains(s.Text, w) {
					t.Errorf("script lacks %q:\n%s", w, s.Text)
				}
			}
			// A one-rank run never needs a launcher.
			one := runJob(t, p, scripts, 1, 1)
			if one.Job.NTasks != 1 || one.Job.CPUsPerTask != 1 && tt.name != "cpus_per_task" || one.Job.Tasks[0].Argv[0] != plainBins.Run {
				t.Errorf("one-rank job: ntasks %d cpus %d argv %q", one.Job.NTasks, one.Job.CPUsPerTask, one.Job.Tasks[0].Argv)
			}
		})
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// TestRenderSlurmSettings: the config's settings override the machine's,
// extra lines add up, and every job gets them.
func TestRenderSlurmSettings(t *testing.T) {
	_, scripts := renderSmoke(t, "", plainBins, "slurm: {partition: batch, time: \"1:00:00\", extra: [--qos=normal]}\n",
		"slurm: {time: \"0:05:00\", extra: [--constraint=cpu]}\n")
	for _, s := range scripts {
		for _, w := range []string{"#SBATCH --partition=batch\n", "#SBATCH --time=0:05:00\n", "#SBATCH --qos=normal\n", "#SBATCH --constraint=cpu\n",
			"#SBATCH --job-name=" + s.Job.JobName + "\n", "#SBATCH --output=" + s.Job.Output + "\n"} {
			if !strings.Contains(s.Text, w) {
				t.Errorf("%s lacks %q", s.Path, w)
			}
		}
		if strings.Contains(s.Text, "1:00:00") {
			t.Errorf("%s keeps the machine's time limit", s.Path)
		}
	}
}

// TestRenderTemplatesOverride: a site header.tmpl (the embedded one with an
// extra #SBATCH line) reaches every job, and the scripts stay valid bash.
func TestRenderTemplatesOverride(t *testing.T) {
	embedded, err := jobs.FS.ReadFile(jobs.Header)
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Replace(string(embedded), "#SBATCH --output={{.Output}}", "#SBATCH --output={{.Output}}\n#SBATCH --constraint=site-header", 1)
	if header == string(embedded) {
		t.Fatal("the embedded header has no --output line to extend")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, jobs.Header), []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
	_, scripts := renderSmoke(t, dir, plainBins, "", "")
	kinds := map[string]bool{}
	for _, s := range scripts {
		kinds[s.Job.Kind] = true
		if strings.Count(s.Text, "\n#SBATCH --constraint=site-header\n") != 1 {
			t.Errorf("%s lacks the site's #SBATCH line:\n%s", s.Path, s.Text)
		}
	}
	if len(kinds) != 3 {
		t.Errorf("job kinds %v", kinds)
	}
	out := t.TempDir()
	if err := WriteScripts(out, scripts); err != nil {
		t.Fatal(err)
	}
	for _, s := range scripts {
		p := filepath.Join(out, s.Path)
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm()&0o100 == 0 {
			t.Errorf("%s: %v, mode %v", p, err, st.Mode())
			continue
		}
		if b, err := exec.Command("bash", "-n", p).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", s.Path, err, b)
		}
	}
	for _, d := range []string{LogsDir, NetsDir, RunsDir} {
		if st, err := os.Stat(filepath.Join(out, d)); err != nil || !st.IsDir() {
			t.Errorf("WriteScripts did not create %s", d)
		}
	}
}
