package model

import (
	"strings"
	"testing"
)

// bumpModel has a poisson_bump layer IN and an iaf_cond_exp layer OUT;
// POP, PROJS and STIM are replaced by extra population fields, the
// projections and the stimuli.
const bumpModel = `name: bump
populations:
  - {name: IN, size: 64, neuron: poisson_bump, POP}
  - {name: OUT, size: 64, neuron: iaf_cond_exp, grid: {width: 8}}
projections: PROJS
stimuli: STIM
`

// bumpFF is a valid projection list: IN → OUT through a gaussian kernel.
const bumpFF = "[{source: IN, target: OUT, rule: pairwise_bernoulli, kernel: {type: gaussian, p: 0.5, sigma: 2}, weight: 1, delay: 1}]"

func TestPoissonBumpValidation(t *testing.T) {
	for _, tc := range []struct {
		name, pop, proj, stim string
		err                   string // "" valid; else a part of the message
	}{
		{"valid", "grid: {width: 8}", bumpFF, "[]", ""},
		{"params", "grid: {width: 8}, params: {rate: 0, peak: 100, sigma: 1.5, period: 0.1}", bumpFF, "[]", ""},
		{"no grid", "params: {rate: 1}", bumpFF, "[]", "populations[0].neuron: poisson_bump places its bump on a grid"},
		{"negative rate", "grid: {width: 8}, params: {rate: -1}", bumpFF, "[]", "populations[0].params.rate: must be a rate ≥ 0 Hz"},
		{"negative peak", "grid: {width: 8}, params: {peak: -1}", bumpFF, "[]", "populations[0].params.peak"},
		{"sigma", "grid: {width: 8}, params: {sigma: 0}", bumpFF, "[]", "populations[0].params.sigma: must be a width > 0"},
		{"period below a step", "grid: {width: 8}, params: {period: 0.01}", bumpFF, "[]", "populations[0].params.period: must be at least dt/2"},
		{"LIF parameter", "grid: {width: 8}, params: {V_th: -50}", bumpFF, "[]", "unknown parameter \"V_th\" of poisson_bump"},
		{"initial state", "grid: {width: 8}, initial: {V_m: -70}", bumpFF, "[]", "poisson_bump has no state variables"},
		{"projection onto it", "grid: {width: 8}", "[{source: OUT, target: IN, rule: one_to_one, weight: 1, delay: 1}]", "[]",
			"projections[0].target: population IN is a poisson_bump spike source and takes no input: no projection may target it"},
		{"stimulus onto it", "grid: {width: 8}", bumpFF, "[{name: bg, type: poisson_generator, targets: [OUT, IN], rate: 10, weight: 1, delay: 1}]",
			"stimuli[0].targets: population IN is a poisson_bump spike source and takes no input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := strings.NewReplacer("POP", tc.pop, "PROJS", tc.proj, "STIM", tc.stim).Replace(bumpModel)
			m, err := Parse("bump.yaml", []byte(y), nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want it to contain %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			p := m.Populations[0]
			if len(p.Initial) != 0 || len(p.Params) != 4 || p.Params["period"] <= 0 {
				t.Fatalf("resolved population %+v: want the 4 parameters and no initial state", p)
			}
			if tc.name == "valid" && (p.Params["rate"] != 5 || p.Params["peak"] != 152.8 || p.Params["sigma"] != 2 || p.Params["period"] != 20) {
				t.Fatalf("defaults %v, want rate 5, peak 152.8, sigma 2, period 20", p.Params)
			}
		})
	}
}

func TestTopomap(t *testing.T) {
	for _, tc := range []struct {
		sets                    []string
		side                    int64
		synapse                 string
		rewiring                bool
		feedforwardP, lateralSd float64
	}{
		{nil, 16, "stdp_synapse", true, 0.16, 1},
		{[]string{"scale=2", "rewiring=false"}, 32, "stdp_synapse", false, 0.16, 1},
		{[]string{"scale=0.5", "stdp=false"}, 8, "static_synapse", true, 0.16, 1},
	} {
		t.Run(strings.Join(tc.sets, ","), func(t *testing.T) {
			sets, err := ParseSets(tc.sets)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Builtin("topomap", sets)
			if err != nil {
				t.Fatal(err)
			}
			in, out := m.Populations[0], m.Populations[1]
			if in.Neuron != PoissonBump || in.Size != tc.side*tc.side || in.Grid.Width != tc.side || out.Size != in.Size || out.Grid.Width != tc.side {
				t.Fatalf("populations %+v %+v", in, out)
			}
			// τ_m = C_m/g_L = 20 ms; g_max = 0.2·g_L.
			if tau := out.Params["C_m"] / out.Params["g_L"]; tau != 20 || out.Params["V_th"] != -54 || out.Params["t_ref"] != 5 || out.Params["tau_minus"] != 64 {
				t.Fatalf("output params %v (τ_m %g)", out.Params, tau)
			}
			gMax := 0.2 * out.Params["g_L"]
			ff, lat := m.Projections[0], m.Projections[1]
			if *ff.Kernel.P != tc.feedforwardP || ff.Kernel.Sigma != 2.5 || *lat.Kernel.P != 1 || lat.Kernel.Sigma != tc.lateralSd || lat.Autapses() {
				t.Fatalf("kernels %+v %+v", ff.Kernel, lat.Kernel)
			}
			for _, pr := range []Projection{ff, lat} {
				if pr.SynapseModel != tc.synapse || pr.Weight.Value != gMax {
					t.Fatalf("%s: synapse %s weight %v", pr.Name, pr.SynapseModel, pr.Weight)
				}
				if tc.synapse == "stdp_synapse" {
					sp := pr.SynapseParams
					// A− = 1.2·A+·τ+/τ− as alpha = A−/A+; additive: mu = 0.
					if sp["Wmax"] != gMax || sp["lambda"] != 0.02 || sp["alpha"] != 1.2*20/64 || sp["mu_plus"] != 0 || sp["mu_minus"] != 0 {
						t.Fatalf("%s: stdp params %v", pr.Name, sp)
					}
				}
				if s := pr.Structural; (s != nil) != tc.rewiring {
					t.Fatalf("%s: structural %+v, want rewiring %v", pr.Name, s, tc.rewiring)
				} else if s != nil && (s.Rule != Bamford || s.PForm != *pr.Kernel.P || s.Sigma != pr.Kernel.Sigma || s.MaxIndegree != 32 ||
					s.PElimLow != 0.0245 || s.PElimHigh != 1.36e-4 || s.WThreshold != gMax/2 || s.FormWeight != gMax || s.IntervalMs() != 1) {
					t.Fatalf("%s: structural %+v", pr.Name, s)
				}
			}
			// The model round-trips through YAML with the same digest.
			y, err := Marshal(m, Header("topomap", sets))
			if err != nil {
				t.Fatal(err)
			}
			m2, err := Parse("show.yaml", y, nil)
			if err != nil {
				t.Fatalf("%v\n%s", err, y)
			}
			if d1, _ := Digest(m); func() string { d, _ := Digest(m2); return d }() != d1 {
				t.Fatal("digest changed through YAML")
			}
		})
	}
	for _, tc := range []struct{ set, want string }{
		{"scale=0.1", "16·scale must be a whole number of neurons per side ≥ 2"},
		{"scale=1.03", "16·scale must be a whole number"},
		{"rewiring=yes", "rewiring must be one of true, false"},
		{"populations.input.params.sigma=-1", "populations[0].params.sigma"},
	} {
		sets, err := ParseSets([]string{tc.set})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Builtin("topomap", sets); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("--set %s: error %v, want it to contain %q", tc.set, err, tc.want)
		}
	}
}
