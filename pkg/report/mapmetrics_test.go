package report

import (
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

// TestMapMetrics: the map-quality figures that results.Flatten stores as
// run-level metrics reach the runs by their names, with grid units for
// the distances and none for counts and p-values.
func TestMapMetrics(t *testing.T) {
	ad, p := 0.75, 0.001
	res := &results.Result{Format: "snnkit-result", Model: "topo", Ranks: 2, RankResults: []results.Rank{{Rank: 0}, {Rank: 1}},
		MapQuality: []results.MapQuality{{Projection: "ff", Neurons: 64, ADFinal: &ad, PADVsShuffled: &p}}}
	runs, warns, err := Runs(results.Flatten(results.ConfigFromResult(res), res))
	if err != nil || len(warns) != 0 || len(runs) != 1 {
		t.Fatalf("runs %v, warnings %v, err %v", runs, warns, err)
	}
	for _, tc := range []struct {
		metric, unit, label, value string
		want                       float64
	}{
		{"map.ff.ad_final", GridUnits, "map.ff.ad_final (grid units)", "0.7500", ad},
		{"map.ff.p_ad_vs_shuffled", "", "map.ff.p_ad_vs_shuffled", "0.0010", p},
		{"map.ff.neurons", "", "map.ff.neurons", "64.00", 64},
	} {
		if got, ok := runs[0].Values[tc.metric]; !ok || got != tc.want {
			t.Errorf("%s = %v (present %v), want %v", tc.metric, got, ok, tc.want)
		}
		if u, l, v := Unit(tc.metric), MetricLabel(tc.metric), FormatValue(tc.metric, tc.want); u != tc.unit || l != tc.label || v != tc.value {
			t.Errorf("%s: unit %q, label %q, value %q; want %q, %q, %q", tc.metric, u, l, v, tc.unit, tc.label, tc.value)
		}
	}
	if _, ok := runs[0].Values["map.ff.ad_initial"]; ok {
		t.Error("map.ff.ad_initial is present although the result has none")
	}
	if Unit("map_x.ad_final") != "" || Unit("rate_hz.map") != "Hz" {
		t.Error("Unit treats names outside map.* as map distances")
	}
}
