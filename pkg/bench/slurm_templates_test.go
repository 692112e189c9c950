package bench

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// fakeBin writes a directory of fake commands that record their argv
// (NUL-separated, one file per call, named after the command and $SLURM_ARRAY_TASK_ID)
// into $ARGV_DIR, and exit with $FAKE_EXIT (default 0).
func fakeBin(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		script := "#!/bin/bash\nprintf '%s\\0' \"$(basename \"$0\")\" \"$@\" > \"$ARGV_DIR/" + n + ".${SLURM_ARRAY_TASK_ID:-x}\"\necho fake output\nexit ${FAKE_EXIT:-0}\n"
		if err := os.WriteFile(filepath.Join(dir, n), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readArgv(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the command did not run: %v", err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

// hostileJob is a job whose every task argument is a hostile value.
func hostileJob(kind string, tasks int) *JobScript {
	s := &JobScript{Kind: kind, JobName: "snn-" + kind + "-x", Output: "slurm/" + kind + "-%j.out",
		Partition: "debug", Account: "proj-1", Time: "0:10:00", NTasks: 2, CPUsPerTask: 1,
		Extra: []string{"--qos=normal"}, Setup: []string{"export SETUP_RAN=yes"}}
	for i := 0; i < tasks; i++ {
		argv := append([]string{"fake-cmd", "--index", strconv.Itoa(i)}, hostile...)
		s.Tasks = append(s.Tasks, JobTask{Index: i, Name: "task-" + strconv.Itoa(i), Log: "logs/task-" + strconv.Itoa(i) + ".log", Dir: "nets/x", Argv: argv})
	}
	return s
}

// TestJobScriptsCannotInject renders every job kind with hostile arguments,
// checks the script with bash -n, runs it with fake commands and checks that
// each command received exactly the intended argv and nothing else ran.
func TestJobScriptsCannotInject(t *testing.T) {
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	bin := fakeBin(t, "fake-cmd")
	for _, kind := range []string{"build", "run", "collect"} {
		t.Run(kind, func(t *testing.T) {
			n := 1
			if kind == "run" {
				n = 3
			}
			job := hostileJob(kind, n)
			text, err := renderJob(tmpl, job)
			if err != nil {
				t.Fatal(err)
			}
			work := t.TempDir()
			argvDir := t.TempDir()
			script := filepath.Join(t.TempDir(), kind+".sbatch")
			if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
				t.Fatalf("bash -n: %v\n%s\n%s", err, out, text)
			}
			for _, want := range []string{"#SBATCH --partition=debug", "#SBATCH --account=proj-1", "#SBATCH --time=0:10:00", "#SBATCH --ntasks=2", "#SBATCH --qos=normal", "\nexport SETUP_RAN=yes\n"} {
				if !strings.Contains(text, want) {
					t.Errorf("script lacks %q:\n%s", want, text)
				}
			}
			for i := 0; i < n; i++ {
				cmd := exec.Command("bash", script)
				cmd.Dir = work
				cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "ARGV_DIR="+argvDir)
				key := "x"
				if kind == "run" {
					key = strconv.Itoa(i)
					cmd.Env = append(cmd.Env, "SLURM_ARRAY_TASK_ID="+key)
				}
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("task %d: %v\n%s", i, err, out)
				}
				got := readArgv(t, filepath.Join(argvDir, "fake-cmd."+key))
				if want := job.Tasks[i].Argv; !reflect.DeepEqual(got, want) {
					t.Errorf("task %d: argv\n got %q\nwant %q", i, got, want)
				}
				if b, err := os.ReadFile(filepath.Join(work, job.Tasks[i].Log)); err != nil || string(b) != "fake output\n" {
					t.Errorf("task %d: log %q, %v", i, b, err)
				}
			}
			for _, d := range []string{work, argvDir, filepath.Dir(script)} {
				filepath.Walk(d, func(p string, _ os.FileInfo, _ error) error {
					if strings.Contains(filepath.Base(p), "INJECTED") {
						t.Errorf("an injected command ran: %s", p)
					}
					return nil
				})
			}
		})
	}
}

// TestRunJobTaskFailure: a failing command fails the array task with its
// exit status and names its log; an index outside the array fails too.
func TestRunJobTaskFailure(t *testing.T) {
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	bin := fakeBin(t, "fake-cmd")
	text, err := renderJob(tmpl, hostileJob("run", 2))
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "run.sbatch")
	os.WriteFile(script, []byte(text), 0o644)
	for _, tc := range []struct {
		index, exit string
		wantRC      int
		wantMsg     string
	}{
		{"1", "3", 3, "task-1 failed with exit status 3; last lines of logs/task-1.log"},
		{"7", "0", 2, "no run for array index '7' (want 0-1)"},
	} {
		cmd := exec.Command("bash", script)
		cmd.Dir = t.TempDir()
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "ARGV_DIR="+t.TempDir(), "SLURM_ARRAY_TASK_ID="+tc.index, "FAKE_EXIT="+tc.exit)
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != tc.wantRC {
			t.Errorf("index %s: %v, want exit %d\n%s", tc.index, err, tc.wantRC, out)
		}
		if !strings.Contains(string(out), tc.wantMsg) {
			t.Errorf("index %s: output lacks %q:\n%s", tc.index, tc.wantMsg, out)
		}
	}
}

func TestRenderJobRejects(t *testing.T) {
	tmpl, err := LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	for name, mod := range map[string]func(*JobScript){
		"partition":  func(s *JobScript) { s.Partition = "debug\n#SBATCH --wrap=x" },
		"account":    func(s *JobScript) { s.Account = "$(id)" },
		"time":       func(s *JobScript) { s.Time = "1h; rm" },
		"extra":      func(s *JobScript) { s.Extra = []string{"--qos=x\ntouch y"} },
		"task name":  func(s *JobScript) { s.Tasks[0].Name = "a/../b" },
		"no command": func(s *JobScript) { s.Tasks[0].Argv = nil },
		"ntasks":     func(s *JobScript) { s.NTasks = 0 },
		"output":     func(s *JobScript) { s.Output = "slurm/$(x).out" },
		"kind":       func(s *JobScript) { s.Kind = "other" },
		"nul arg":    func(s *JobScript) { s.Tasks[0].Argv = []string{"a\x00b"} },
	} {
		s := hostileJob("build", 1)
		mod(s)
		if _, err := renderJob(tmpl, s); err == nil {
			t.Errorf("%s: rendered", name)
		}
	}
}

func TestLoadTemplatesOverride(t *testing.T) {
	dir := t.TempDir()
	// A site's header adds its own #SBATCH line to every job.
	header := `{{define "sbatch"}}#SBATCH --job-name={{.JobName}}
#SBATCH --constraint=site-special{{end}}{{define "setup"}}{{end}}{{define "task"}}run_task() { shift 2; "$@"; }{{end}}`
	os.WriteFile(filepath.Join(dir, "header.tmpl"), []byte(header), 0o644)
	tmpl, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	text, err := renderJob(tmpl, hostileJob("collect", 1))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#SBATCH --constraint=site-special") || strings.Contains(text, "--partition") {
		t.Errorf("the site header did not replace the embedded one:\n%s", text)
	}
	if len(templateFiles()) != 4 {
		t.Errorf("embedded templates: %v", templateFiles())
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, "run.sbatch.tmpl"), []byte("{{.Nope"), 0o644)
	if _, err := LoadTemplates(bad); err == nil || !strings.Contains(err.Error(), "run.sbatch.tmpl") {
		t.Errorf("a broken template: %v", err)
	}
	if _, err := LoadTemplates(t.TempDir()); err == nil {
		t.Error("an empty templates directory was accepted")
	}
	if _, err := LoadTemplates(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing templates directory was accepted")
	}
}
