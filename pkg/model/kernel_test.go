package model

import (
	"math"
	"strings"
	"testing"
)

// gridModel has two 16×16 layers and a third of another shape, with a
// gaussian kernel on the feed-forward and the lateral projection.
const gridModel = `name: grid
populations:
  - {name: A, size: 256, neuron: iaf_psc_exp, grid: {width: 16}}
  - {name: B, size: 256, neuron: iaf_psc_exp, grid: {width: 16}}
  - {name: C, size: 256, neuron: iaf_psc_exp, grid: {width: 32}}
  - {name: D, size: 256, neuron: iaf_psc_exp}
projections:
  - name: ff
    source: A
    target: B
    rule: pairwise_bernoulli
    kernel: {type: gaussian, p: 0.16, sigma: 2.5}
    weight: 10
    delay: 1.0
  - name: lat
    source: B
    target: B
    rule: pairwise_bernoulli
    allow_autapses: false
    kernel: {type: gaussian, p: 1, sigma: 1}
    weight: 5
    delay: 1.0
`

func TestKernelParse(t *testing.T) {
	m, err := Parse("grid.yaml", []byte(gridModel), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := m.Projections[0].Kernel
	if k == nil || k.Type != Gaussian || *k.P != 0.16 || k.Sigma != 2.5 || m.Projections[0].P != nil {
		t.Fatalf("ff kernel %+v", k)
	}
	for _, tc := range []struct{ d2, want float64 }{{0, 0.16}, {2.5 * 2.5, 0.16 * math.Exp(-0.5)}, {25, 0.16 * math.Exp(-2)}} {
		if got := k.Prob(tc.d2); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("Prob(%g) = %g, want %g", tc.d2, got, tc.want)
		}
	}
	// Marshal and Parse round-trip the kernel: same digest, and the YAML says it.
	d1, _ := Digest(m)
	y, err := Marshal(m, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "kernel:") || !strings.Contains(string(y), "sigma: 2.5") {
		t.Fatalf("marshalled model lacks the kernel:\n%s", y)
	}
	m2, err := Parse("again.yaml", y, nil)
	if err != nil {
		t.Fatalf("%v\n%s", err, y)
	}
	if d2, _ := Digest(m2); d2 != d1 {
		t.Fatalf("digest changed through YAML: %s → %s", d1, d2)
	}
	// --set reaches into the kernel.
	sets, err := ParseSets([]string{"projections.ff.kernel.sigma=2", "projections.lat.kernel.p=0.5"})
	if err != nil {
		t.Fatal(err)
	}
	m3, err := Parse("grid.yaml", []byte(gridModel), sets)
	if err != nil {
		t.Fatal(err)
	}
	if m3.Projections[0].Kernel.Sigma != 2 || *m3.Projections[1].Kernel.P != 0.5 {
		t.Fatalf("--set: ff sigma %g, lat p %g", m3.Projections[0].Kernel.Sigma, *m3.Projections[1].Kernel.P)
	}
	if d3, _ := Digest(m3); d3 == d1 {
		t.Fatal("--set kernel.sigma=2 kept the digest")
	}
}

// TestKernelOmitted: a model without kernels encodes no kernel key, so the
// digests of existing models do not change.
func TestKernelOmitted(t *testing.T) {
	for _, name := range []string{"brunel", "hpc_benchmark", "microcircuit"} {
		m, err := Builtin(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Canonical(m)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), `"kernel"`) {
			t.Errorf("%s: canonical JSON mentions a kernel", name)
		}
	}
}

func TestKernelErrors(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(gridModel, old) {
			t.Fatalf("test text %q not in the model", old)
		}
		return strings.Replace(gridModel, old, new, 1)
	}
	const ff = "kernel: {type: gaussian, p: 0.16, sigma: 2.5}"
	cases := []struct {
		name, yaml string
		sets       []string
		want       []string // substrings of the error
	}{
		{"wrong rule", replace("rule: pairwise_bernoulli\n    kernel", "rule: all_to_all\n    kernel"), nil,
			[]string{"grid.yaml:12:13", "projections[0].kernel", "a kernel needs rule pairwise_bernoulli, got rule all_to_all"}},
		{"p beside kernel", replace(ff, ff+"\n    p: 0.1"), nil,
			[]string{"grid.yaml:13:8", "projections[0].p", "remove p"}},
		{"unknown type", replace("type: gaussian, p: 0.16", "type: gauss, p: 0.16"), nil,
			[]string{"projections[0].kernel.type", `unknown kernel type "gauss" (accepted: gaussian)`}},
		{"no type", replace("type: gaussian, p: 0.16, ", ""), nil,
			[]string{"projections[0].kernel.type", `unknown kernel type "" (accepted: gaussian)`}},
		{"p above one", replace("p: 0.16", "p: 1.2"), nil,
			[]string{"grid.yaml:12:33", "projections[0].kernel.p", "in [0, 1], got 1.2"}},
		{"p negative", replace("p: 0.16", "p: -0.1"), nil, []string{"projections[0].kernel.p", "got -0.1"}},
		{"p missing", replace("p: 0.16, ", ""), nil, []string{"projections[0].kernel.p", "got nothing"}},
		{"sigma zero", replace("sigma: 2.5", "sigma: 0"), nil, []string{"projections[0].kernel.sigma", "> 0", "got 0"}},
		{"sigma missing", replace(", sigma: 2.5", ""), nil, []string{"projections[0].kernel.sigma", "got 0"}},
		{"sigma inf", replace("sigma: 2.5", "sigma: .inf"), nil, []string{"projections[0].kernel.sigma", "finite"}},
		{"unknown key", replace("sigma: 2.5", "sigma: 2.5, mu: 1"), nil,
			[]string{"grid.yaml:12:51", `unknown field "mu" in kernel (accepted: type, p, sigma)`}},
		{"unknown grid key", replace("grid: {width: 16}", "grid: {w: 16}"), nil,
			[]string{`unknown field "w" in grid (accepted: width)`}},
		{"no grid", replace("target: B\n", "target: D\n"), nil,
			[]string{"projections[0].kernel", "give population D grid: {width: W}"}},
		{"other shape", replace("target: B\n", "target: C\n"), nil,
			[]string{"projections[0].kernel", "same shape: A is 16×16, C is 32×8"}},
		{"set sigma", gridModel, []string{"projections.lat.kernel.sigma=-1"}, []string{"projections[1].kernel.sigma", "got -1"}},
		{"set unknown", gridModel, []string{"projections.lat.kernel.width=3"}, []string{`unknown field "width" in kernel (accepted: type, p, sigma)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sets, err := ParseSets(tc.sets)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("grid.yaml", []byte(tc.yaml), sets)
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
