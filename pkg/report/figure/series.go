package figure

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// xyErr adapts a Series to gonum's XYer and YErrorer.
type xyErr struct{ s Series }

// Len implements plotter.XYer.
func (e xyErr) Len() int { return len(e.s.X) }

// XY implements plotter.XYer.
func (e xyErr) XY(i int) (float64, float64) { return e.s.X[i], e.s.Y[i] }

// YError implements plotter.YErrorer: distances from the point down to Low and up to High.
func (e xyErr) YError(i int) (float64, float64) { return e.s.Y[i] - e.s.Low[i], e.s.High[i] - e.s.Y[i] }

// addSeries draws series s as the i-th data series of p: a line through the
// points, markers, and error bars when it has Low and High; it adds a legend
// entry when the series has a label and returns whether it did.
func addSeries(p *plot.Plot, leg *plot.Legend, i int, s Series) (bool, error) {
	xy := xyErr{s}
	line, points, err := plotter.NewLinePoints(xy)
	if err != nil {
		return false, fmt.Errorf("figure: %s: %w", seriesName(i, s), err)
	}
	line.LineStyle = lineStyle(i)
	points.GlyphStyle = glyphStyle(i)
	if len(s.X) > 1 {
		p.Add(line)
	}
	if s.Low != nil {
		eb, err := plotter.NewYErrorBars(xy)
		if err != nil {
			return false, fmt.Errorf("figure: %s: error bars: %w", seriesName(i, s), err)
		}
		eb.LineStyle = lineStyle(i)
		eb.LineStyle.Width = vg.Points(1.1)
		eb.CapWidth = vg.Points(6)
		p.Add(eb)
	}
	p.Add(points)
	if s.Label == "" {
		return false, nil
	}
	leg.Add(s.Label, line, points)
	return true, nil
}
