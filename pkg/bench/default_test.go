package bench

import (
	"bytes"
	"os"
	"testing"
)

// TestDefaultConfig checks that the embedded default parses, expands to the
// issue's 12 runs and is the file shipped as examples/bench.yaml.
func TestDefaultConfig(t *testing.T) {
	c, err := LoadDefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadMachine(DefaultMachine)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Expand(c, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Runs) != 12 || len(p.Networks) != 12 {
		t.Errorf("default plan: %d runs of %d networks, want 12 of 12", len(p.Runs), len(p.Networks))
	}
	ex, err := os.ReadFile("../../examples/bench.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ex, DefaultConfig) {
		t.Error("examples/bench.yaml differs from pkg/bench/default.yaml: keep them equal (cp pkg/bench/default.yaml examples/bench.yaml)")
	}
}
