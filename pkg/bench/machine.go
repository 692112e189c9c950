package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snnkit/snnkit/machines"
)

// Machine is a machine profile: where benchmarks run. It holds what differs
// between systems and users — the launcher, SLURM defaults (partition,
// account, time limit), environment set-up lines and limits — so that a
// benchmark config names none of them and runs unchanged anywhere.
type Machine struct {
	// Name identifies the machine in the results ("local" by default).
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Launcher starts multi-rank runs of snn-bench run on this machine:
	// mpirun, or none (in-process ranks only).
	Launcher string `yaml:"launcher,omitempty" json:"launcher,omitempty"`
	// MPIRunArgs and SrunArgs go right after mpirun and srun.
	MPIRunArgs []string `yaml:"mpirun_args,omitempty" json:"mpirun_args,omitempty"`
	SrunArgs   []string `yaml:"srun_args,omitempty" json:"srun_args,omitempty"`
	// Slurm holds the defaults of every job snn-bench submit renders.
	Slurm Slurm `yaml:"slurm,omitempty" json:"slurm,omitempty"`
	// Limits are what one run may ask of this machine; zero is no limit.
	Limits Limits `yaml:"limits,omitempty" json:"limits,omitempty"`

	// Source is where the profile was read from.
	Source string `yaml:"-" json:"source,omitempty"`
}

// Limits of a machine.
type Limits struct {
	// Nodes a job may use.
	Nodes int `yaml:"nodes,omitempty" json:"nodes,omitempty"`
	// CoresPerNode bounds tasks per node × CPUs per task.
	CoresPerNode int `yaml:"cores_per_node,omitempty" json:"cores_per_node,omitempty"`
	// GPUsPerNode bounds the GPUs a job asks for per node.
	GPUsPerNode int `yaml:"gpus_per_node,omitempty" json:"gpus_per_node,omitempty"`
}

// LocalLaunchers are the accepted Machine.Launcher values.
var LocalLaunchers = []string{"mpirun", "none"}

// MachineDirsEnv names a colon-separated list of folders searched for
// machine profiles before the user's (~/.config/snnkit/machines) and the
// shipped ones.
const MachineDirsEnv = "SNNKIT_MACHINES"

// DefaultMachine is the profile snn-bench uses without --machine.
const DefaultMachine = "local"

// MachineDirs are the folders searched for NAME.yaml, in order: those in
// $SNNKIT_MACHINES, then ~/.config/snnkit/machines. The shipped profiles
// (package machines) come last.
func MachineDirs() []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv(MachineDirsEnv)) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if cfg, err := os.UserConfigDir(); err == nil {
		dirs = append(dirs, filepath.Join(cfg, "snnkit", "machines"))
	}
	return dirs
}

// LoadMachine finds and reads a machine profile: a path to a YAML file
// (containing a "/" or ending in .yaml), or a NAME looked up as NAME.yaml in
// MachineDirs and then among the shipped profiles.
func LoadMachine(name string) (*Machine, error) {
	if name == "" {
		name = DefaultMachine
	}
	if strings.ContainsRune(name, '/') || strings.HasSuffix(name, ".yaml") {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("machine profile: %w", err)
		}
		return ParseMachine(name, b)
	}
	if !fileNameRE.MatchString(name) {
		return nil, fmt.Errorf("machine %q: want a profile name (letters, digits, . _ -) or a path to a YAML file", name)
	}
	for _, d := range MachineDirs() {
		p := filepath.Join(d, name+".yaml")
		b, err := os.ReadFile(p)
		if err == nil {
			return ParseMachine(p, b)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("machine profile: %w", err)
		}
	}
	b, err := machines.FS.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("machine %q: no %s.yaml in %s or among the shipped profiles (%s)",
			name, name, strings.Join(MachineDirs(), ", "), strings.Join(ShippedMachines(), ", "))
	}
	return ParseMachine("machines/"+name+".yaml (shipped)", b)
}

// ShippedMachines lists the names of the profiles shipped with snnkit.
func ShippedMachines() []string {
	names, _ := fs.Glob(machines.FS, "*.yaml")
	for i, n := range names {
		names[i] = strings.TrimSuffix(n, ".yaml")
	}
	return names
}

// ParseMachine parses and validates a machine profile; file names it in
// errors.
func ParseMachine(file string, data []byte) (*Machine, error) {
	var m Machine
	if err := decodeStrict(file, data, &m); err != nil {
		return nil, fmt.Errorf("machine profile %w", err)
	}
	m.Source = file
	errorf := locate("machine profile ", file, data).errorf
	var errs []error
	if m.Name == "" || !fileNameRE.MatchString(m.Name) {
		errs = append(errs, errorf("name", "%q: want letters, digits and . _ - only", m.Name))
	}
	if m.Launcher == "" {
		m.Launcher = "mpirun"
	}
	if !slices.Contains(LocalLaunchers, m.Launcher) {
		errs = append(errs, errorf("launcher", "%q: want one of %s", m.Launcher, strings.Join(LocalLaunchers, ", ")))
	}
	if m.Slurm.Launcher == "" {
		m.Slurm.Launcher = "srun"
	}
	errs = append(errs, m.Slurm.check(errorf))
	for _, n := range []struct {
		key string
		v   int
	}{{"limits.nodes", m.Limits.Nodes}, {"limits.cores_per_node", m.Limits.CoresPerNode}, {"limits.gpus_per_node", m.Limits.GPUsPerNode}} {
		if n.v < 0 {
			errs = append(errs, errorf(n.key, "%d: want a number ≥ 0", n.v))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &m, nil
}
