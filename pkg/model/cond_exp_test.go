package model

import (
	"bytes"
	"strings"
	"testing"
)

const condExpModel = `name: cond
populations:
  - name: E
    size: 10
    neuron: iaf_cond_exp
    params: {g_L: 20}
projections:
  - {source: E, target: E, rule: fixed_indegree, indegree: 2, weight: -3, delay: 1.0}
stimuli:
  - {name: bg, type: poisson_generator, targets: [E], rate: 1000, weight: 2, delay: 1.0}
`

// TestCondExpModel: an iaf_cond_exp population takes NEST's defaults and
// V_m = E_L, and its parameters are checked.
func TestCondExpModel(t *testing.T) {
	m, err := Parse("cond.yaml", []byte(condExpModel), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := m.Populations[0]
	want := map[string]float64{"g_L": 20, "C_m": 250, "E_L": -70, "E_ex": 0, "E_in": -85, "I_e": 0,
		"V_reset": -60, "V_th": -55, "t_ref": 2, "tau_syn_ex": 0.2, "tau_syn_in": 2, "tau_minus": 20}
	if len(p.Params) != len(want) {
		t.Fatalf("params %v, want %v", p.Params, want)
	}
	for k, v := range want {
		if p.Params[k] != v {
			t.Errorf("%s = %g, want %g", k, p.Params[k], v)
		}
	}
	if p.Initial["V_m"].Value != -70 {
		t.Errorf("V_m must default to E_L, got %v", p.Initial["V_m"])
	}
	var buf bytes.Buffer
	if err := WriteCatalog(&buf); err != nil || !strings.Contains(buf.String(), "iaf_cond_exp") {
		t.Errorf("the catalog must list iaf_cond_exp: %v\n%s", err, buf.String())
	}

	cases := []struct {
		name, old, new string
		want           []string
	}{
		{"g_L zero", "{g_L: 20}", "{g_L: 0}", []string{"populations[0].params.g_L", "must be > 0"}},
		{"C_m negative", "{g_L: 20}", "{C_m: -1}", []string{"params.C_m", "must be > 0"}},
		{"tau_syn_ex zero", "{g_L: 20}", "{tau_syn_ex: 0}", []string{"params.tau_syn_ex", "must be > 0"}},
		{"tau_syn_in negative", "{g_L: 20}", "{tau_syn_in: -2}", []string{"params.tau_syn_in", "must be > 0"}},
		{"reset above threshold", "{g_L: 20}", "{V_reset: -50}", []string{"V_reset", "must be below V_th"}},
		{"no tau_m", "{g_L: 20}", "{tau_m: 10}", []string{`unknown parameter "tau_m" of iaf_cond_exp`, "g_L"}},
		{"no initial g_ex", "{g_L: 20}", "{g_L: 20}\n    initial: {g_ex: 1}", []string{`unknown state variable "g_ex"`, "accepted: V_m"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("cond.yaml", []byte(strings.Replace(condExpModel, tc.old, tc.new, 1)), nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
