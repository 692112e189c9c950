package results

import (
	"fmt"
	"io"
)

// MapQuality measures the topographic map that a plastic or structural
// projection between two grid populations of the same shape forms, as
// Bamford, Murray & Willshaw (2010) do: for every target neuron with
// afferent synapses, the receptive-field centre is the torus point that
// minimises the weighted mean square distance of its afferents' source
// positions (weights |w|), sigma_aff is the per-axis weighted standard
// deviation about it (the mean over the two axes) and AD the torus
// distance from the centre to the neuron's own position, all in grid
// units. Initial is the network at t = 0, final at the end of the run;
// shuffled is the final network with each target's sources moved to
// random source positions (a control without topography). The p-values
// are two-sided Wilcoxon signed-rank tests over the neurons, paired per
// neuron. A figure that does not exist (no neurons, no pairs) is absent.
type MapQuality struct {
	Projection string `json:"projection"`
	// Neurons counts the targets with afferents at the end; NeuronsInitial
	// at t = 0.
	Neurons          int64    `json:"neurons"`
	NeuronsInitial   int64    `json:"neurons_initial"`
	ADInitial        *float64 `json:"ad_initial,omitempty"`
	ADFinal          *float64 `json:"ad_final,omitempty"`
	ADShuffled       *float64 `json:"ad_shuffled,omitempty"`
	SigmaAffInitial  *float64 `json:"sigma_aff_initial,omitempty"`
	SigmaAffFinal    *float64 `json:"sigma_aff_final,omitempty"`
	SigmaAffShuffled *float64 `json:"sigma_aff_shuffled,omitempty"`
	// PADVsShuffled and PSigmaVsShuffled compare final and shuffled.
	PADVsShuffled    *float64 `json:"p_ad_vs_shuffled,omitempty"`
	PSigmaVsShuffled *float64 `json:"p_sigma_vs_shuffled,omitempty"`
	// PADInitialVsFinal and PSigmaInitialVsFinal compare the neurons with
	// afferents at both times.
	PADInitialVsFinal    *float64 `json:"p_ad_initial_vs_final,omitempty"`
	PSigmaInitialVsFinal *float64 `json:"p_sigma_initial_vs_final,omitempty"`
}

// MapMetricPrefix starts the names of the map-quality figures in
// Record.Metrics, after RunMetricPrefix: "run.map.PROJECTION.ad_final".
const MapMetricPrefix = "map."

// fields lists the figures of q by name, in a fixed order, with the
// address of the field that holds each.
func (q *MapQuality) fields() []struct {
	name string
	p    **float64
} {
	return []struct {
		name string
		p    **float64
	}{
		{"ad_initial", &q.ADInitial}, {"ad_final", &q.ADFinal}, {"ad_shuffled", &q.ADShuffled},
		{"sigma_aff_initial", &q.SigmaAffInitial}, {"sigma_aff_final", &q.SigmaAffFinal}, {"sigma_aff_shuffled", &q.SigmaAffShuffled},
		{"p_ad_vs_shuffled", &q.PADVsShuffled}, {"p_sigma_vs_shuffled", &q.PSigmaVsShuffled},
		{"p_ad_initial_vs_final", &q.PADInitialVsFinal}, {"p_sigma_initial_vs_final", &q.PSigmaInitialVsFinal},
	}
}

// putMapMetrics adds the map-quality figures to the run metrics m.
func putMapMetrics(m map[string]float64, qs []MapQuality) {
	for i := range qs {
		q := &qs[i]
		pre := RunMetricPrefix + MapMetricPrefix + q.Projection + "."
		putMetric(m, pre+"neurons", float64(q.Neurons))
		putMetric(m, pre+"neurons_initial", float64(q.NeuronsInitial))
		for _, f := range q.fields() {
			if v := *f.p; v != nil {
				putMetric(m, pre+f.name, *v)
			}
		}
	}
}

// writeMapQuality prints one line per projection.
func writeMapQuality(w io.Writer, qs []MapQuality) {
	for i := range qs {
		q := &qs[i]
		f := func(v *float64, format string) string {
			if v == nil {
				return "–"
			}
			return fmt.Sprintf(format, *v)
		}
		fmt.Fprintf(w, "map %s: %d neurons (%d at t=0); AD %s → %s (shuffled %s, p %s; initial vs final p %s); σ_aff %s → %s (shuffled %s, p %s; initial vs final p %s) grid units\n",
			q.Projection, q.Neurons, q.NeuronsInitial,
			f(q.ADInitial, "%.3f"), f(q.ADFinal, "%.3f"), f(q.ADShuffled, "%.3f"), f(q.PADVsShuffled, "%.3g"), f(q.PADInitialVsFinal, "%.3g"),
			f(q.SigmaAffInitial, "%.3f"), f(q.SigmaAffFinal, "%.3f"), f(q.SigmaAffShuffled, "%.3f"), f(q.PSigmaVsShuffled, "%.3g"), f(q.PSigmaInitialVsFinal, "%.3g"))
	}
}
