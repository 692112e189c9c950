package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/internal/cmdtest"
)

// TestTopomapEndToEnd: snn-build models lists topomap and poisson_bump;
// the network built on 1 and 2 ranks runs 200 ms with snn-run in both
// exchange modes with one spike digest; a projection onto the
// poisson_bump layer is refused.
func TestTopomapEndToEnd(t *testing.T) {
	dir := t.TempDir()
	out, _, code := run(t, "models")
	if code != 0 || !strings.Contains(out, "topomap — Bamford") || !strings.Contains(out, "--set rewiring=true (true|false)") || !strings.Contains(out, "poisson_bump") {
		t.Fatalf("models: exit %d\n%s", code, out)
	}
	digests := map[string]bool{}
	for _, ranks := range []string{"1", "2"} {
		net := filepath.Join(dir, "net"+ranks)
		if _, errs, code := run(t, "--model", "topomap", "--ranks", ranks, "-o", net); code != 0 {
			t.Fatalf("snn-build --ranks %s: exit %d: %s", ranks, code, errs)
		}
		for _, mode := range []string{"collective", "p2p"} {
			out, errs, code := cmdtest.Run(t, runBin, net, "--t-presim", "0", "--t-sim", "200", "--comm", mode, "-o", filepath.Join(dir, "run"+ranks+mode), "--json")
			var res struct {
				Digest string `json:"spike_digest"`
				Spikes int64  `json:"spikes"`
			}
			if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Spikes == 0 {
				t.Fatalf("snn-run %s ranks %s: exit %d: %s%s", mode, ranks, code, errs, out)
			}
			digests[res.Digest] = true
		}
	}
	if len(digests) != 1 {
		t.Fatalf("%d different spike digests over ranks and exchange modes: %v", len(digests), digests)
	}
	_, errs, code := run(t, "--model", "topomap", "--set", "projections.lateral.target=input", "-o", filepath.Join(dir, "bad"))
	if code != 1 || !strings.Contains(errs, "population input is a poisson_bump spike source and takes no input") {
		t.Fatalf("projection onto the input layer: exit %d, %s", code, errs)
	}
}
