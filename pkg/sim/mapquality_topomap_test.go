package sim

import (
	"os"
	"strconv"
	"testing"
)

// TestTopomapMapQuality: one second of the topomap model (16×16 grids)
// reports map_quality for both projections, and the feed-forward map
// refines: its receptive fields move significantly closer to their
// neurons (AD down, Wilcoxon p < 10⁻⁶) and stay far from the shuffled
// control. SNNKIT_TOPOMAP_MS sets a longer model time (make
// validate-topomap), which also requires σ_aff to decrease significantly,
// as Bamford et al. (2010) report for the refined map.
func TestTopomapMapQuality(t *testing.T) {
	tsim, long := 1000.0, false
	if s := os.Getenv("SNNKIT_TOPOMAP_MS"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v <= 0 {
			t.Fatalf("SNNKIT_TOPOMAP_MS=%q: want a positive model time in ms", s)
		}
		tsim, long = v, true
	}
	net := buildNet(t, builtin(t, "topomap"), 11, 1)
	res := runNet(t, net, 1, 2, CommCollective, 0, tsim)
	if len(res.MapQuality) != 2 || res.MapQuality[0].Projection != "feedforward" || res.MapQuality[1].Projection != "lateral" {
		t.Fatalf("map_quality %+v: want feedforward and lateral", res.MapQuality)
	}
	for _, q := range res.MapQuality {
		t.Logf("%.0f ms: %s", tsim, mqString(q))
		if q.Neurons != 256 || q.NeuronsInitial != 256 || q.ADFinal == nil || q.SigmaAffFinal == nil || q.PADVsShuffled == nil {
			t.Fatalf("%s: want all 256 output neurons measured at both times", mqString(q))
		}
		if !(*q.ADFinal < *q.ADShuffled/4 && *q.SigmaAffFinal < *q.SigmaAffShuffled && *q.PADVsShuffled < 1e-6 && *q.PSigmaVsShuffled < 1e-6) {
			t.Fatalf("%s: want AD and σ_aff significantly below the shuffled control's", mqString(q))
		}
	}
	ff := res.MapQuality[0]
	if !(*ff.ADFinal < *ff.ADInitial && *ff.PADInitialVsFinal < 1e-6) {
		t.Fatalf("feedforward %s: want AD to decrease significantly", mqString(ff))
	}
	if long && !(*ff.SigmaAffFinal < *ff.SigmaAffInitial && *ff.PSigmaInitialVsFinal < 0.01) {
		t.Fatalf("feedforward after %.0f ms %s: want σ_aff to decrease significantly", tsim, mqString(ff))
	}
}
