package bench

import (
	"reflect"
	"strings"
	"testing"
)

// smokeYAML is the minimal benchmark of the issue: 2 N × 3 seeds × 2 rank
// counts × 1 thread count = 12 runs of 12 networks.
const smokeYAML = `name: brunel-smoke
model: brunel
model_params: {N: [1000, 2000]}
seeds: [1, 2, 3]
t_presim: 100
t_sim: 1000
ranks: [1, 2]
threads: [1]
`

// editYAML returns smokeYAML with the line of each top-level key in repl
// replaced by its value ("" drops the line), and add appended.
func editYAML(repl map[string]string, add string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(smokeYAML, "\n"), "\n") {
		key, _, _ := strings.Cut(l, ":")
		if r, ok := repl[key]; ok {
			if r == "" {
				continue
			}
			l = r
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n") + "\n" + add
}

func TestParseConfigSmoke(t *testing.T) {
	c, err := ParseConfig("bench.yaml", []byte(smokeYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		got  []string
		want []string
	}{
		{"seeds", c.Seeds.Items, []string{"1", "2", "3"}},
		{"ranks", c.Ranks.Items, []string{"1", "2"}},
		{"threads", c.Threads.Items, []string{"1"}},
		{"model_params.N", c.ModelParams["N"].Items, []string{"1000", "2000"}},
		{"backend (default)", c.Backend.Items, []string{"cpu"}},
		{"comm (default)", c.Comm.Items, []string{"collective"}},
		{"scaling (default)", []string{c.Scaling}, []string{"strong"}},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s = %q, want %q", f.name, f.got, f.want)
		}
	}
	if c.Name != "brunel-smoke" || c.Model != "brunel" || c.ModelFile != "" {
		t.Errorf("name %q model %q model_file %q", c.Name, c.Model, c.ModelFile)
	}
	if c.TPresim == nil || *c.TPresim != 100 || c.TSim == nil || *c.TSim != 1000 {
		t.Errorf("t_presim %v t_sim %v, want 100 and 1000", c.TPresim, c.TSim)
	}
	if c.Ranks.Line != 7 {
		t.Errorf("ranks line %d, want 7", c.Ranks.Line)
	}
}

// TestParseConfigAccepts covers forms and defaults beyond the smoke config.
func TestParseConfigAccepts(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(c *Config) bool
	}{
		{"scalar ranks", editYAML(map[string]string{"ranks": "ranks: 4"}, ""),
			func(c *Config) bool { return reflect.DeepEqual(c.Ranks.Items, []string{"4"}) }},
		{"block list", editYAML(map[string]string{"seeds": "seeds:\n  - 7\n  - 8"}, ""),
			func(c *Config) bool { return reflect.DeepEqual(c.Seeds.Items, []string{"7", "8"}) }},
		{"threads default", editYAML(map[string]string{"threads": ""}, ""),
			func(c *Config) bool { return reflect.DeepEqual(c.Threads.Items, []string{"1"}) }},
		{"weak defaults scale_param", editYAML(nil, "scaling: weak\n"),
			func(c *Config) bool { return c.Scaling == "weak" && c.ScaleParam == "N" }},
		{"model_file", editYAML(map[string]string{"model": "model_file: m.yaml"}, "scaling: weak\nscale_param: size\n"),
			func(c *Config) bool { return c.ModelFile == "m.yaml" && c.ScaleParam == "size" }},
		{"slurm overrides", editYAML(nil, "slurm:\n  time: \"1-00:00\"\n  launcher: mpirun\n  extra: [\"--qos=long\"]\n"),
			func(c *Config) bool {
				return c.Slurm.Time == "1-00:00" && c.Slurm.Launcher == "mpirun" && reflect.DeepEqual(c.Slurm.Extra, []string{"--qos=long"})
			}},
		{"cuda p2p", editYAML(nil, "backend: [cpu, cuda]\ncomm: p2p\n"),
			func(c *Config) bool {
				return reflect.DeepEqual(c.Backend.Items, []string{"cpu", "cuda"}) && reflect.DeepEqual(c.Comm.Items, []string{"p2p"})
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig("bench.yaml", []byte(tt.yaml))
			if err != nil {
				t.Fatalf("%v\n%s", err, tt.yaml)
			}
			if !tt.check(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}

// configErrorCases are rejected configs and what each error must say: the
// file, the line where known, the field and the accepted values.
var configErrorCases = []struct {
	name string
	yaml string
	want []string
}{
	{"unknown key", editYAML(nil, "rank: [1]\n"),
		[]string{"bench.yaml:9: rank: unknown key", "accepted: name, model", "ranks"}},
	{"unknown slurm key", editYAML(nil, "slurm:\n  partiton: debug\n"),
		[]string{"bench.yaml:10: slurm.partiton: unknown key", "partition", "tasks_per_node"}},
	{"empty list", editYAML(map[string]string{"ranks": "ranks: []"}, ""),
		[]string{"bench.yaml:7: ranks: empty list", "at least one value"}},
	{"empty model_params list", editYAML(map[string]string{"model_params": "model_params: {N: []}"}, ""),
		[]string{"bench.yaml:3: model_params.N: empty list"}},
	{"null value", editYAML(map[string]string{"ranks": "ranks:"}, ""),
		[]string{"bench.yaml:7: ranks: missing"}},
	{"null list element", editYAML(map[string]string{"ranks": "ranks: [1, ~]"}, ""),
		[]string{"bench.yaml:7: ranks: list element"}},
	{"missing seeds", editYAML(map[string]string{"seeds": ""}, ""),
		[]string{"bench.yaml: seeds: missing", "[1, 2, 3]"}},
	{"missing t_sim", editYAML(map[string]string{"t_sim": ""}, ""),
		[]string{"bench.yaml: t_sim: missing", "ms"}},
	{"missing t_presim", editYAML(map[string]string{"t_presim": ""}, ""),
		[]string{"bench.yaml: t_presim: missing"}},
	{"missing ranks", editYAML(map[string]string{"ranks": ""}, ""),
		[]string{"bench.yaml: ranks: missing", "[1, 2]"}},
	{"missing name", editYAML(map[string]string{"name": ""}, ""),
		[]string{"bench.yaml: name: missing"}},
	{"missing model", editYAML(map[string]string{"model": ""}, ""),
		[]string{"bench.yaml: model: missing", "brunel", "model_file"}},
	{"bad name", editYAML(map[string]string{"name": "name: a/b"}, ""),
		[]string{"bench.yaml:1: name: \"a/b\"", "letters, digits"}},
	{"bad backend", editYAML(nil, "backend: [cpu, gpu]\n"),
		[]string{"bench.yaml:9: backend: \"gpu\"", "cpu, cuda"}},
	{"bad comm", editYAML(nil, "comm: mpi\n"),
		[]string{"bench.yaml:9: comm: \"mpi\"", "collective, p2p"}},
	{"bad scaling", editYAML(nil, "scaling: linear\n"),
		[]string{"bench.yaml:9: scaling: \"linear\"", "strong or weak"}},
	{"scale_param with strong", editYAML(nil, "scale_param: N\n"),
		[]string{"bench.yaml:9: scale_param", "strong"}},
	{"weak model_file without scale_param", editYAML(map[string]string{"model": "model_file: m.yaml"}, "scaling: weak\n"),
		[]string{"bench.yaml: scale_param: missing"}},
	{"negative seed", editYAML(map[string]string{"seeds": "seeds: [1, -2]"}, ""),
		[]string{"bench.yaml:4: seeds: \"-2\"", "whole numbers ≥ 0"}},
	{"non-integer seed", editYAML(map[string]string{"seeds": "seeds: [1, 2.5]"}, ""),
		[]string{"bench.yaml:4: seeds: \"2.5\"", "whole numbers ≥ 0"}},
	{"word seed", editYAML(map[string]string{"seeds": "seeds: one"}, ""),
		[]string{"bench.yaml:4: seeds: \"one\"", "whole numbers"}},
	{"zero ranks", editYAML(map[string]string{"ranks": "ranks: [0, 1]"}, ""),
		[]string{"bench.yaml:7: ranks: \"0\"", "whole numbers ≥ 1"}},
	{"zero threads", editYAML(map[string]string{"threads": "threads: 0"}, ""),
		[]string{"bench.yaml:8: threads: \"0\"", "≥ 1"}},
	{"t_sim not a number", editYAML(map[string]string{"t_sim": "t_sim: long"}, ""),
		[]string{"bench.yaml:6: t_sim:", "long"}},
	{"t_sim zero", editYAML(map[string]string{"t_sim": "t_sim: 0"}, ""),
		[]string{"bench.yaml:6: t_sim: 0", "> 0"}},
	{"t_presim negative", editYAML(map[string]string{"t_presim": "t_presim: -1"}, ""),
		[]string{"bench.yaml:5: t_presim: -1", "≥ 0"}},
	{"model and model_file", editYAML(nil, "model_file: m.yaml\n"),
		[]string{"bench.yaml:9: model_file:", "model or model_file, not both"}},
	{"slurm.time malformed", editYAML(nil, "slurm: {time: 10 min}\n"),
		[]string{"bench.yaml:9: slurm.time:", "\"10 min\"", "HH:MM:SS"}},
	{"slurm.launcher bad", editYAML(nil, "slurm:\n  launcher: ssh\n"),
		[]string{"bench.yaml:9: slurm.launcher: \"ssh\"", "srun, mpirun"}},
	{"slurm.extra without dash", editYAML(nil, "slurm:\n  extra: [qos=normal]\n"),
		[]string{"bench.yaml:9: slurm.extra:", "qos=normal", "--qos=normal"}},
	{"slurm.nodes negative", editYAML(nil, "slurm: {nodes: -1}\n"),
		[]string{"bench.yaml:9: slurm.nodes: -1", "≥ 0"}},
	{"slurm.partition bad", editYAML(nil, "slurm: {partition: \"a b\"}\n"),
		[]string{"bench.yaml:9: slurm.partition:", "\"a b\""}},
	{"two documents", smokeYAML + "---\nname: other\n",
		[]string{"bench.yaml: more than one YAML document"}},
	{"empty file", "", []string{"bench.yaml: empty file"}},
	{"comments only", "# nothing here\n", []string{"bench.yaml: empty file"}},
	{"not a mapping", "- 1\n- 2\n", []string{"bench.yaml:1:", "cannot unmarshal"}},
}

func TestParseConfigErrors(t *testing.T) {
	for _, tt := range configErrorCases {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig("bench.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("accepted %+v\n%s", c, tt.yaml)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestParseConfigJoinsErrors: every problem is reported at once.
func TestParseConfigJoinsErrors(t *testing.T) {
	_, err := ParseConfig("bench.yaml", []byte(editYAML(map[string]string{"name": "", "seeds": ""}, "backend: gpu\n")))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, w := range []string{"name: missing", "seeds: missing", "backend: \"gpu\""} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add(smokeYAML)
	for _, tt := range configErrorCases {
		f.Add(tt.yaml)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConfig("fuzz.yaml", []byte(s))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if len(c.Seeds.Items) == 0 || len(c.Ranks.Items) == 0 || len(c.Threads.Items) == 0 ||
			len(c.Backend.Items) == 0 || len(c.Comm.Items) == 0 {
			t.Errorf("accepted config with empty seeds, ranks, threads, backend or comm: %+v", c)
		}
		if c.Name == "" || c.TSim == nil || c.TPresim == nil || (c.Model == "") == (c.ModelFile == "") {
			t.Errorf("accepted config without name, times or exactly one model: %+v", c)
		}
	})
}
