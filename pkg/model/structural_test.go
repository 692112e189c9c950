package model

import (
	"strings"
	"testing"
)

// structuralModel has two 8×8 layers and a 4×16 one; STRUCT is replaced by
// the structural mapping of projection A→B.
const structuralModel = `name: structural
populations:
  - {name: A, size: 64, neuron: iaf_psc_exp, grid: {width: 8}}
  - {name: B, size: 64, neuron: iaf_psc_exp, grid: {width: 8}}
  - {name: C, size: 64, neuron: iaf_psc_exp, grid: {width: 16}}
  - {name: D, size: 64, neuron: iaf_psc_exp}
projections:
  - name: ff
    source: SRC
    target: B
    rule: pairwise_bernoulli
    p: 0
    weight: 10
    delay: DELAY
    structural: STRUCT
`

func TestStructuralValidation(t *testing.T) {
	for _, tc := range []struct {
		name, src, delay, s string
		err                 string // "" valid; else a part of the message
	}{
		{"bamford", "A", "1.0", "{rule: bamford, p_form: 0.5, sigma: 2, p_elim_low: 0.2, p_elim_high: 0.01, w_threshold: 5, form_weight: 10}", ""},
		{"deep_r", "D", "1.0", "{rule: deep_r, threshold: 1, form_weight: 10, interval: 0.5, max_indegree: 4, capacity: 16}", ""},
		{"deep_r drawn delay with form_delay", "D", "{dist: uniform, low: 1, high: 2}", "{rule: deep_r, threshold: 1, form_weight: 10, form_delay: 1.5}", ""},
		{"unknown rule", "A", "1.0", "{rule: butz}", "unknown structural plasticity rule \"butz\""},
		{"unknown key", "A", "1.0", "{rule: deep_r, threshold: 1, tau: 3}", "p_form"},
		{"bamford without grid", "D", "1.0", "{rule: bamford, p_form: 0.5, sigma: 2}", "needs both populations on a grid"},
		{"bamford grids of other shapes", "C", "1.0", "{rule: bamford, p_form: 0.5, sigma: 2}", "grids of the same shape"},
		{"bamford sigma", "A", "1.0", "{rule: bamford, p_form: 0.5}", "structural.sigma"},
		{"bamford probability", "A", "1.0", "{rule: bamford, p_form: 1.5, sigma: 1}", "structural.p_form"},
		{"deep_r threshold", "A", "1.0", "{rule: deep_r, form_weight: 1}", "structural.threshold"},
		{"field of the other rule", "A", "1.0", "{rule: deep_r, threshold: 1, sigma: 2}", "sigma is a parameter of rule bamford"},
		{"interval not a multiple of dt", "A", "1.0", "{rule: deep_r, threshold: 1, interval: 0.25}", "multiple of dt"},
		{"negative max_indegree", "A", "1.0", "{rule: deep_r, threshold: 1, max_indegree: -1}", "max_indegree"},
		{"drawn delay without form_delay", "A", "{dist: uniform, low: 1, high: 2}", "{rule: deep_r, threshold: 1}", "give new synapses a form_delay"},
		{"form_delay below dt/2", "A", "1.0", "{rule: deep_r, threshold: 1, form_delay: 0.01}", "structural.form_delay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := strings.NewReplacer("SRC", tc.src, "DELAY", tc.delay, "STRUCT", tc.s).Replace(structuralModel)
			m, err := Parse("structural.yaml", []byte(y), nil)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				s := m.Projections[0].Structural
				if s == nil || s.IntervalMs() <= 0 || s.FormDelayMs(&m.Projections[0]) <= 0 {
					t.Fatalf("structural %+v", s)
				}
				// The mapping survives a Marshal/Parse round trip with the same digest.
				out, err := Marshal(m, "")
				if err != nil {
					t.Fatal(err)
				}
				m2, err := Parse("again.yaml", out, nil)
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				d1, _ := Digest(m)
				d2, _ := Digest(m2)
				if d1 != d2 || *m2.Projections[0].Structural != *s {
					t.Fatalf("round trip: %+v (%s), was %+v (%s)", m2.Projections[0].Structural, d2, s, d1)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("got %v, want an error containing %q", err, tc.err)
			}
		})
	}
	// Defaults: 1 ms and the projection's delay.
	s := &Structural{Rule: DeepR}
	if s.IntervalMs() != 1 || s.FormDelayMs(&Projection{Delay: Const(1.5)}) != 1.5 {
		t.Fatalf("defaults: interval %g, form_delay %g", s.IntervalMs(), s.FormDelayMs(&Projection{Delay: Const(1.5)}))
	}
}
