package model

import (
	"math"
	"strings"
	"testing"
)

func TestBuiltinsRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		sets []string
	}{
		{"hpc_benchmark", nil},
		{"hpc_benchmark", []string{"scale=0.5", "plastic=true"}},
		{"microcircuit", nil},
		{"microcircuit", []string{"N_scaling=0.1", "K_scaling=0.1", "input=dc"}},
		{"brunel", []string{"synapse=exp", "g=4.5", "eta=0.9"}},
		{"brunel", []string{"populations.E.params.tau_m=15", "projections.E_I.weight={dist: normal, mean: 0.1, sd: 0.01}"}},
	}
	for _, tc := range cases {
		t.Run(tc.name+strings.Join(tc.sets, ","), func(t *testing.T) {
			sets, err := ParseSets(tc.sets)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Builtin(tc.name, sets)
			if err != nil {
				t.Fatal(err)
			}
			d1, err := Digest(m)
			if err != nil {
				t.Fatal(err)
			}
			y, err := Marshal(m, Header(tc.name, sets))
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Parse("show.yaml", y, nil)
			if err != nil {
				t.Fatalf("parse what show printed: %v\n%s", err, y)
			}
			if d2, _ := Digest(m2); d2 != d1 {
				t.Fatalf("digest changed through YAML: %s → %s", d1, d2)
			}
		})
	}
}

func TestDigestDependsOnModel(t *testing.T) {
	a, _ := Builtin("brunel", nil)
	b, _ := Builtin("brunel", []Set{{Path: []string{"g"}, Value: "6"}})
	da, _ := Digest(a)
	db, _ := Digest(b)
	if da == db {
		t.Fatal("g=5 and g=6 have the same digest")
	}
	if !strings.HasPrefix(da, "sha256:") || len(da) != 7+64 {
		t.Fatalf("digest %q: want sha256:<64 hex>", da)
	}
}

func TestHPCBenchmarkFigures(t *testing.T) {
	m, err := Builtin("hpc_benchmark", nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Populations[0].Size != 9000 || m.Populations[1].Size != 2250 {
		t.Fatalf("sizes %d, %d; want 9000, 2250", m.Populations[0].Size, m.Populations[1].Size)
	}
	var syn int64
	for _, p := range m.Projections {
		syn += p.Indegree * m.Populations[m.PopulationIndex(p.Target)].Size
	}
	if syn != 126_562_500 {
		t.Fatalf("%d synapses, want 126,562,500", syn)
	}
	jE := m.Projections[0].Weight.Value
	if got := peakPSPAlpha(jE, 10, 0.32582722403722841, 250); math.Abs(got-0.14) > 1e-6 {
		t.Fatalf("J_E = %g pA gives a %g mV PSP, want 0.14", jE, got)
	}
	if m.Projections[2].Weight.Value != -5*jE {
		t.Fatalf("J_I = %g, want -5 J_E", m.Projections[2].Weight.Value)
	}
	p, _ := Builtin("hpc_benchmark", []Set{{Path: []string{"plastic"}, Value: "true"}})
	if p.Projections[0].SynapseModel != "stdp_pl_synapse_hom" || p.Projections[1].SynapseModel != "static_synapse" {
		t.Fatal("plastic=true must make E→E (only) stdp_pl_synapse_hom")
	}
}

// peakPSPAlpha integrates the PSP of an alpha current of amplitude w numerically.
func peakPSPAlpha(w, tauM, tauS, cM float64) float64 {
	const dt = 1e-4
	var v, peak float64
	for t := 0.0; t < 20; t += dt {
		i := w * math.E / tauS * t * math.Exp(-t/tauS)
		v += dt * (-v/tauM + i/cM)
		peak = math.Max(peak, v)
	}
	return peak
}

func TestMicrocircuitFigures(t *testing.T) {
	m, err := Builtin("microcircuit", nil)
	if err != nil {
		t.Fatal(err)
	}
	var n, syn int64
	for _, p := range m.Populations {
		n += p.Size
	}
	for _, p := range m.Projections {
		syn += p.N
	}
	if n != 77169 {
		t.Fatalf("%d neurons, want 77,169", n)
	}
	if syn < 298e6 || syn > 300e6 {
		t.Fatalf("%d synapses, want ~0.3 billion", syn)
	}
	if w := PSCOverPSPExp(10, 0.5, 250) * 0.15; math.Abs(w-87.81) > 0.01 {
		t.Fatalf("0.15 mV → %g pA, want 87.8", w)
	}
	// L4E → L2/3E is doubled, inhibitory ×(−4).
	for _, p := range m.Projections {
		c := p.Weight.Centre()
		switch {
		case p.Source == "L4E" && p.Target == "L23E":
			if math.Abs(c-2*87.8085) > 0.01 {
				t.Errorf("L4E→L23E mean %g, want 2×87.8", c)
			}
		case strings.HasSuffix(p.Source, "I"):
			if math.Abs(c+4*87.8085) > 0.01 || p.Weight.Max == nil || *p.Weight.Max != 0 {
				t.Errorf("%s mean %g max %v, want −4×87.8 and max 0", p.Name, c, p.Weight.Max)
			}
		}
		if p.Delay.Min == nil || *p.Delay.Min != 0.05 {
			t.Errorf("%s: delay must be redrawn below dt/2", p.Name)
		}
	}
	s, _ := Builtin("microcircuit", []Set{{Path: []string{"N_scaling"}, Value: "0.1"}, {Path: []string{"K_scaling"}, Value: "0.1"}})
	if s.Populations[0].Size != 2068 {
		t.Fatalf("N_scaling 0.1: L23E has %d, want 2068", s.Populations[0].Size)
	}
	var dc int
	for _, st := range s.Stimuli {
		if st.Type == DCGenerator {
			dc++
		}
	}
	if dc != 8 {
		t.Fatalf("K_scaling 0.1 must add a compensating DC to all 8 populations, got %d", dc)
	}
}

func TestLambertWm1(t *testing.T) {
	for _, x := range []float64{-1 / math.E, -0.3, -0.1, -0.0315, -1e-5, -1e-12} {
		w := LambertWm1(x)
		if w > -1 || math.Abs(w*math.Exp(w)-x) > 1e-12*math.Max(1, math.Abs(x))+1e-15 {
			t.Errorf("W₋₁(%g) = %g: w e^w = %g", x, w, w*math.Exp(w))
		}
	}
	if !math.IsNaN(LambertWm1(0.1)) {
		t.Error("W₋₁ outside its domain must be NaN")
	}
}

const small = `name: tiny
populations:
  - name: E
    size: 10
    neuron: iaf_psc_exp
  - name: I
    size: 5
    neuron: iaf_psc_delta
    initial:
      V_m: {dist: uniform, low: -70, high: -55}
projections:
  - source: E
    target: I
    rule: pairwise_bernoulli
    p: 0.5
    weight: 10
    delay: 1.0
  - source: I
    target: E
    rule: fixed_indegree
    indegree: 3
    allow_multapses: false
    weight: {dist: normal, mean: -20, sd: 2, max: 0}
    delay: {dist: normal, mean: 1.0, sd: 0.5, min: 0.05}
stimuli:
  - name: drive
    type: poisson_generator
    targets: [E, I]
    rate: 1000
    weight: 20
    delay: 1.0
recorders:
  - type: spike_recorder
    populations: [E]
`

func TestParseModelFile(t *testing.T) {
	m, err := Parse("tiny.yaml", []byte(small), nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Dt != 0.1 || m.Projections[0].Name != "E_I" || m.Populations[0].Params["tau_m"] != 10 {
		t.Fatalf("defaults not filled: dt %g, name %q, tau_m %g", m.Dt, m.Projections[0].Name, m.Populations[0].Params["tau_m"])
	}
	if m.Populations[0].Initial["V_m"].Value != -70 {
		t.Fatal("V_m must default to E_L")
	}
}

func TestErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(small, old) {
			t.Fatalf("test text %q not in the model", old)
		}
		return strings.Replace(small, old, new, 1)
	}
	cases := []struct {
		name, yaml string
		sets       []string
		want       []string // substrings of the error
	}{
		{"syntax", replace("  - name: I\n", "  - name: I\n   bad: [\n"), nil, []string{"tiny.yaml:"}},
		{"unknown field", replace("    size: 5\n", "    sise: 5\n"), nil, []string{"tiny.yaml:7:5", `unknown field "sise" in population`, "accepted: name, size"}},
		{"size zero", replace("size: 10", "size: 0"), nil, []string{"tiny.yaml:4:11", "populations[0].size", "must be > 0"}},
		{"negative size", replace("size: 10", "size: -3"), nil, []string{"must be > 0"}},
		{"p above one", replace("p: 0.5", "p: 1.5"), nil, []string{"tiny.yaml:15:8", "p in [0, 1]"}},
		{"indegree without multapses", replace("indegree: 3", "indegree: 30"), nil, []string{"indegree 30", "without multapses", "allow_multapses"}},
		{"unknown neuron", replace("neuron: iaf_psc_exp", "neuron: iaf_cond_alpha"), nil, []string{"unknown neuron model", "accepted: iaf_cond_exp, iaf_psc_alpha, iaf_psc_delta, iaf_psc_exp"}},
		{"unknown parameter", replace("    neuron: iaf_psc_exp\n", "    neuron: iaf_psc_exp\n    params: {tau_syn: 2}\n"), nil, []string{"unknown parameter \"tau_syn\"", "tau_syn_ex"}},
		{"unknown rule", replace("rule: pairwise_bernoulli", "rule: fixed_outdegree"), nil, []string{"unknown rule", "accepted: fixed_indegree"}},
		{"rule field mismatch", replace("p: 0.5", "p: 0.5\n    indegree: 2"), nil, []string{"indegree is not a parameter of rule pairwise_bernoulli"}},
		{"unknown population", replace("target: I\n", "target: X\n"), nil, []string{"unknown population \"X\"", "accepted: E, I"}},
		{"short delay", replace("delay: 1.0\n  - source", "delay: 0.01\n  - source"), nil, []string{"at least dt/2"}},
		{"unbounded normal delay", replace("min: 0.05", "sd: 0.5"), nil, []string{"min"}},
		{"bad dist", replace("{dist: uniform, low: -70, high: -55}", "{dist: gamma, k: 2}"), nil, []string{"unknown dist \"gamma\""}},
		{"dist key", replace("{dist: uniform, low: -70, high: -55}", "{dist: uniform, lo: -70, high: -55}"), nil, []string{"unknown key \"lo\""}},
		{"empty", "", nil, []string{"empty model file"}},
		{"not a mapping", "- 1\n- 2\n", nil, []string{"expected a mapping"}},
		{"set unknown element", small, []string{"populations.X.size=3"}, []string{"--set populations.X.size=3", "no element \"X\"", "accepted: E, I"}},
		{"set unknown key", small, []string{"populations.E.colour=red"}, []string{"unknown field \"colour\""}},
		{"set bad value", small, []string{"populations.E.size=-1"}, []string{"must be > 0"}},
		{"stimulus mixup", replace("rate: 1000", "rate: 1000\n    amplitude: 5"), nil, []string{"amplitude belongs to dc_generator"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := ParseSets(tc.sets)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("tiny.yaml", []byte(tc.yaml), sets)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestBuiltinErrors(t *testing.T) {
	cases := []struct {
		name string
		sets []string
		want string
	}{
		{"nest", nil, "unknown model \"nest\" (built-ins: brunel, hpc_benchmark, microcircuit"},
		{"hpc_benchmark", []string{"scal=2"}, "accepted: scale, plastic"},
		{"hpc_benchmark", []string{"scale=-1"}, "must be > 0"},
		{"hpc_benchmark", []string{"scale=abc"}, "expected a finite number"},
		{"hpc_benchmark", []string{"plastic=yes"}, "must be one of false, true"},
		{"hpc_benchmark", []string{"scale=0.00001"}, "need at least one of each"},
		{"microcircuit", []string{"input=noise"}, "must be one of poisson, dc"},
		{"brunel", []string{"populations.E.size=0"}, "must be > 0"},
	}
	for _, tc := range cases {
		sets, err := ParseSets(tc.sets)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Builtin(tc.name, sets)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %v: error %v, want it to contain %q", tc.name, tc.sets, err, tc.want)
		}
	}
}

func TestParseSet(t *testing.T) {
	cases := []struct {
		in      string
		path    string
		value   string
		wantErr bool
	}{
		{"scale=0.5", "scale", "0.5", false},
		{"populations.E.params.tau_m=12", "populations.E.params.tau_m", "12", false},
		{" scale =1", "scale", "1", false},
		{"targets=[E, I]", "targets", "[E, I]", false},
		{"name=", "name", "", false},
		{"scale", "", "", true},
		{"=3", "", "", true},
		{"a..b=3", "", "", true},
		{"a=[1,", "", "", true},
	}
	for _, tc := range cases {
		s, err := ParseSet(tc.in)
		if (err != nil) != tc.wantErr {
			t.Errorf("ParseSet(%q): error %v, want error %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && (strings.Join(s.Path, ".") != tc.path || s.Value != tc.value) {
			t.Errorf("ParseSet(%q) = %v %q", tc.in, s.Path, s.Value)
		}
	}
}
