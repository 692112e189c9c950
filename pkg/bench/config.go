// Package bench holds snn-bench: benchmark configs and machine profiles,
// their expansion into a plan of runs, the local executor, the SLURM job
// scripts and their submission, run status, and collection of finished runs
// into the results store (pkg/results).
package bench

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Values is a config value that may be one scalar or a list of scalars
// ("ranks: 2" or "ranks: [1, 2]"); lists expand into one run per value. The
// values are kept as written; Line is where they were given (0 when unset).
type Values struct {
	Items []string
	Line  int
}

// UnmarshalYAML accepts a scalar or a flow/block sequence of scalars.
func (v *Values) UnmarshalYAML(n *yaml.Node) error {
	v.Line = n.Line
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return fmt.Errorf("line %d: empty value (want a value or a list)", n.Line)
		}
		v.Items = []string{n.Value}
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return fmt.Errorf("line %d: empty list (want at least one value)", n.Line)
		}
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode || c.Tag == "!!null" {
				return fmt.Errorf("line %d: list element is not a plain value", c.Line)
			}
			v.Items = append(v.Items, c.Value)
		}
	default:
		return fmt.Errorf("line %d: want a value or a list of values", n.Line)
	}
	return nil
}

// MarshalYAML writes one value as a scalar, several as a list.
func (v Values) MarshalYAML() (any, error) {
	if len(v.Items) == 1 {
		return v.Items[0], nil
	}
	return v.Items, nil
}

// Slurm holds SLURM settings. A machine profile gives a site's defaults; a
// benchmark config may override the shape of its jobs (time, nodes, tasks
// per node, CPUs, GPUs, extra lines). Empty and zero fields are unset.
type Slurm struct {
	Partition string `yaml:"partition,omitempty" json:"partition,omitempty"`
	Account   string `yaml:"account,omitempty" json:"account,omitempty"`
	// Time is the time limit of every job (sbatch --time).
	Time string `yaml:"time,omitempty" json:"time,omitempty"`
	// Nodes per run job; default: the fewest that hold the ranks at
	// TasksPerNode.
	Nodes        int `yaml:"nodes,omitempty" json:"nodes,omitempty"`
	TasksPerNode int `yaml:"tasks_per_node,omitempty" json:"tasks_per_node,omitempty"`
	// CPUsPerTask defaults to the run's threads per rank.
	CPUsPerTask int `yaml:"cpus_per_task,omitempty" json:"cpus_per_task,omitempty"`
	GPUsPerNode int `yaml:"gpus_per_node,omitempty" json:"gpus_per_node,omitempty"`
	// Extra are further #SBATCH options, one per entry ("--qos=normal").
	Extra []string `yaml:"extra,omitempty" json:"extra,omitempty"`
	// Setup are shell lines run before each job's command ("module load
	// openmpi"). They belong in machine profiles.
	Setup []string `yaml:"setup,omitempty" json:"setup,omitempty"`
	// Launcher starts multi-rank runs inside a job: srun or mpirun.
	Launcher string `yaml:"launcher,omitempty" json:"launcher,omitempty"`
}

// merge returns s with the fields that o sets replaced (Extra and Setup are
// appended).
func (s Slurm) merge(o Slurm) Slurm {
	str := func(a *string, b string) {
		if b != "" {
			*a = b
		}
	}
	num := func(a *int, b int) {
		if b != 0 {
			*a = b
		}
	}
	str(&s.Partition, o.Partition)
	str(&s.Account, o.Account)
	str(&s.Time, o.Time)
	str(&s.Launcher, o.Launcher)
	num(&s.Nodes, o.Nodes)
	num(&s.TasksPerNode, o.TasksPerNode)
	num(&s.CPUsPerTask, o.CPUsPerTask)
	num(&s.GPUsPerNode, o.GPUsPerNode)
	s.Extra = append(append([]string(nil), s.Extra...), o.Extra...)
	s.Setup = append(append([]string(nil), s.Setup...), o.Setup...)
	return s
}

// Config is a benchmark config: what to benchmark, not where (see Machine).
type Config struct {
	// Name names the benchmark; it prefixes run names.
	Name string `yaml:"name"`
	// Model is a built-in model (snn-build models); ModelFile a YAML model
	// file (relative to the config's folder). Exactly one is given.
	Model     string `yaml:"model,omitempty"`
	ModelFile string `yaml:"model_file,omitempty"`
	// ModelParams are --set overrides (built-in parameters such as N or
	// dotted paths such as populations.E.size); each may be a list.
	ModelParams map[string]Values `yaml:"model_params,omitempty"`
	// Seeds are the repetitions: one network and run per seed.
	Seeds Values `yaml:"seeds"`
	// TPresim and TSim are the warm-up and measured model times in ms.
	TPresim *float64 `yaml:"t_presim"`
	TSim    *float64 `yaml:"t_sim"`
	// Ranks, Threads (per rank), Backend (cpu, cuda) and Comm (collective,
	// p2p) expand like model parameters.
	Ranks   Values `yaml:"ranks"`
	Threads Values `yaml:"threads,omitempty"`
	Backend Values `yaml:"backend,omitempty"`
	Comm    Values `yaml:"comm,omitempty"`
	// Scaling is strong (the default: the model as given on every rank
	// count) or weak (ScaleParam multiplied by the rank count).
	Scaling string `yaml:"scaling,omitempty"`
	// ScaleParam is the model size parameter weak scaling multiplies; the
	// built-ins declare theirs (brunel N, microcircuit N_scaling,
	// hpc_benchmark scale).
	ScaleParam string `yaml:"scale_param,omitempty"`
	// Slurm overrides the machine profile's job settings.
	Slurm Slurm `yaml:"slurm,omitempty"`

	// src is where the config was read from, for errors and to anchor a
	// relative model_file.
	src located
}

// located names a YAML file and its lines in errors:
// "PREFIXFILE:LINE: KEY: what", LINE being that of KEY's top-level key.
type located struct {
	prefix, file string
	lines        map[string]int // top-level key → line
}

// locate records the lines of data's top-level keys.
func locate(prefix, file string, data []byte) located {
	l := located{prefix: prefix, file: file, lines: map[string]int{}}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return l
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		l.lines[m.Content[i].Value] = m.Content[i].Line
	}
	return l
}

// errorf formats an error naming the file, the line of key and key.
func (l located) errorf(key string, format string, args ...any) error {
	where := l.file
	if n := l.lines[strings.SplitN(key, ".", 2)[0]]; n > 0 {
		where += ":" + strconv.Itoa(n)
	}
	return fmt.Errorf("%s%s: %s: %s", l.prefix, where, key, fmt.Sprintf(format, args...))
}

// Accepted values of the enumerated config fields.
var (
	Backends = []string{"cpu", "cuda"}
	Comms    = []string{"collective", "p2p"}
	Scalings = []string{"strong", "weak"}
)

// ScaleParams are the built-in models' size parameters for weak scaling.
var ScaleParams = map[string]string{"brunel": "N", "microcircuit": "N_scaling", "hpc_benchmark": "scale"}

// LoadConfig reads and validates a benchmark config file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read benchmark config: %w", err)
	}
	return ParseConfig(path, b)
}

// ParseConfig parses and validates a benchmark config; file names it in
// errors and anchors a relative model_file. Unknown keys, missing required
// keys, empty lists, malformed numbers and unknown choices are errors naming
// the file, line and field with the accepted values.
func ParseConfig(file string, data []byte) (*Config, error) {
	var c Config
	if err := decodeStrict(file, data, &c); err != nil {
		return nil, err
	}
	c.src = locate("", file, data)
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// decodeStrict decodes one YAML document into v, refusing unknown keys and
// a second document. Errors name file, the line and the key ("FILE:LINE:
// KEY: what"); an unknown key's lists the accepted keys.
func decodeStrict(file string, data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: empty file", file)
		}
		return yamlError(file, data, reflect.TypeOf(v), err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: more than one YAML document (want one)", file)
	}
	return nil
}

var (
	yamlLineRE     = regexp.MustCompile(`^line ([0-9]+): (.*)$`)
	yamlUnknownKey = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
)

// yamlError rewrites the decoding error err of data into v's type t as one
// "FILE:LINE: KEY: what" per problem.
func yamlError(file string, data []byte, t reflect.Type, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	keys := keyLines(data)
	var errs []error
	for _, m := range msgs {
		sm := yamlLineRE.FindStringSubmatch(m)
		if sm == nil {
			errs = append(errs, fmt.Errorf("%s: %s", file, m))
			continue
		}
		line, _ := strconv.Atoi(sm[1])
		what, key := sm[2], ""
		u := yamlUnknownKey.FindStringSubmatch(what)
		// The line's keys, innermost last; pick the one the message is about.
		for _, k := range keys[line] {
			key = k.path
			if u != nil && (k.path == u[1] || strings.HasSuffix(k.path, "."+u[1])) {
				break
			}
			if k.value != "" && strings.Contains(what, "`"+k.value+"`") {
				break
			}
		}
		if u != nil {
			what = "unknown key (accepted: " + strings.Join(yamlKeys(t, u[2]), ", ") + ")"
			if key == "" {
				key = u[1]
			}
		}
		if key != "" {
			what = key + ": " + what
		}
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, what))
	}
	return errors.Join(errs...)
}

// yamlKey is a mapping key's dotted path and, for a scalar, its value.
type yamlKey struct{ path, value string }

// keyLines maps each line of data to the mapping keys on it or whose
// values are on it, outermost first.
func keyLines(data []byte) map[int][]yamlKey {
	lines := map[int][]yamlKey{}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil {
		return lines
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + p
				}
				val := ""
				if v.Kind == yaml.ScalarNode {
					val = v.Value
				}
				lines[k.Line] = append(lines[k.Line], yamlKey{p, val})
				if v.Line != k.Line || v.Kind == yaml.MappingNode {
					walk(v, p)
				}
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if c.Kind == yaml.ScalarNode {
					lines[c.Line] = append(lines[c.Line], yamlKey{path, c.Value})
				} else {
					walk(c, path)
				}
			}
		case yaml.ScalarNode:
			lines[n.Line] = append(lines[n.Line], yamlKey{path, n.Value})
		}
	}
	walk(&doc, "")
	return lines
}

// yamlKeys lists the YAML keys of the struct type named name ("bench.Slurm")
// found in t.
func yamlKeys(t reflect.Type, name string) []string {
	seen := map[reflect.Type]bool{}
	var find func(t reflect.Type) reflect.Type
	find = func(t reflect.Type) reflect.Type {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return nil
		}
		seen[t] = true
		if t.String() == name {
			return t
		}
		for i := 0; i < t.NumField(); i++ {
			if f := find(t.Field(i).Type); f != nil {
				return f
			}
		}
		return nil
	}
	st := find(t)
	if st == nil {
		return nil
	}
	var keys []string
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		k, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if f.IsExported() && k != "-" && k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// validate checks the config and fills defaults (threads 1, backend cpu,
// comm collective, scaling strong).
func (c *Config) validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if c.Name == "" {
		add(c.src.errorf("name", "missing (want a short name for the benchmark)"))
	} else if !fileNameRE.MatchString(c.Name) {
		add(c.src.errorf("name", "%q: want letters, digits and . _ - only", c.Name))
	}
	switch {
	case c.Model == "" && c.ModelFile == "":
		add(c.src.errorf("model", "missing (want a built-in model such as brunel, or model_file: PATH)"))
	case c.Model != "" && c.ModelFile != "":
		add(c.src.errorf("model_file", "give model or model_file, not both"))
	}
	if len(c.Seeds.Items) == 0 {
		add(c.src.errorf("seeds", "missing (want a list of seeds, one per repetition, e.g. [1, 2, 3])"))
	}
	add(c.checkInts("seeds", c.Seeds, 0))
	for _, t := range []struct {
		key string
		v   *float64
	}{{"t_presim", c.TPresim}, {"t_sim", c.TSim}} {
		if t.v == nil {
			add(c.src.errorf(t.key, "missing (want the model time in ms)"))
		} else if !(*t.v >= 0) || *t.v > 1e9 {
			add(c.src.errorf(t.key, "%v: want a number of ms ≥ 0", *t.v))
		}
	}
	if c.TSim != nil && *c.TSim == 0 {
		add(c.src.errorf("t_sim", "0: want a measured time > 0 ms"))
	}
	if len(c.Ranks.Items) == 0 {
		add(c.src.errorf("ranks", "missing (want a list of rank counts, e.g. [1, 2])"))
	}
	add(c.checkInts("ranks", c.Ranks, 1))
	def := func(v *Values, d string) {
		if len(v.Items) == 0 {
			v.Items = []string{d}
		}
	}
	def(&c.Threads, "1")
	def(&c.Backend, "cpu")
	def(&c.Comm, "collective")
	add(c.checkInts("threads", c.Threads, 1))
	add(c.checkChoices("backend", c.Backend, Backends))
	add(c.checkChoices("comm", c.Comm, Comms))
	if c.Scaling == "" {
		c.Scaling = "strong"
	}
	if !slices.Contains(Scalings, c.Scaling) {
		add(c.src.errorf("scaling", "%q: want strong or weak", c.Scaling))
	}
	if c.Scaling == "weak" && c.ScaleParam == "" {
		if c.ScaleParam = ScaleParams[c.Model]; c.ScaleParam == "" {
			add(c.src.errorf("scale_param", "missing: weak scaling of a model file needs the model_params key to multiply by the rank count"))
		}
	}
	if c.Scaling == "strong" && c.ScaleParam != "" {
		add(c.src.errorf("scale_param", "set, but scaling is strong (scale_param is for scaling: weak)"))
	}
	for _, k := range slices.Sorted(maps.Keys(c.ModelParams)) {
		if k == "" || strings.ContainsAny(k, "= \t\n") {
			add(c.src.errorf("model_params", "key %q: want a parameter name or dotted path", k))
		}
		if len(c.ModelParams[k].Items) == 0 {
			add(c.src.errorf("model_params."+k, "empty"))
		}
	}
	add(c.Slurm.check(c.src.errorf))
	return errors.Join(errs...)
}

// checkInts checks that every value of v is an integer ≥ min.
func (c *Config) checkInts(key string, v Values, min int64) error {
	for _, s := range v.Items {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < min {
			return c.src.errorf(key, "%q: want whole numbers ≥ %d", s, min)
		}
	}
	return nil
}

// checkChoices checks that every value of v is one of choices.
func (c *Config) checkChoices(key string, v Values, choices []string) error {
	for _, s := range v.Items {
		if !slices.Contains(choices, s) {
			return c.src.errorf(key, "%q: want one of %s", s, strings.Join(choices, ", "))
		}
	}
	return nil
}

// check validates SLURM settings; errorf names the place.
func (s *Slurm) check(errorf func(key, format string, args ...any) error) error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	wrap := func(key string, err error) {
		if err != nil {
			add(errorf("slurm."+key, "%v", err))
		}
	}
	wrap("partition", checkSlurmName("partition", s.Partition))
	wrap("account", checkSlurmName("account", s.Account))
	wrap("time", checkSlurmTime(s.Time))
	for _, n := range []struct {
		key string
		v   int
	}{{"nodes", s.Nodes}, {"tasks_per_node", s.TasksPerNode}, {"cpus_per_task", s.CPUsPerTask}, {"gpus_per_node", s.GPUsPerNode}} {
		if n.v < 0 {
			add(errorf("slurm."+n.key, "%d: want a number ≥ 0", n.v))
		}
	}
	for _, l := range s.Extra {
		wrap("extra", checkSbatchLine(l))
	}
	for _, l := range s.Setup {
		wrap("setup", checkSetupLine(l))
	}
	if s.Launcher != "" && !slices.Contains(Launchers, s.Launcher) {
		add(errorf("slurm.launcher", "%q: want one of %s", s.Launcher, strings.Join(Launchers, ", ")))
	}
	return errors.Join(errs...)
}

// Launchers start multi-rank runs.
var Launchers = []string{"srun", "mpirun"}
