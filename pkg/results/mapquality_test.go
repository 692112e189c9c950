package results

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestMapQualityOutput: map_quality is flattened into run.map.* metrics
// (absent figures left out), printed as one line per projection, and
// omitted from result.json when there is none, so such results keep
// their run ids.
func TestMapQualityOutput(t *testing.T) {
	res := sampleResult(1, 2)
	id := RunID(res)
	b, err := json.Marshal(res)
	if err != nil || bytes.Contains(b, []byte("map_quality")) {
		t.Fatalf("result.json without maps mentions map_quality (err %v)", err)
	}
	v := func(x float64) *float64 { return &x }
	res.MapQuality = []MapQuality{{Projection: "ff", Neurons: 64, NeuronsInitial: 60, ADInitial: v(2.5), ADFinal: v(0.5),
		ADShuffled: v(3), SigmaAffInitial: v(2), SigmaAffFinal: v(1.25), SigmaAffShuffled: v(2.75),
		PADVsShuffled: v(1e-9), PSigmaVsShuffled: v(2e-9), PADInitialVsFinal: v(0.01)}}
	if RunID(res) == id {
		t.Fatal("adding map_quality kept the run id")
	}
	recs := Flatten(ConfigFromResult(res), res)
	for _, want := range []struct {
		k string
		v float64
	}{{"run.map.ff.ad_final", 0.5}, {"run.map.ff.sigma_aff_initial", 2}, {"run.map.ff.neurons", 64},
		{"run.map.ff.neurons_initial", 60}, {"run.map.ff.p_ad_initial_vs_final", 0.01}, {"run.map.ff.p_sigma_vs_shuffled", 2e-9}} {
		for _, r := range recs {
			if got, ok := r.Metrics[want.k]; !ok || got != want.v {
				t.Errorf("rank %d: %s = %v (present %v), want %v", r.Rank, want.k, got, ok, want.v)
			}
		}
	}
	if _, ok := recs[0].Metrics["run.map.ff.p_sigma_initial_vs_final"]; ok {
		t.Error("an absent p-value was flattened")
	}
	var out strings.Builder
	if err := res.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	want := "map ff: 64 neurons (60 at t=0); AD 2.500 → 0.500 (shuffled 3.000, p 1e-09; initial vs final p 0.01); σ_aff 2.000 → 1.250 (shuffled 2.750, p 2e-09; initial vs final p –) grid units\n"
	if !strings.Contains(out.String(), want) {
		t.Fatalf("text output\n%s\nlacks\n%s", out.String(), want)
	}
}
