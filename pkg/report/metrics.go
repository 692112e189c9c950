package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// DefaultCompareMetrics are the metrics snn-report compare shows unless
// --metrics names others.
var DefaultCompareMetrics = []string{"time_simulate", "real_time_factor", "time_update", "time_deliver", "time_communicate", "peak_rss_bytes"}

// DefaultHistoryMetrics are the metrics snn-report history follows unless
// --metrics names others.
var DefaultHistoryMetrics = []string{"time_simulate", "real_time_factor", "peak_rss_bytes"}

// combine says how a run's value of a metric follows from its ranks'
// values when the record has no run-level ("run.") value.
type combine int

const (
	combineMax        combine = iota // wall-clock phases: the slowest rank
	combineSum                       // memory and counts: summed over ranks
	combineMean                      // rates: the mean over ranks
	combinePerSynapse                // bytes_per_synapse: summed memory / summed synapses
)

func combineOf(metric string) combine {
	switch {
	case metric == "bytes_per_synapse":
		return combinePerSynapse
	case strings.HasSuffix(metric, "_bytes"), metric == "spikes", metric == "neurons", metric == "synapses":
		return combineSum
	case strings.HasPrefix(metric, results.RateMetricPrefix):
		return combineMean
	}
	return combineMax
}

// LowerIsBetter tells whether a smaller value of the metric is an
// improvement: times, the real-time factor and memory. Other metrics
// (spike counts, rates) have no direction and are never regressions.
func LowerIsBetter(metric string) bool {
	return strings.HasPrefix(metric, "time_") || metric == "real_time_factor" ||
		strings.HasSuffix(metric, "_bytes") || metric == "bytes_per_synapse"
}

// Unit is the metric's unit as printed in table headers ("s", "B", "Hz",
// "" for plain numbers).
func Unit(metric string) string {
	switch {
	case strings.HasPrefix(metric, "time_"):
		return "s"
	case strings.HasSuffix(metric, "_bytes"):
		return "B"
	case metric == "bytes_per_synapse":
		return "B/synapse"
	case strings.HasPrefix(metric, results.RateMetricPrefix):
		return "Hz"
	case isMapDistance(metric):
		return GridUnits
	}
	return ""
}

// GridUnits is the unit of the topographic-map distances (map.PROJECTION.ad_*
// and map.PROJECTION.sigma_aff_*): the grid spacing.
const GridUnits = "grid units"

// isMapDistance tells whether metric is a map-quality distance.
func isMapDistance(metric string) bool {
	rest, ok := strings.CutPrefix(metric, results.MapMetricPrefix)
	if !ok {
		return false
	}
	i := strings.LastIndexByte(rest, '.')
	return i > 0 && (strings.HasPrefix(rest[i+1:], "ad_") || strings.HasPrefix(rest[i+1:], "sigma_aff_"))
}

// metricRank orders the well-known metrics as beNNch lists them; others
// follow alphabetically.
var metricRank = map[string]int{
	"time_construction_create": 1, "time_construction_connect": 2, "time_construction_load": 3, "time_presimulate": 4,
	"time_simulate": 5, "time_update": 6, "time_deliver": 7, "time_communicate": 8, "time_record": 9,
	"real_time_factor": 10, "spikes": 11, "peak_rss_bytes": 12, "bytes_per_synapse": 13, "neurons": 14, "synapses": 15,
}

func sortMetrics(m []string) {
	rank := func(metric string) int {
		switch r := metricRank[metric]; {
		case r != 0:
			return r
		case strings.HasPrefix(metric, "time_"):
			return 9 // other phase times join time_record
		default:
			return 100
		}
	}
	sort.Slice(m, func(i, j int) bool {
		if ri, rj := rank(m[i]), rank(m[j]); ri != rj {
			return ri < rj
		}
		return m[i] < m[j]
	})
}

// FormatValue renders a value of the metric with four significant digits
// and its unit: seconds below 0.1 s as ms or µs, bytes as KiB/MiB/GiB.
func FormatValue(metric string, v float64) string {
	return Formatter(metric, v)(v)
}

// Formatter returns a function that renders values of the metric in the
// unit FormatValue would choose for ref, so that a table's column shares
// one unit (ref: e.g. the smallest median of the column).
func Formatter(metric string, ref float64) func(float64) string {
	a := math.Abs(ref)
	switch Unit(metric) {
	case "s":
		switch {
		case a == 0 || a >= 0.1 || math.IsNaN(a) || math.IsInf(a, 0):
			return func(v float64) string { return num(v) + " s" }
		case a >= 1e-4:
			return func(v float64) string { return num(v*1e3) + " ms" }
		default:
			return func(v float64) string { return num(v*1e6) + " µs" }
		}
	case "B":
		units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
		i, scale := 0, 1.0
		for a/scale >= 1024 && i < len(units)-1 {
			scale *= 1024
			i++
		}
		return func(v float64) string { return num(v/scale) + " " + units[i] }
	case "", GridUnits:
		return num
	case "B/synapse":
		return func(v float64) string { return num(v) + " B" }
	default:
		u := Unit(metric)
		return func(v float64) string { return num(v) + " " + u }
	}
}

// num prints four significant digits without an exponent for ordinary
// magnitudes.
func num(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Sprint(v)
	case v == 0:
		return "0"
	case a >= 1e7 || a < 1e-3:
		return fmt.Sprintf("%.3e", v)
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.1f", v)
	case a >= 10:
		return fmt.Sprintf("%.2f", v)
	case a >= 1:
		return fmt.Sprintf("%.3f", v)
	default:
		return fmt.Sprintf("%.4f", v)
	}
}

// MetricLabel is the metric's name with its unit: "time_simulate (s)".
func MetricLabel(metric string) string {
	if u := Unit(metric); u != "" {
		return metric + " (" + u + ")"
	}
	return metric
}
