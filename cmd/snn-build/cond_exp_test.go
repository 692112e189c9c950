package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCondExp: models lists iaf_cond_exp and a model file using it builds.
func TestCondExp(t *testing.T) {
	out, _, code := run(t, "models")
	if code != 0 || !strings.Contains(out, "iaf_cond_exp") {
		t.Fatalf("models: exit %d, iaf_cond_exp not listed\n%s", code, out)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "cond.yaml")
	model := "name: cond\npopulations:\n  - {name: E, size: 50, neuron: iaf_cond_exp, params: {g_L: 25, tau_syn_ex: 0.5}}\n" +
		"projections:\n  - {source: E, target: E, rule: fixed_indegree, indegree: 5, weight: 3, delay: 1.5}\n"
	if err := os.WriteFile(file, []byte(model), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, "--model-file", file, "--ranks", "2", "-o", filepath.Join(dir, "net"), "--json")
	var res struct {
		Synapses int64 `json:"synapses"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Synapses != 250 {
		t.Fatalf("build: exit %d, %d synapses (want 250)\n%s%s", code, res.Synapses, out, errs)
	}
}
