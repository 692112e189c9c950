package bench

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// isolateMachines points $SNNKIT_MACHINES at dir (may be "") and the user's
// config folder at an empty one, so only dir and the shipped profiles count.
func isolateMachines(t *testing.T, dir string) {
	t.Helper()
	t.Setenv(MachineDirsEnv, dir)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
}

func TestLoadShippedMachines(t *testing.T) {
	isolateMachines(t, "")
	got := ShippedMachines()
	sort.Strings(got)
	if want := []string{"local", "local-slurm"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ShippedMachines() = %q, want %q", got, want)
	}
	tests := []struct {
		name string
		want func(m *Machine) bool
	}{
		{"", func(m *Machine) bool { return m.Name == "local" }},
		{"local", func(m *Machine) bool {
			return m.Name == "local" && m.Launcher == "mpirun" && m.Slurm.Launcher == "srun" &&
				reflect.DeepEqual(m.MPIRunArgs, []string{"--oversubscribe", "--bind-to", "none"})
		}},
		{"local-slurm", func(m *Machine) bool {
			return m.Name == "local-slurm" && m.Slurm.Partition == "debug" && m.Slurm.Time == "00:10:00" &&
				m.Slurm.TasksPerNode == 4 && m.Slurm.Launcher == "srun" && m.Limits.Nodes == 1 && len(m.Slurm.Setup) == 2
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := LoadMachine(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(m) {
				t.Errorf("unexpected profile %+v", m)
			}
			if !strings.Contains(m.Source, "(shipped)") {
				t.Errorf("source %q, want a shipped profile", m.Source)
			}
		})
	}
}

func TestLoadMachinePathAndSearch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	site := write("site.yaml", "name: site\nlauncher: none\nslurm: {partition: batch, account: proj, time: \"1:00:00\"}\nlimits: {nodes: 8, cores_per_node: 64}\n")
	write("local.yaml", "name: my-local\ndescription: overrides the shipped local\n")
	isolateMachines(t, dir)

	tests := []struct {
		arg, name, source string
	}{
		{site, "site", site},   // a path
		{"site", "site", site}, // a name in $SNNKIT_MACHINES
		{"local", "my-local", filepath.Join(dir, "local.yaml")}, // found before the shipped one
		{"local-slurm", "local-slurm", "machines/local-slurm.yaml (shipped)"},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			m, err := LoadMachine(tt.arg)
			if err != nil {
				t.Fatal(err)
			}
			if m.Name != tt.name || m.Source != tt.source {
				t.Errorf("got %s from %s, want %s from %s", m.Name, m.Source, tt.name, tt.source)
			}
		})
	}
	m, err := LoadMachine(site)
	if err != nil {
		t.Fatal(err)
	}
	want := Limits{Nodes: 8, CoresPerNode: 64}
	if m.Launcher != "none" || m.Slurm.Partition != "batch" || m.Slurm.Account != "proj" || m.Limits != want {
		t.Errorf("site profile %+v", m)
	}
}

func TestLoadMachineErrors(t *testing.T) {
	dir := t.TempDir()
	isolateMachines(t, dir)
	tests := []struct {
		name string
		arg  string
		want []string
	}{
		{"unknown name", "nosuch", []string{`machine "nosuch"`, "nosuch.yaml", dir, "shipped profiles (local-slurm, local)"}},
		{"bad name", "a b", []string{`machine "a b"`, "profile name"}},
		{"missing file", filepath.Join(dir, "missing.yaml"), []string{"machine profile", "missing.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadMachine(tt.arg)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// machineErrorCases are rejected profiles and what each error must say.
var machineErrorCases = []struct {
	name, yaml string
	want       []string
}{
	{"bad launcher", "name: m\nlauncher: ssh\n", []string{"machine profile m.yaml:2: launcher: \"ssh\"", "mpirun, none"}},
	{"bad slurm launcher", "name: m\nslurm:\n  launcher: ssh\n", []string{"m.yaml:2: slurm.launcher: \"ssh\"", "srun, mpirun"}},
	{"negative nodes limit", "name: m\nlimits: {nodes: -1}\n", []string{"m.yaml:2: limits.nodes: -1", "≥ 0"}},
	{"negative cores limit", "name: m\nlimits:\n  cores_per_node: -4\n", []string{"m.yaml:2: limits.cores_per_node: -4"}},
	{"negative gpus limit", "name: m\nlimits: {gpus_per_node: -1}\n", []string{"limits.gpus_per_node: -1"}},
	{"negative tasks per node", "name: m\nslurm: {tasks_per_node: -2}\n", []string{"m.yaml:2: slurm.tasks_per_node: -2"}},
	{"bad time", "name: m\nslurm: {time: soon}\n", []string{"m.yaml:2: slurm.time", "\"soon\""}},
	{"extra without dash", "name: m\nslurm: {extra: [qos]}\n", []string{"m.yaml:2: slurm.extra", "--qos=normal"}},
	{"missing name", "launcher: none\n", []string{"m.yaml: name: \"\""}},
	{"bad name", "name: a/b\n", []string{"m.yaml:1: name: \"a/b\""}},
	{"unknown key", "name: m\nlauncer: mpirun\n", []string{"m.yaml:2: launcer: unknown key", "launcher", "limits"}},
	{"unknown limits key", "name: m\nlimits:\n  node: 2\n", []string{"m.yaml:3: limits.node: unknown key", "nodes, cores_per_node, gpus_per_node"}},
	{"empty", "", []string{"machine profile m.yaml: empty file"}},
	{"two documents", "name: m\n---\nname: n\n", []string{"m.yaml: more than one YAML document"}},
}

func TestParseMachineErrors(t *testing.T) {
	for _, tt := range machineErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseMachine("m.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("accepted %+v", m)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseMachineDefaults(t *testing.T) {
	m, err := ParseMachine("m.yaml", []byte("name: m\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Launcher != "mpirun" || m.Slurm.Launcher != "srun" || m.Source != "m.yaml" {
		t.Errorf("defaults: launcher %q, slurm launcher %q, source %q", m.Launcher, m.Slurm.Launcher, m.Source)
	}
}

func FuzzParseMachine(f *testing.F) {
	f.Add("name: m\nlauncher: none\nslurm: {partition: p, time: \"10\"}\nlimits: {nodes: 2}\n")
	for _, tt := range machineErrorCases {
		f.Add(tt.yaml)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMachine("fuzz.yaml", []byte(s))
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if !fileNameRE.MatchString(m.Name) || !slices.Contains(LocalLaunchers, m.Launcher) || !slices.Contains(Launchers, m.Slurm.Launcher) {
			t.Errorf("accepted profile with a bad name or launcher: %+v", m)
		}
		if m.Limits.Nodes < 0 || m.Limits.CoresPerNode < 0 || m.Limits.GPUsPerNode < 0 {
			t.Errorf("accepted negative limits: %+v", m.Limits)
		}
	})
}
