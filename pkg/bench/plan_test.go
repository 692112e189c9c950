package bench

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/results"
)

// testMachine parses a machine profile for tests; extra is appended to
// "name: test".
func testMachine(t testing.TB, extra string) *Machine {
	t.Helper()
	m, err := ParseMachine("test.yaml", []byte("name: test\n"+extra))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// expandYAML parses a config and expands it for m.
func expandYAML(t testing.TB, yaml string, m *Machine) (*Plan, error) {
	t.Helper()
	c, err := ParseConfig("bench.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v\n%s", err, yaml)
	}
	return Expand(c, m)
}

func mustExpand(t testing.TB, yaml string, m *Machine) *Plan {
	t.Helper()
	p, err := expandYAML(t, yaml, m)
	if err != nil {
		t.Fatalf("expand: %v\n%s", err, yaml)
	}
	return p
}

func TestExpandSmoke(t *testing.T) {
	p := mustExpand(t, smokeYAML, testMachine(t, ""))
	if len(p.Runs) != 12 || len(p.Networks) != 12 {
		t.Fatalf("%d runs of %d networks, want 12 of 12", len(p.Runs), len(p.Networks))
	}
	if p.Format != PlanFormat || p.Benchmark != "brunel-smoke" || p.Machine.Name != "test" || p.ConfigFile != "bench.yaml" {
		t.Errorf("plan header %q %q %q %q", p.Format, p.Benchmark, p.Machine.Name, p.ConfigFile)
	}
	// Seeds vary fastest, then ranks, then N.
	i := 0
	for _, n := range []string{"1000", "2000"} {
		for _, r := range []int{1, 2} {
			for _, s := range []uint64{1, 2, 3} {
				c := p.Runs[i].Config
				if c.Params["N"] != n || c.Ranks != r || c.Seed != s {
					t.Errorf("run %d: N %s ranks %d seed %d, want N %s ranks %d seed %d", i, c.Params["N"], c.Ranks, c.Seed, n, r, s)
				}
				i++
			}
		}
	}
	names := map[string]bool{}
	nets := map[string]*Net{}
	for i := range p.Networks {
		nets[p.Networks[i].Key] = &p.Networks[i]
	}
	for _, r := range p.Runs {
		c := r.Config
		if names[r.Name] {
			t.Errorf("run name %s twice", r.Name)
		}
		names[r.Name] = true
		if err := checkFileName("run name", r.Name); err != nil {
			t.Error(err)
		}
		if !strings.HasPrefix(r.Name, "brunel-smoke-") {
			t.Errorf("run name %s lacks the benchmark's name", r.Name)
		}
		fixed := c
		fixed.Params, fixed.Seed, fixed.Ranks = nil, 0, 0
		want := results.RunConfig{Benchmark: "brunel-smoke", Machine: "test", Model: "brunel", Threads: 1,
			Backend: "cpu", Comm: "collective", Scaling: "strong", TPresim: 100, TSim: 1000}
		if !reflect.DeepEqual(fixed, want) {
			t.Errorf("run %s config %+v, want %+v", r.Name, fixed, want)
		}
		n := nets[r.Net]
		if n == nil {
			t.Fatalf("run %s: network %s not in the plan", r.Name, r.Net)
		}
		if n.Seed != c.Seed || n.Ranks != c.Ranks || !reflect.DeepEqual(n.Sets, []string{"N=" + c.Params["N"]}) || n.Model != "brunel" {
			t.Errorf("run %s (seed %d ranks %d N %s) on network %+v", r.Name, c.Seed, c.Ranks, c.Params["N"], n)
		}
		if err := checkFileName("network key", n.Key); err != nil {
			t.Error(err)
		}
		if !strings.HasSuffix(n.Key, "-s"+strconv.FormatUint(c.Seed, 10)+"-r"+strconv.Itoa(c.Ranks)) || !strings.HasPrefix(n.Key, "brunel-") {
			t.Errorf("network key %s, want brunel-DIGEST-sSEED-rRANKS", n.Key)
		}
		if !strings.HasPrefix(n.Digest, "sha256:") || !strings.Contains(n.Key, shortDigest(n.Digest)) {
			t.Errorf("network %s: digest %q not in the key", n.Key, n.Digest)
		}
	}
	// The two N values are two models; the rank counts share them.
	if nets[p.Runs[0].Net].Digest == nets[p.Runs[6].Net].Digest {
		t.Error("N=1000 and N=2000 have the same model digest")
	}
	if nets[p.Runs[0].Net].Digest != nets[p.Runs[3].Net].Digest {
		t.Error("ranks 1 and 2 of N=1000 have different model digests")
	}
	var text bytes.Buffer
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(text.String(), "\n"), "\n")
	if len(lines) != 1+12 || !strings.Contains(lines[0], "12 runs of 12 networks") {
		t.Errorf("WriteText: %d lines, header %q", len(lines), lines[0])
	}
	for i, l := range lines[1:] {
		if !strings.HasPrefix(l, p.Runs[i].Name+" ") || !strings.Contains(l, "net="+p.Runs[i].Net) {
			t.Errorf("WriteText line %d: %q", i, l)
		}
	}
}

// TestExpandThreadsShareNetworks: thread counts run the same network, built
// with the most threads any of its runs uses.
func TestExpandThreadsShareNetworks(t *testing.T) {
	p := mustExpand(t, editYAML(map[string]string{"threads": "threads: [1, 2]"}, "comm: [collective, p2p]\n"), testMachine(t, ""))
	if len(p.Runs) != 48 || len(p.Networks) != 12 {
		t.Fatalf("%d runs of %d networks, want 48 of 12", len(p.Runs), len(p.Networks))
	}
	perNet := map[string]map[string]bool{}
	for _, r := range p.Runs {
		if perNet[r.Net] == nil {
			perNet[r.Net] = map[string]bool{}
		}
		perNet[r.Net][strconv.Itoa(r.Config.Threads)+r.Config.Comm] = true
	}
	for _, n := range p.Networks {
		if len(perNet[n.Key]) != 4 {
			t.Errorf("network %s has %d thread/comm combinations, want 4", n.Key, len(perNet[n.Key]))
		}
		if n.Threads != 2 {
			t.Errorf("network %s builds with %d threads, want 2", n.Key, n.Threads)
		}
	}
}

func TestExpandWeakScaling(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wantN map[int]string // by ranks
	}{
		{"N given", editYAML(map[string]string{"model_params": "model_params: {N: 1000}", "seeds": "seeds: [1]"}, "scaling: weak\n"),
			map[int]string{1: "1000", 2: "2000"}},
		{"scale_param defaulted", editYAML(map[string]string{"model_params": "", "seeds": "seeds: [1]"}, "scaling: weak\n"),
			map[int]string{1: "10000", 2: "20000"}},
		{"scale_param given", editYAML(map[string]string{"model_params": "model_params: {N: 500, g: 4}", "seeds": "seeds: [1]"}, "scaling: weak\nscale_param: N\n"),
			map[int]string{1: "500", 2: "1000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := mustExpand(t, tt.yaml, testMachine(t, ""))
			if len(p.Runs) != 2 || len(p.Networks) != 2 {
				t.Fatalf("%d runs of %d networks, want 2 of 2", len(p.Runs), len(p.Networks))
			}
			for i, r := range p.Runs {
				want := tt.wantN[r.Config.Ranks]
				if r.Config.Params["N"] != want || r.Config.Scaling != "weak" {
					t.Errorf("ranks %d: params %v scaling %s, want N=%s weak", r.Config.Ranks, r.Config.Params, r.Config.Scaling, want)
				}
				if !slices.Contains(p.Networks[i].Sets, "N="+want) {
					t.Errorf("network %s sets %q, want N=%s", p.Networks[i].Key, p.Networks[i].Sets, want)
				}
			}
			if p.Networks[0].Digest == p.Networks[1].Digest {
				t.Error("weak scaling kept one model for both rank counts")
			}
		})
	}
}

// TestExpandModelFile: a relative model_file is read from the config's
// folder, and a dotted scale_param scales weakly.
func TestExpandModelFile(t *testing.T) {
	mdl, err := model.Builtin("brunel", []model.Set{{Path: []string{"N"}, Value: "100"}})
	if err != nil {
		t.Fatal(err)
	}
	text, err := model.Marshal(mdl, "test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "small.yaml"), text, 0o644); err != nil {
		t.Fatal(err)
	}
	yaml := "name: mf\nmodel_file: small.yaml\nmodel_params: {populations.E.size: 80}\nseeds: 1\nt_presim: 0\nt_sim: 10\nranks: [1, 2]\nscaling: weak\nscale_param: populations.E.size\n"
	c, err := ParseConfig(filepath.Join(dir, "bench.yaml"), []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Expand(c, testMachine(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Networks) != 2 {
		t.Fatalf("%d networks, want 2", len(p.Networks))
	}
	for i, want := range []string{"populations.E.size=80", "populations.E.size=160"} {
		n := p.Networks[i]
		if n.ModelFile != filepath.Join(dir, "small.yaml") || n.Model != "" || !reflect.DeepEqual(n.Sets, []string{want}) {
			t.Errorf("network %d: model_file %q model %q sets %q, want %s", i, n.ModelFile, n.Model, n.Sets, want)
		}
		if !strings.HasPrefix(n.Key, "small-") || p.Runs[i].Config.Model != "small" {
			t.Errorf("network %s, run model %q: want the model named after its file", n.Key, p.Runs[i].Config.Model)
		}
	}
	if argv := p.Networks[0].BuildArgv(Bins{Build: "/b/snn-build"}); !slices.Contains(argv, "--model-file") || !slices.Contains(argv, filepath.Join(dir, "small.yaml")) {
		t.Errorf("build argv %q lacks --model-file", argv)
	}
	c.ModelFile = "missing.yaml"
	if _, err := Expand(c, testMachine(t, "")); err == nil || !strings.Contains(err.Error(), "model_file") || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing model file: %v", err)
	}
}

func TestExpandErrors(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		machine string
		want    []string
	}{
		{"unknown model param", editYAML(map[string]string{"model_params": "model_params: {bogus: 1}"}, ""), "",
			[]string{"bench.yaml:3: model_params", "bogus", "N, g, eta"}},
		{"bad model param value", editYAML(map[string]string{"model_params": "model_params: {synapse: alpha}"}, ""), "",
			[]string{"bench.yaml:3: model_params", "synapse", "alpha"}},
		{"unknown model", editYAML(map[string]string{"model": "model: nosuch"}, ""), "",
			[]string{"bench.yaml:2: model:", `"nosuch"`, "brunel", "microcircuit"}},
		{"same value twice", editYAML(map[string]string{"model_params": "model_params: {N: [1000, 1000]}"}, ""), "",
			[]string{"model_params", "same value twice"}},
		{"weak scale_param not a parameter", editYAML(nil, "scaling: weak\nscale_param: size\n"), "",
			[]string{"scale_param", `"size"`, "brunel"}},
		{"weak non-number", editYAML(map[string]string{"model_params": "model_params: {N: many}"}, "scaling: weak\n"), "",
			[]string{"model_params.N", `"many"`, "positive number"}},
		{"ranks do not fit", editYAML(map[string]string{"ranks": "ranks: [4]"}, "slurm: {nodes: 1, tasks_per_node: 2}\n"), "",
			[]string{"4 ranks do not fit slurm.nodes 1 × slurm.tasks_per_node 2"}},
		{"more nodes than ranks", editYAML(map[string]string{"ranks": "ranks: [1]"}, "slurm: {nodes: 2}\n"), "",
			[]string{"more nodes than ranks"}},
		{"nodes limit", editYAML(map[string]string{"ranks": "ranks: [4]"}, ""), "slurm: {tasks_per_node: 2}\nlimits: {nodes: 1}\n",
			[]string{"4 ranks need 2 nodes at 2 tasks per node; machine test has 1"}},
		{"cores limit", editYAML(map[string]string{"ranks": "ranks: [2]", "threads": "threads: [4]"}, ""), "limits: {cores_per_node: 4}\n",
			[]string{"2 tasks per node × 4 CPUs per task exceed machine test's 4 cores per node"}},
		{"cores limit with cpus_per_task", editYAML(map[string]string{"ranks": "ranks: [1]"}, "slurm: {cpus_per_task: 16}\n"), "limits: {cores_per_node: 8}\n",
			[]string{"1 tasks per node × 16 CPUs per task exceed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := expandYAML(t, tt.yaml, testMachine(t, tt.machine))
			if err == nil {
				t.Fatalf("expanded to %d runs", len(p.Runs))
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestExpandWithinLimits(t *testing.T) {
	yaml := editYAML(map[string]string{"ranks": "ranks: [2, 4]", "threads": "threads: 2"}, "backend: cuda\n")
	p := mustExpand(t, yaml, testMachine(t, "slurm: {tasks_per_node: 2}\nlimits: {nodes: 2, cores_per_node: 4}\n"))
	if len(p.Runs) != 12 {
		t.Errorf("%d runs, want 12", len(p.Runs))
	}
	if len(p.Warnings) != len(p.Runs) || !strings.Contains(p.Warnings[0], "backend cuda") {
		t.Errorf("warnings %q, want one per cuda run on a machine without GPUs", p.Warnings)
	}
	p = mustExpand(t, yaml, testMachine(t, "limits: {gpus_per_node: 1}\n"))
	if len(p.Warnings) != 0 {
		t.Errorf("warnings %q on a machine with GPUs", p.Warnings)
	}
}

func TestShape(t *testing.T) {
	tests := []struct {
		s              Slurm
		ranks          int
		nodes, perNode int
		err            string
	}{
		{Slurm{}, 4, 1, 4, ""},
		{Slurm{TasksPerNode: 2}, 4, 2, 2, ""},
		{Slurm{TasksPerNode: 2}, 3, 2, 2, ""},
		{Slurm{TasksPerNode: 8}, 2, 1, 2, ""},
		{Slurm{Nodes: 2}, 4, 2, 2, ""},
		{Slurm{Nodes: 2}, 3, 2, 2, ""},
		{Slurm{Nodes: 4}, 2, 0, 0, "more nodes than ranks"},
		{Slurm{Nodes: 2, TasksPerNode: 2}, 4, 2, 2, ""},
		{Slurm{Nodes: 1, TasksPerNode: 8}, 2, 1, 2, ""},
		{Slurm{Nodes: 1, TasksPerNode: 2}, 4, 0, 0, "do not fit"},
		{Slurm{Nodes: 3, TasksPerNode: 2}, 2, 0, 0, "more nodes than ranks"},
	}
	for _, tt := range tests {
		nodes, perNode, err := shape(tt.s, tt.ranks)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("shape(%+v, %d): error %v, want %q", tt.s, tt.ranks, err, tt.err)
			}
			continue
		}
		if err != nil || nodes != tt.nodes || perNode != tt.perNode {
			t.Errorf("shape(%+v, %d) = %d, %d, %v; want %d, %d", tt.s, tt.ranks, nodes, perNode, err, tt.nodes, tt.perNode)
		}
	}
}

func TestPlanWriteRead(t *testing.T) {
	p := mustExpand(t, editYAML(nil, "slurm: {time: \"10\", extra: [\"--qos=x\"]}\n"), testMachine(t, "slurm: {partition: debug}\n"))
	dir := filepath.Join(t.TempDir(), "results")
	if err := p.Write(dir); err != nil {
		t.Fatal(err)
	}
	q, err := ReadPlan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, q) {
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(q)
		t.Errorf("plan changed in the round trip:\n%s\n%s", a, b)
	}
	if q.Slurm.Partition != "debug" || q.Slurm.Time != "10" || !reflect.DeepEqual(q.Slurm.Extra, []string{"--qos=x"}) {
		t.Errorf("merged slurm settings %+v", q.Slurm)
	}

	if _, err := ReadPlan(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a snn-bench results directory") {
		t.Errorf("ReadPlan of an empty folder: %v", err)
	}
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, PlanFile), []byte(`{"format": "other"}`), 0o644)
	if _, err := ReadPlan(bad); err == nil || !strings.Contains(err.Error(), `"format"`) || !strings.Contains(err.Error(), PlanFormat) {
		t.Errorf("ReadPlan of another format: %v", err)
	}
	os.WriteFile(filepath.Join(bad, PlanFile), []byte(`{`), 0o644)
	if _, err := ReadPlan(bad); err == nil || !strings.Contains(err.Error(), filepath.Join(bad, PlanFile)) {
		t.Errorf("ReadPlan of broken JSON: %v", err)
	}
}

func TestPlanPrepare(t *testing.T) {
	m := testMachine(t, "")
	p := mustExpand(t, smokeYAML, m)
	other := mustExpand(t, editYAML(map[string]string{"seeds": "seeds: [4]"}, ""), m)
	dir := t.TempDir()
	if err := p.Prepare(dir, false); err != nil {
		t.Fatal(err)
	}
	// The same plan again (expanded anew) resumes.
	if err := mustExpand(t, smokeYAML, m).Prepare(dir, false); err != nil {
		t.Errorf("resume the same plan: %v", err)
	}
	err := other.Prepare(dir, false)
	if err == nil || !strings.Contains(err.Error(), "plan of another benchmark") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("another plan without force: %v", err)
	}
	if q, _ := ReadPlan(dir); q == nil || len(q.Runs) != 12 {
		t.Error("a refused plan replaced the old one")
	}
	if err := other.Prepare(dir, true); err != nil {
		t.Fatalf("another plan with force: %v", err)
	}
	if q, err := ReadPlan(dir); err != nil || len(q.Runs) != 4 {
		t.Errorf("forced plan not written: %v", err)
	}
}
