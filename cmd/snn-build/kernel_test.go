package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/internal/cmdtest"
)

// TestGridKernelExample builds examples/grid_kernel.yaml (two 16×16 layers
// on a torus joined by gaussian kernels) with snn-build, also with a --set
// into a kernel, rejects a kernel on the wrong rule, and simulates the
// network with snn-run.
func TestGridKernelExample(t *testing.T) {
	dir := t.TempDir()
	bins := map[string]string{"snn-build": bin, "snn-run": runBin}
	exe := func(name string, args ...string) (string, string, int) {
		t.Helper()
		return cmdtest.Run(t, bins[name], args...)
	}
	const file = "../../examples/grid_kernel.yaml"
	type built struct {
		Digest   string `json:"model_digest"`
		Synapses int64  `json:"synapses"`
	}
	build := func(net string, sets ...string) built {
		args := []string{"--model-file", file, "--ranks", "2", "-o", filepath.Join(dir, net), "--json"}
		for _, s := range sets {
			args = append(args, "--set", s)
		}
		out, errs, code := exe("snn-build", args...)
		var b built
		if code != 0 || json.Unmarshal([]byte(out), &b) != nil {
			t.Fatalf("snn-build %v: exit %d\n%s%s", sets, code, out, errs)
		}
		return b
	}
	// ff: 256 × 0.16·Σexp(−d²/12.5) ≈ 1603; lateral: 256 × (Σexp(−d²/2) − 1) ≈ 1352.
	a := build("net")
	if a.Synapses < 2700 || a.Synapses > 3200 {
		t.Fatalf("%d synapses, want about 2955", a.Synapses)
	}
	// σ = 2 for ff: 256 × 0.16·Σexp(−d²/8) ≈ 1029.
	b := build("narrow", "projections.ff.kernel.sigma=2")
	if b.Digest == a.Digest || b.Synapses > a.Synapses-350 {
		t.Fatalf("--set projections.ff.kernel.sigma=2: digest %s (was %s), %d synapses (was %d)", b.Digest, a.Digest, b.Synapses, a.Synapses)
	}
	_, errs, code := exe("snn-build", "--model-file", file, "--set", "projections.ff.rule=all_to_all", "-o", filepath.Join(dir, "bad"))
	if code != 1 || !strings.Contains(errs, "projections[0].kernel: a kernel needs rule pairwise_bernoulli, got rule all_to_all") {
		t.Fatalf("kernel on all_to_all: exit %d, %s", code, errs)
	}

	out, errs, code := exe("snn-run", filepath.Join(dir, "net"), "--t-presim", "50", "--t-sim", "500", "-o", filepath.Join(dir, "run"), "--json")
	if code != 0 {
		t.Fatalf("snn-run: exit %d: %s", code, errs)
	}
	var res struct {
		Rates []struct {
			Population string  `json:"population"`
			Rate       float64 `json:"rate_hz"`
		} `json:"rates"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Rates) != 2 {
		t.Fatalf("snn-run result: %v\n%s", err, out)
	}
	for _, r := range res.Rates {
		if r.Rate < 2 || r.Rate > 50 {
			t.Errorf("%s fires at %.1f Hz, want a few to tens of Hz (about 15 and 12)", r.Population, r.Rate)
		}
	}
}
