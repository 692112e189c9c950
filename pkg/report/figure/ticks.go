package figure

import (
	"math"
	"sort"
	"strconv"

	"gonum.org/v1/plot"
)

// linearTicker places ticks like gonum's default ticker (guarded against an
// empty range) and labels them with the fewest decimals that represent every
// label exactly: 0, 25, 50 rather than 0.00, 25.00, 50.00.
type linearTicker struct{}

// Ticks implements plot.Ticker.
func (linearTicker) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return nil
	}
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	var scale float64
	for _, t := range ticks {
		if t.Label != "" {
			scale = math.Max(scale, math.Abs(t.Value))
		}
	}
	if scale == 0 {
		return ticks
	}
	if scale >= 1e6 || scale < 1e-4 {
		for i, t := range ticks {
			if t.Label != "" {
				ticks[i].Label = strconv.FormatFloat(t.Value, 'g', 4, 64)
			}
		}
		return ticks
	}
	prec := 0
	for ; prec < 10; prec++ {
		exact := true
		for _, t := range ticks {
			if t.Label == "" {
				continue
			}
			r, _ := strconv.ParseFloat(strconv.FormatFloat(t.Value, 'f', prec, 64), 64)
			if math.Abs(r-t.Value) > 1e-9*scale {
				exact = false
				break
			}
		}
		if exact {
			break
		}
	}
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'f', prec, 64)
			if ticks[i].Label == "-0" {
				ticks[i].Label = "0"
			}
		}
	}
	return ticks
}

// logTicker labels a logarithmic axis at 1, 2 and 5 (or 1…9) times powers of
// ten when the range spans few decades, so that a range such as 12–80 still
// gets labels, and at powers of ten (thinned to at most maxLogLabels) otherwise.
type logTicker struct{}

// maxLogLabels is the most labels a logarithmic axis gets.
const maxLogLabels = 8

// Ticks implements plot.Ticker.
func (logTicker) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > min) || math.IsInf(max, 0) {
		return nil
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	inRange := func(v float64) bool { return v >= min*(1-1e-9) && v <= max*(1+1e-9) }
	candidates := func(mantissas []float64, every int) []float64 {
		var out []float64
		for e := lo; e <= hi; e++ {
			if (e-lo)%every != 0 {
				continue
			}
			for _, m := range mantissas {
				if v := m * math.Pow10(e); inRange(v) {
					out = append(out, v)
				}
			}
		}
		return out
	}
	var labelled []float64
	for _, set := range [][]float64{{1}, {1, 2, 5}, {1, 2, 3, 4, 5, 6, 7, 8, 9}} {
		labelled = candidates(set, 1)
		if len(labelled) >= 3 {
			break
		}
	}
	if len(labelled) < 2 {
		// Less than a decade between two integers' worth of mantissas
		// (e.g. 12–18): label it like a linear axis.
		return linearTicker{}.Ticks(min, max)
	}
	for every := 2; len(labelled) > maxLogLabels; every++ {
		labelled = candidates([]float64{1}, every)
	}
	isLabelled := make(map[float64]bool, len(labelled))
	ticks := make([]plot.Tick, 0, len(labelled))
	for _, v := range labelled {
		isLabelled[v] = true
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v)})
	}
	if hi-lo <= 6 {
		for _, v := range candidates([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1) {
			if !isLabelled[v] {
				ticks = append(ticks, plot.Tick{Value: v})
			}
		}
	}
	return ticks
}

// formatTick formats a tick value compactly: plain decimals between 1e-4 and
// 1e6, exponent notation outside; rounded to 12 significant digits, so that
// 3·10⁻¹ reads 0.3, not 0.30000000000000004.
func formatTick(v float64) string {
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	a := math.Abs(v)
	if v == 0 || (a >= 1e-4 && a < 1e6) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// maxDataTicks is the most distinct x values that get a tick each.
const maxDataTicks = 10

// dataTicks returns one labelled tick per distinct x value, for logarithmic
// rank axes (1, 2, 4, 8, …), or nil when there are too many values.
func dataTicks(series []Series) plot.Ticker {
	seen := map[float64]bool{}
	var xs []float64
	for _, s := range series {
		for _, x := range s.X {
			if !seen[x] {
				seen[x] = true
				xs = append(xs, x)
			}
		}
	}
	if len(xs) < 2 || len(xs) > maxDataTicks {
		return nil
	}
	sort.Float64s(xs)
	ticks := make(plot.ConstantTicks, len(xs))
	for i, x := range xs {
		ticks[i] = plot.Tick{Value: x, Label: formatTick(x)}
	}
	return ticks
}

// userTicks converts Options.XTicks to a ticker, or nil when there are none.
// When more than maxLabels ticks are given, only every k-th keeps its label
// (the first always does) so that labels do not overlap.
func userTicks(ts []Tick, maxLabels int) plot.Ticker {
	if len(ts) == 0 {
		return nil
	}
	every := 1
	if maxLabels > 0 && len(ts) > maxLabels {
		every = (len(ts) + maxLabels - 1) / maxLabels
	}
	sorted := append([]Tick(nil), ts...)
	sort.SliceStable(sorted, func(a, b int) bool { return sorted[a].Value < sorted[b].Value })
	out := make(plot.ConstantTicks, len(sorted))
	for i, t := range sorted {
		out[i] = plot.Tick{Value: t.Value}
		if i%every == 0 {
			out[i].Label = t.Label
		}
	}
	return out
}
