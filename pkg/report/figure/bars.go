package figure

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// bars implements Bars.
func bars(o Options, categories []string, values []float64, low, high []float64) ([]byte, error) {
	s, err := resolve(o, 0)
	if err != nil {
		return nil, err
	}
	if err := checkBarOptions(o); err != nil {
		return nil, err
	}
	if err := checkCategories(categories, "values", len(values)); err != nil {
		return nil, err
	}
	// The error bars reuse the series checks, at x = category index.
	sr := Series{Label: "values", X: make([]float64, len(values)), Y: values, Low: low, High: high}
	for i := range sr.X {
		sr.X[i] = float64(i)
	}
	if err := checkSeries([]Series{sr}, false, false); err != nil {
		return nil, err
	}
	p := newPlot("", o.XLabel, o.YLabel, false, false)
	bc, err := plotter.NewBarChart(plotter.Values(values), barWidth(s, len(categories), 0))
	if err != nil {
		return nil, fmt.Errorf("figure: bars: %w", err)
	}
	bc.Color = colorAt(0)
	bc.LineStyle.Width = 0
	p.Add(barGroup{bc})
	if low != nil {
		eb, err := plotter.NewYErrorBars(xyErr{sr})
		if err != nil {
			return nil, fmt.Errorf("figure: bars: error bars: %w", err)
		}
		eb.LineStyle = draw.LineStyle{Color: inkColor, Width: vg.Points(1.1)}
		eb.CapWidth = vg.Points(6)
		p.Add(eb)
	}
	nominalX(p, s, categories)
	fitYLabel(p, s.h-2*margin-vg.Points(70))
	return encode(s, []*plot.Plot{p}, newLegend(), 0)
}

// stackedBars implements StackedBars. The first stack is drawn at the bottom;
// the legend lists the stacks top to bottom, in the order they appear.
func stackedBars(o Options, categories []string, stacks []Stack) ([]byte, error) {
	s, err := resolve(o, 0)
	if err != nil {
		return nil, err
	}
	if err := checkBarOptions(o); err != nil {
		return nil, err
	}
	if len(stacks) == 0 {
		return nil, fmt.Errorf("figure: stacked bars: no stacks to draw")
	}
	for i, st := range stacks {
		what := fmt.Sprintf("stack %d (%q)", i, st.Label)
		if err := checkCategories(categories, what, len(st.Values)); err != nil {
			return nil, err
		}
		for j, v := range st.Values {
			if !finite(v) || v < 0 {
				return nil, fmt.Errorf("figure: %s: value %d (%q) = %v: stacked values must be finite and non-negative",
					what, j, categories[j], v)
			}
		}
	}
	p := newPlot("", o.XLabel, o.YLabel, false, false)
	leg := newLegend()
	charts := make([]*plotter.BarChart, len(stacks))
	for i, st := range stacks {
		bc, err := plotter.NewBarChart(plotter.Values(st.Values), barWidth(s, len(categories), 0))
		if err != nil {
			return nil, fmt.Errorf("figure: stack %d (%q): %w", i, st.Label, err)
		}
		bc.Color = colorAt(i)
		bc.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
		if i > 0 {
			bc.StackOn(charts[i-1])
		}
		charts[i] = bc
	}
	p.Add(barGroup(charts))
	n := 0
	for i := len(stacks) - 1; i >= 0; i-- {
		if stacks[i].Label != "" {
			leg.Add(stacks[i].Label, swatch{draw.LineStyle{Color: colorAt(i)}})
			n++
		}
	}
	nominalX(p, s, categories)
	fitYLabel(p, s.h-2*margin-vg.Points(70))
	return encode(s, []*plot.Plot{p}, leg, n)
}

// checkBarOptions rejects logarithmic axes, on which bars from zero cannot be drawn.
func checkBarOptions(o Options) error {
	if o.LogX || o.LogY {
		return fmt.Errorf("figure: bar charts have linear axes: LogX and LogY must be false")
	}
	return nil
}

// barWidth is the width of one bar: 60 % of a category's share of the plot
// width (estimated before layout), at most 48 pt.
func barWidth(s settings, n int, legendW vg.Length) vg.Length {
	avail := s.w - 2*margin - vg.Inch - legendW
	if s.Options.Width == 0 && avail < vg.Inch {
		avail = vg.Inch
	}
	w := 0.6 * avail / vg.Length(n)
	return vg.Length(math.Max(2, math.Min(float64(w), float64(vg.Points(48)))))
}

// nominalX labels the x axis with the category names, rotated when they
// would not fit side by side.
func nominalX(p *plot.Plot, s settings, categories []string) {
	p.NominalX(categories...)
	p.X.Tick.Label.Font.Size = tickSize
	var total vg.Length
	for _, c := range categories {
		total += p.X.Tick.Label.Width(c) + vg.Points(6)
	}
	if total > s.w-2*margin-vg.Inch {
		p.X.Tick.Label.Rotation = math.Pi / 4
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
	p.X.Padding = vg.Points(2)
}

// barFill is the share of a category's width that its bar fills.
const barFill = 0.7

// barGroup draws bar charts that share categories (stacked or single). The
// bars are at most as wide as estimated before layout (which sets the
// padding at the plot's edges) and at most barFill of the distance between
// categories as laid out, so that neighbouring bars never touch.
type barGroup []*plotter.BarChart

// Plot implements plot.Plotter.
func (g barGroup) Plot(c draw.Canvas, p *plot.Plot) {
	if len(g[0].Values) > 1 {
		tx, _ := p.Transforms(&c)
		w := vg.Length(math.Min(float64(g[0].Width), barFill*float64(tx(1)-tx(0))))
		for _, b := range g {
			b.Width = w
		}
	}
	for _, b := range g {
		b.Plot(c, p)
	}
}

// DataRange implements plot.DataRanger: the union of the charts' ranges.
func (g barGroup) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range g {
		x0, x1, y0, y1 := b.DataRange()
		xmin, xmax = math.Min(xmin, x0), math.Max(xmax, x1)
		ymin, ymax = math.Min(ymin, y0), math.Max(ymax, y1)
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer with the estimated width.
func (g barGroup) GlyphBoxes(p *plot.Plot) []plot.GlyphBox { return g[0].GlyphBoxes(p) }
