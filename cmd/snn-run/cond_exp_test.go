package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// condExpModel drives two iaf_cond_exp populations (NEST defaults) with
// excitatory Poisson input, 20 kHz × 2 nS: the mean g_ex = 20/ms·2 nS·0.2 ms
// = 8 nS gives V∞ = E_L + 8·70/(16.67+8) = −47.3 mV above threshold and an
// effective tau of 250/24.67 = 10.1 ms, so ISI ≈ 2 + 10.1·ln(12.7/7.7) ≈ 7 ms
// (~140 Hz). B also receives inhibitory conductance from A.
const condExpModel = `name: cond_exp_e2e
populations:
  - {name: A, size: 200, neuron: iaf_cond_exp}
  - {name: B, size: 200, neuron: iaf_cond_exp, initial: {V_m: {dist: uniform, low: -70, high: -56}}}
projections:
  - {source: A, target: B, rule: fixed_indegree, indegree: 20, weight: -1, delay: 1.0}
stimuli:
  - {name: bg, type: poisson_generator, targets: [A, B], rate: 20000, weight: 2, delay: 1.0}
recorders:
  - {type: spike_recorder}
`

// TestCondExp builds and runs a model file with iaf_cond_exp populations:
// plausible rates, inhibition through g_in, and the same spikes for any
// rank and thread count.
func TestCondExp(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "cond.yaml")
	if err := os.WriteFile(file, []byte(condExpModel), 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		Spikes int64  `json:"spikes"`
		Digest string `json:"spike_digest"`
		Rates  []struct {
			Population string  `json:"population"`
			Rate       float64 `json:"rate_hz"`
		} `json:"rates"`
	}
	var runs []result
	for _, c := range []struct{ ranks, threads string }{{"2", "2"}, {"1", "1"}} {
		net := filepath.Join(dir, "net"+c.ranks)
		if _, errs, code := exe(t, build, "--model-file", file, "--ranks", c.ranks, "-o", net); code != 0 {
			t.Fatalf("snn-build: exit %d: %s", code, errs)
		}
		out, errs, code := exe(t, bin, net, "--t-presim", "50", "--t-sim", "500", "--threads", c.threads, "-o", filepath.Join(dir, "run"+c.ranks), "--json")
		if code != 0 {
			t.Fatalf("snn-run: exit %d: %s", code, errs)
		}
		var res result
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, res)
	}
	res := runs[0]
	if len(res.Rates) != 2 {
		t.Fatalf("rates %+v", res.Rates)
	}
	a, b := res.Rates[0].Rate, res.Rates[1].Rate
	if a < 100 || a > 200 {
		t.Errorf("rate of A %.1f Hz, want ~140 Hz", a)
	}
	if !(b > 5 && b < a/2) {
		t.Errorf("rate of B %.1f Hz: inhibitory conductance from A must lower it well below A's %.1f Hz", b, a)
	}
	if runs[1].Digest != res.Digest || runs[1].Spikes != res.Spikes {
		t.Errorf("1 rank × 1 thread: %d spikes %s; 2 ranks × 2 threads: %d spikes %s", runs[1].Spikes, runs[1].Digest, res.Spikes, res.Digest)
	}
}
