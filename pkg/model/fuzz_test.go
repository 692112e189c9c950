package model

import (
	"testing"
)

// FuzzParse feeds arbitrary text to the model-file parser: it must return a
// model or an error, never panic, and a model it accepts must survive
// Marshal → Parse with the same digest.
func FuzzParse(f *testing.F) {
	f.Add([]byte(small))
	// The microcircuit (55 projections) makes coverage-guided fuzzing crawl;
	// the two-population built-ins cover the same syntax.
	for _, name := range []string{"brunel", "hpc_benchmark"} {
		m, err := Builtin(name, nil)
		if err != nil {
			f.Fatal(err)
		}
		y, err := Marshal(m, "")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(y)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("fuzz.yaml", data, nil)
		if err != nil {
			return
		}
		d1, err := Digest(m)
		if err != nil {
			t.Fatalf("digest of an accepted model: %v", err)
		}
		y, err := Marshal(m, "")
		if err != nil {
			t.Fatalf("marshal an accepted model: %v", err)
		}
		m2, err := Parse("again.yaml", y, nil)
		if err != nil {
			t.Fatalf("re-parse: %v\n%s", err, y)
		}
		if d2, _ := Digest(m2); d1 != d2 {
			t.Fatalf("digest changed through YAML: %s → %s", d1, d2)
		}
	})
}

// FuzzSet feeds arbitrary --set arguments to a built-in and to a model file:
// errors are fine, panics are not.
func FuzzSet(f *testing.F) {
	for _, s := range []string{"scale=0.5", "populations.E.size=100", "projections.E_I.weight={dist: normal, mean: 1, sd: 2}",
		"stimuli.0.targets=[E]", "dt=0.05", "populations.0.params.tau_m=-1", "a.b.c=", "N=1e3", "projections.E_E.delay=[1,2]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		s, err := ParseSet(arg)
		if err != nil {
			return
		}
		_, _ = Builtin("brunel", []Set{s})
		_, _ = Parse("tiny.yaml", []byte(small), []Set{s})
	})
}
