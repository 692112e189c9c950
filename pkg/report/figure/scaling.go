package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// scaling implements Scaling.
//
// The figure has two panels sharing the x axis (ranks or nodes). The top one
// shows each series (a time or a real-time factor, which is proportional to
// time) with its error bars, and a dashed line of the series' colour for
// ideal strong scaling from the series' first point (smallest x): t1·r1/r.
// The bottom one shows the parallel efficiency E(r) = t1·r1 / (t(r)·r) in
// per cent, with a dashed reference at 100 %. Efficiency has no error bars:
// its uncertainty depends on t1's as much as on t(r)'s, and the top panel
// shows both. Options.LogY applies to the top panel only; the efficiency axis
// is linear.
func scaling(o Options, series []Series) ([]byte, error) {
	s, err := resolve(o, defaultScalingHeight)
	if err != nil {
		return nil, err
	}
	if err := checkSeries(series, o.LogX, o.LogY); err != nil {
		return nil, err
	}
	for i, sr := range series {
		for j := range sr.X {
			if sr.X[j] <= 0 || sr.Y[j] <= 0 {
				return nil, fmt.Errorf("figure: scaling: %s: point %d (%v, %v): ranks and times must be positive",
					seriesName(i, sr), j, sr.X[j], sr.Y[j])
			}
		}
	}

	top := newPlot("", "", o.YLabel, o.LogX, o.LogY)
	bottom := newPlot("", o.XLabel, "parallel efficiency (%)", o.LogX, false)
	setXTicks(top, s, series)
	setXTicks(bottom, s, series)
	leg := newLegend()
	n := 0
	for i, sr := range series {
		sr = sortedByX(sr)
		ideal, eff := idealScaling(sr)
		if len(sr.X) > 1 {
			l, err := plotter.NewLine(ideal)
			if err != nil {
				return nil, fmt.Errorf("figure: scaling: %s: ideal line: %w", seriesName(i, sr), err)
			}
			l.LineStyle = lineStyle(i)
			l.LineStyle.Width = vg.Points(1)
			l.LineStyle.Dashes = dashes
			top.Add(l)
		}
		added, err := addSeries(top, &leg, i, sr)
		if err != nil {
			return nil, err
		}
		if added {
			n++
		}
		if _, err := addSeries(bottom, &plot.Legend{}, i, eff); err != nil {
			return nil, err
		}
	}
	// Legend entry for the ideal lines, and the 100 % reference.
	ref := draw.LineStyle{Color: refColor, Width: vg.Points(1), Dashes: dashes}
	leg.Add("ideal scaling", lineThumb{ref})
	n++
	bottom.Add(hline{y: 100, style: ref})
	if bottom.Y.Max < 100 {
		bottom.Y.Max = 100
	}
	if bottom.Y.Min > 0 {
		bottom.Y.Min = 0
	}
	fixRanges(top, o.LogX, o.LogY)
	fixRanges(bottom, o.LogX, false)
	half := (s.h-2*margin-panelGap)/2 - vg.Points(40)
	fitYLabel(top, half)
	fitYLabel(bottom, half)
	return encode(s, []*plot.Plot{top, bottom}, leg, n)
}

// idealScaling returns, for a series sorted by x (ranks) with positive
// values, the ideal strong-scaling line from its first point, t1·r1/r, and
// the parallel efficiency in per cent, 100·t1·r1/(t·r).
func idealScaling(sr Series) (ideal plotter.XYs, eff Series) {
	x1, t1 := sr.X[0], sr.Y[0]
	ideal = make(plotter.XYs, len(sr.X))
	eff = Series{Label: sr.Label, X: sr.X, Y: make([]float64, len(sr.X))}
	for j, x := range sr.X {
		ideal[j] = plotter.XY{X: x, Y: t1 * x1 / x}
		eff.Y[j] = 100 * t1 * x1 / (sr.Y[j] * x)
	}
	return ideal, eff
}
