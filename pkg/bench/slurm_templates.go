package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/snnkit/snnkit/jobs"
)

// JobScript is what a job template sees: the #SBATCH settings (each
// validated, see checkJobScript), the environment set-up lines and the tasks.
// A build or collect job has one task; a run job array has one task per
// array index.
type JobScript struct {
	// Kind is "build", "run" or "collect".
	Kind string
	// Network is the key of the network a build or run job is for ("" for
	// the collect job).
	Network string
	// JobName is the SLURM job name, e.g. "snn-run-brunel-1a2b3c4d5e6f".
	JobName string
	// Output is SLURM's output file, relative to the results directory (the
	// job's working directory), with %j (job) or %A_%a (array) patterns.
	Output string
	// Partition, Account, Time: validated against strict patterns; empty
	// when not set.
	Partition, Account, Time string
	// Nodes, NTasksPerNode and GPUsPerNode are 0 when not set.
	Nodes, NTasks, NTasksPerNode, CPUsPerTask, GPUsPerNode int
	// Extra are further #SBATCH options ("--qos=normal"), one per line.
	Extra []string
	// Setup are environment set-up lines (shell code from the machine
	// profile, such as "module load openmpi").
	Setup []string
	// Tasks: one for a build or collect job, one per array index for a run
	// job array (Tasks[i].Index == i).
	Tasks []JobTask
	// LastIndex is the last array index (len(Tasks)-1).
	LastIndex int
}

// JobTask is one command a job runs.
type JobTask struct {
	// Index is the array index (0 for a build or collect job).
	Index int
	// Name is the run name, "build-NETKEY" or "collect".
	Name string
	// Log is the file that gets the command's stdout and stderr, relative to
	// the results directory.
	Log string
	// Dir is the directory the command writes (nets/KEY, runs/RUNNAME or
	// store), relative to the results directory.
	Dir string
	// Argv is the command: launcher (srun, mpirun) if any, binary, arguments.
	// Templates write it with quoteArgs.
	Argv []string
}

// templateFuncs are the functions job templates may call.
var templateFuncs = template.FuncMap{
	// quote: one single-quoted shell word.
	"quote": ShellQuote,
	// quoteArgs: a command line of single-quoted words.
	"quoteArgs": shellQuoteArgs,
}

// templateNames are the job templates Render executes, by job kind.
var templateNames = map[string]string{"build": jobs.Build, "run": jobs.Run, "collect": jobs.Collect}

// LoadTemplates parses the embedded job templates (jobs.FS) and then, when
// dir is not empty, every *.tmpl file in dir: a file there with the name of
// an embedded one (build.sbatch.tmpl, run.sbatch.tmpl, collect.sbatch.tmpl,
// header.tmpl) replaces it, and templates it defines with {{define}} replace
// those of the same name.
func LoadTemplates(dir string) (*template.Template, error) {
	t, err := template.New("jobs").Funcs(templateFuncs).ParseFS(jobs.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("embedded job templates: %w", err)
	}
	if dir == "" {
		return t, nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("templates %s: %w", dir, err)
	}
	if len(files) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		return nil, fmt.Errorf("templates %s: no *.tmpl files (want any of %s, %s, %s, %s)", dir, jobs.Header, jobs.Build, jobs.Run, jobs.Collect)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		if _, err := t.New(filepath.Base(f)).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("template %s: %w", f, err)
		}
	}
	return t, nil
}

// checkJobScript validates every value of s that a template writes outside
// quotes: names, numbers, time limits, #SBATCH and set-up lines, file names.
func checkJobScript(s *JobScript) error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(checkSlurmName("job name", s.JobName))
	add(checkSlurmName("partition", s.Partition))
	add(checkSlurmName("account", s.Account))
	add(checkSlurmTime(s.Time))
	if s.JobName == "" {
		add(errors.New("job name: empty"))
	}
	if !outputRE.MatchString(s.Output) {
		add(fmt.Errorf("slurm output %q: want a results-relative path of letters, digits, . _ - / and %%j %%A %%a", s.Output))
	}
	for _, n := range []struct {
		name string
		v    int
		min  int
	}{{"nodes", s.Nodes, 0}, {"ntasks", s.NTasks, 1}, {"ntasks per node", s.NTasksPerNode, 0}, {"cpus per task", s.CPUsPerTask, 1}, {"gpus per node", s.GPUsPerNode, 0}} {
		if n.v < n.min {
			add(fmt.Errorf("slurm %s %d: want at least %d", n.name, n.v, n.min))
		}
	}
	for _, l := range s.Extra {
		add(checkSbatchLine(l))
	}
	for _, l := range s.Setup {
		add(checkSetupLine(l))
	}
	if len(s.Tasks) == 0 {
		add(fmt.Errorf("%s job %s: no tasks", s.Kind, s.JobName))
	}
	for i, t := range s.Tasks {
		if t.Index != i {
			add(fmt.Errorf("%s job %s: task %d has index %d", s.Kind, s.JobName, i, t.Index))
		}
		add(checkFileName("task name", t.Name))
		if len(t.Argv) == 0 {
			add(fmt.Errorf("task %s: no command", t.Name))
		}
	}
	return errors.Join(errs...)
}

// renderJob executes the template of s.Kind with s.
func renderJob(t *template.Template, s *JobScript) (string, error) {
	name, ok := templateNames[s.Kind]
	if !ok {
		return "", fmt.Errorf("job kind %q: want build, run or collect", s.Kind)
	}
	s.LastIndex = len(s.Tasks) - 1
	if err := checkJobScript(s); err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, name, s); err != nil {
		return "", fmt.Errorf("template %s: %w", name, err)
	}
	return b.String(), nil
}

// templateFiles lists the embedded template names (for messages and tests).
func templateFiles() []string {
	names, _ := fs.Glob(jobs.FS, "*.tmpl")
	return names
}
