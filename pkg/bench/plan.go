package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/results"
)

// Folders and files of a results directory.
const (
	PlanFile = "plan.json"
	NetsDir  = "nets"
	RunsDir  = "runs"
	LogsDir  = "logs"
)

// PlanFormat identifies plan.json.
const PlanFormat = "snnkit-bench-plan"

// Plan is a benchmark config expanded for one machine: every network to
// build once and every run, in order. It is written to RESULTS/plan.json so
// that status and collect (and the SLURM jobs) know what was asked for.
type Plan struct {
	Format    string `json:"format"`
	Benchmark string `json:"benchmark"`
	// ConfigFile is the config's path as given.
	ConfigFile string  `json:"config_file,omitempty"`
	Machine    Machine `json:"machine"`
	// Slurm is the machine's SLURM settings with the config's overrides.
	Slurm    Slurm    `json:"slurm"`
	Networks []Net    `json:"networks"`
	Runs     []Run    `json:"runs"`
	Warnings []string `json:"warnings,omitempty"`
}

// Net is one network to build: a model with its parameters, a seed and a
// partition count. Key names its folder RESULTS/nets/KEY; it holds the
// model's digest, so a changed model never reuses an old network.
type Net struct {
	Key   string `json:"key"`
	Model string `json:"model,omitempty"`
	// ModelFile is an absolute path.
	ModelFile string `json:"model_file,omitempty"`
	// Sets are snn-build --set overrides, KEY=VALUE, in key order.
	Sets   []string `json:"sets,omitempty"`
	Seed   uint64   `json:"seed"`
	Ranks  int      `json:"ranks"`
	Digest string   `json:"model_digest"`
	// Threads for snn-build: the most any of its runs uses.
	Threads int `json:"threads"`
}

// Run is one simulation of a network with one configuration.
type Run struct {
	// Name names the run's folder RESULTS/runs/NAME and its log.
	Name string `json:"name"`
	// Net is the Key of the network it simulates.
	Net    string            `json:"net"`
	Config results.RunConfig `json:"config"`
}

// Dir, Log and Result are the run's folder, log and result.json, relative
// to the results directory.
func (r *Run) Dir() string    { return filepath.Join(RunsDir, r.Name) }
func (r *Run) Log() string    { return filepath.Join(LogsDir, r.Name+".log") }
func (r *Run) Result() string { return filepath.Join(RunsDir, r.Name, results.FileName) }

// Dir and Log are the network's folder and its build log, relative to the
// results directory.
func (n *Net) Dir() string { return filepath.Join(NetsDir, n.Key) }
func (n *Net) Log() string { return filepath.Join(LogsDir, "build-"+n.Key+".log") }

// nameUnsafe matches what a run name may not hold.
var nameUnsafe = regexp.MustCompile(`[^A-Za-z0-9.-]+`)

// Expand turns a validated config into a plan for machine m: the cartesian
// product of the model parameters, ranks, threads, backends and comm modes,
// each repeated for every seed (seeds vary fastest, so repetitions sit
// together). Each distinct model, parameter set, seed and rank count is one
// network, built once. Weak scaling multiplies the scale parameter by the
// rank count. Model parameters are checked by generating the model, so an
// unknown parameter or a bad value fails here, before anything runs.
func Expand(c *Config, m *Machine) (*Plan, error) {
	p := &Plan{Format: PlanFormat, Benchmark: c.Name, ConfigFile: c.src.file, Machine: *m, Slurm: m.Slurm.merge(c.Slurm)}
	modelFile := ""
	var modelData []byte
	if c.ModelFile != "" {
		modelFile = c.ModelFile
		if !filepath.IsAbs(modelFile) {
			modelFile = filepath.Join(filepath.Dir(c.src.file), modelFile)
		}
		abs, err := filepath.Abs(modelFile)
		if err != nil {
			return nil, c.src.errorf("model_file", "%v", err)
		}
		modelFile = abs
		if modelData, err = os.ReadFile(modelFile); err != nil {
			return nil, c.src.errorf("model_file", "%v", err)
		}
	}
	modelName := c.Model
	if modelName == "" {
		modelName = strings.TrimSuffix(filepath.Base(modelFile), filepath.Ext(modelFile))
	}
	if c.Model != "" {
		if _, ok := model.Builtins[c.Model]; !ok {
			return nil, c.src.errorf("model", "unknown model %q (built-ins: %s; or model_file: PATH)", c.Model, strings.Join(model.BuiltinNames(), ", "))
		}
	}
	keys := slices.Sorted(maps.Keys(c.ModelParams))
	weakBase := ""
	if c.Scaling == "weak" {
		if _, ok := c.ModelParams[c.ScaleParam]; !ok {
			spec := model.Builtins[c.Model]
			if spec == nil {
				return nil, c.src.errorf("scale_param", "%q is not in model_params (weak scaling needs its base value)", c.ScaleParam)
			}
			for _, bp := range spec.Params {
				if bp.Name == c.ScaleParam {
					weakBase = bp.Default
				}
			}
			if weakBase == "" {
				return nil, c.src.errorf("scale_param", "%q is not a parameter of %s", c.ScaleParam, c.Model)
			}
			keys = append(keys, c.ScaleParam)
			sort.Strings(keys)
		}
	}
	// Every combination of model parameters, in key order, the last key
	// varying fastest.
	combos := [][]string{nil}
	for _, k := range keys {
		vals := []string{weakBase}
		if v, ok := c.ModelParams[k]; ok {
			vals = v.Items
		}
		var next [][]string
		for _, cmb := range combos {
			for _, v := range vals {
				next = append(next, append(append([]string(nil), cmb...), v))
			}
		}
		combos = next
	}
	nets := map[string]int{}
	names := map[string]bool{}
	digests := map[string]string{}
	for _, cmb := range combos {
		for _, ranksS := range c.Ranks.Items {
			ranks, _ := strconv.Atoi(ranksS)
			params := map[string]string{}
			for i, k := range keys {
				params[k] = cmb[i]
			}
			if c.Scaling == "weak" {
				v, err := strconv.ParseFloat(params[c.ScaleParam], 64)
				if err != nil || !(v > 0) || math.IsInf(v, 0) {
					return nil, c.src.errorf("model_params."+c.ScaleParam, "%q: weak scaling needs a positive number", params[c.ScaleParam])
				}
				params[c.ScaleParam] = strconv.FormatFloat(v*float64(ranks), 'g', -1, 64)
			}
			sets := make([]string, 0, len(keys))
			for _, k := range keys {
				sets = append(sets, k+"="+params[k])
			}
			digest, ok := digests[strings.Join(sets, "\n")]
			if !ok {
				d, err := modelDigest(c, c.Model, modelFile, modelData, sets)
				if err != nil {
					return nil, err
				}
				digest = d
				digests[strings.Join(sets, "\n")] = d
			}
			for _, threadsS := range c.Threads.Items {
				threads, _ := strconv.Atoi(threadsS)
				for _, backend := range c.Backend.Items {
					for _, comm := range c.Comm.Items {
						for _, seedS := range c.Seeds.Items {
							seed, _ := strconv.ParseUint(seedS, 10, 64)
							key := fmt.Sprintf("%s-%s-s%d-r%d", safeName(modelName), shortDigest(digest), seed, ranks)
							ni, ok := nets[key]
							if !ok {
								ni = len(p.Networks)
								nets[key] = ni
								p.Networks = append(p.Networks, Net{Key: key, Model: c.Model, ModelFile: modelFile, Sets: sets,
									Seed: seed, Ranks: ranks, Digest: digest, Threads: threads})
							}
							if threads > p.Networks[ni].Threads {
								p.Networks[ni].Threads = threads
							}
							cfg := results.RunConfig{Benchmark: c.Name, Machine: m.Name, Model: modelName, Params: params,
								Seed: seed, Ranks: ranks, Threads: threads, Backend: backend, Comm: comm, Scaling: c.Scaling,
								TPresim: *c.TPresim, TSim: *c.TSim}
							name := runName(c.Name, keys, params, cfg)
							if names[name] {
								return nil, c.src.errorf("model_params", "two runs would be named %s: a list holds the same value twice", name)
							}
							names[name] = true
							p.Runs = append(p.Runs, Run{Name: name, Net: key, Config: cfg})
						}
					}
				}
			}
		}
	}
	if err := p.checkMachine(); err != nil {
		return nil, err
	}
	return p, nil
}

// modelDigest generates the model with the sets applied and returns its
// digest; errors name the config file and the offending parameter.
func modelDigest(c *Config, builtin, file string, data []byte, sets []string) (string, error) {
	parsed, err := model.ParseSets(sets)
	if err != nil {
		return "", c.src.errorf("model_params", "%v", err)
	}
	var mdl *model.Model
	if builtin != "" {
		mdl, err = model.Builtin(builtin, parsed)
	} else {
		mdl, err = model.Parse(file, data, parsed)
	}
	if err != nil {
		return "", c.src.errorf("model_params", "%v", err)
	}
	d, err := model.Digest(mdl)
	if err != nil {
		return "", fmt.Errorf("%s: model digest: %w", c.src.file, err)
	}
	return d, nil
}

// runName is BENCH-MODELPARAMS-rR-tT-BACKEND-COMM-sSEED, with characters
// outside [A-Za-z0-9.-] replaced.
func runName(bench string, keys []string, params map[string]string, c results.RunConfig) string {
	parts := []string{bench}
	for _, k := range keys {
		parts = append(parts, safeName(k)+safeName(params[k]))
	}
	parts = append(parts, fmt.Sprintf("r%d", c.Ranks), fmt.Sprintf("t%d", c.Threads), c.Backend, c.Comm, fmt.Sprintf("s%d", c.Seed))
	return strings.Join(parts, "-")
}

// shortDigest is the first 12 hex digits of a model digest ("sha256:HEX").
func shortDigest(d string) string {
	if i := strings.LastIndexByte(d, ':'); i >= 0 {
		d = d[i+1:]
	}
	return safeName(d[:min(len(d), 12)])
}

func safeName(s string) string {
	s = nameUnsafe.ReplaceAllString(s, "_")
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// checkMachine checks each run against the machine's limits: errors for
// what SLURM could never schedule, warnings (kept in the plan) for
// oversubscription.
func (p *Plan) checkMachine() error {
	var errs []error
	m := &p.Machine
	s := p.Slurm
	for _, r := range p.Runs {
		nodes, perNode, err := shape(s, r.Config.Ranks)
		if err != nil {
			errs = append(errs, fmt.Errorf("run %s: %w", r.Name, err))
			continue
		}
		if m.Limits.Nodes > 0 && nodes > m.Limits.Nodes {
			errs = append(errs, fmt.Errorf("run %s: %d ranks need %d nodes at %d tasks per node; machine %s has %d", r.Name, r.Config.Ranks, nodes, perNode, m.Name, m.Limits.Nodes))
		}
		cpus := r.Config.Threads
		if s.CPUsPerTask > 0 {
			cpus = s.CPUsPerTask
		}
		if m.Limits.CoresPerNode > 0 && perNode*cpus > m.Limits.CoresPerNode {
			errs = append(errs, fmt.Errorf("run %s: %d tasks per node × %d CPUs per task exceed machine %s's %d cores per node", r.Name, perNode, cpus, m.Name, m.Limits.CoresPerNode))
		}
		if r.Config.Backend == "cuda" && m.Limits.GPUsPerNode == 0 && s.GPUsPerNode == 0 {
			p.Warnings = append(p.Warnings, fmt.Sprintf("run %s: backend cuda, but machine %s declares no GPUs (limits.gpus_per_node)", r.Name, m.Name))
		}
	}
	return errors.Join(errs...)
}

// shape returns the nodes and tasks per node of a run of ranks under the
// settings s: nodes as set, or the fewest that hold the ranks at
// s.TasksPerNode (one node when that is unset). More ranks than nodes ×
// tasks per node is an error.
func shape(s Slurm, ranks int) (nodes, perNode int, err error) {
	nodes, perNode = s.Nodes, s.TasksPerNode
	switch {
	case nodes == 0 && perNode == 0:
		return 1, ranks, nil
	case nodes == 0:
		nodes = (ranks + perNode - 1) / perNode
		if ranks < perNode {
			perNode = ranks
		}
		return nodes, perNode, nil
	case perNode == 0:
		perNode = (ranks + nodes - 1) / nodes
		if nodes > ranks {
			return 0, 0, fmt.Errorf("%d ranks on slurm.nodes %d: more nodes than ranks", ranks, nodes)
		}
		return nodes, perNode, nil
	}
	if ranks > nodes*perNode {
		return 0, 0, fmt.Errorf("%d ranks do not fit slurm.nodes %d × slurm.tasks_per_node %d", ranks, nodes, perNode)
	}
	if nodes > ranks {
		return 0, 0, fmt.Errorf("%d ranks on slurm.nodes %d: more nodes than ranks", ranks, nodes)
	}
	if ranks < perNode {
		perNode = ranks
	}
	return nodes, perNode, nil
}

// WriteText prints the plan: the networks, then one line per run.
func (p *Plan) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "# benchmark %s on machine %s: %d runs of %d networks\n", p.Benchmark, p.Machine.Name, len(p.Runs), len(p.Networks))
	for _, s := range p.Warnings {
		fmt.Fprintf(w, "# warning: %s\n", s)
	}
	for _, r := range p.Runs {
		c := r.Config
		params := make([]string, 0, len(c.Params))
		for _, k := range slices.Sorted(maps.Keys(c.Params)) {
			params = append(params, k+"="+c.Params[k])
		}
		ps := strings.Join(params, ",")
		if ps == "" {
			ps = "-"
		}
		if _, err := fmt.Fprintf(w, "%-56s model=%s %s seed=%d ranks=%d threads=%d backend=%s comm=%s t_sim=%g net=%s\n",
			r.Name, c.Model, ps, c.Seed, c.Ranks, c.Threads, c.Backend, c.Comm, c.TSim, r.Net); err != nil {
			return err
		}
	}
	return nil
}

// Write writes the plan as RESULTS/plan.json (atomically).
func (p *Plan) Write(resultsDir string) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	path := filepath.Join(resultsDir, PlanFile)
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	if err := outdir.WriteBytes(path, append(b, '\n')); err != nil {
		return fmt.Errorf("write plan %s: %w", path, err)
	}
	return nil
}

// ReadPlan reads RESULTS/plan.json.
func ReadPlan(resultsDir string) (*Plan, error) {
	path := filepath.Join(resultsDir, PlanFile)
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read plan: %s is not a snn-bench results directory (no %s; snn-bench run or submit writes it): %w", resultsDir, PlanFile, err)
		}
		return nil, fmt.Errorf("read plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("read plan %s: %w", path, err)
	}
	if p.Format != PlanFormat {
		return nil, fmt.Errorf("read plan %s: field \"format\": %q, want %q", path, p.Format, PlanFormat)
	}
	return &p, nil
}

// sameAs reports whether q plans the same networks and runs as p.
func (p *Plan) sameAs(q *Plan) bool {
	a, _ := json.Marshal(struct {
		N []Net
		R []Run
	}{p.Networks, p.Runs})
	b, _ := json.Marshal(struct {
		N []Net
		R []Run
	}{q.Networks, q.Runs})
	return string(a) == string(b)
}

// Prepare writes the plan into resultsDir, or, when the folder already
// holds a plan, checks that it is the same one (so an interrupted benchmark
// resumes where it stopped) unless force replaces it.
func (p *Plan) Prepare(resultsDir string, force bool) error {
	old, err := ReadPlan(resultsDir)
	if err == nil && !force && !old.sameAs(p) {
		return fmt.Errorf("%s holds the plan of another benchmark (%s, %d runs); give another -o, or --force to replace the plan (finished runs and the store are kept)", resultsDir, old.Benchmark, len(old.Runs))
	}
	return p.Write(resultsDir)
}
