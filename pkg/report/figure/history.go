package figure

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// history implements History: each series as a line with markers (and error
// bars when set), a dashed vertical marker at each change point, and the
// change's label at the top of the marker. Labels of changes closer than a
// label's width are moved down a line so that they do not overlap.
func history(o Options, points []Series, changes []Change) ([]byte, error) {
	s, err := resolve(o, 0)
	if err != nil {
		return nil, err
	}
	if err := checkSeries(points, o.LogX, o.LogY); err != nil {
		return nil, err
	}
	for i, c := range changes {
		if !finite(c.X) || (o.LogX && c.X <= 0) {
			return nil, fmt.Errorf("figure: change %d (%q): x = %v is not a valid position on the x axis", i, c.Label, c.X)
		}
	}
	p := newPlot("", o.XLabel, o.YLabel, o.LogX, o.LogY)
	setXTicks(p, s, points)
	leg := newLegend()
	n := 0
	marker := draw.LineStyle{Color: refColor, Width: vg.Points(1.2), Dashes: dashes}
	for _, c := range changes {
		p.Add(vline{x: c.X, style: marker})
	}
	for i, sr := range points {
		added, err := addSeries(p, &leg, i, sortedByX(sr))
		if err != nil {
			return nil, err
		}
		if added {
			n++
		}
	}
	if len(changes) > 0 {
		leg.Add("change point", lineThumb{marker})
		n++
		fixRanges(p, o.LogX, o.LogY)
		addChangeLabels(p, s, changes, o.LogY)
	}
	fixRanges(p, o.LogX, o.LogY)
	fitYLabel(p, s.h-2*margin-vg.Points(70))
	return encode(s, []*plot.Plot{p}, leg, n)
}

// addChangeLabels writes each change's label next to the top of its marker,
// raising the top of the y axis so that the rows of labels (estimated with
// the same layout as drawing uses) sit above the data.
func addChangeLabels(p *plot.Plot, s settings, changes []Change, logY bool) {
	cl := changeLabels{style: changeLabelStyle()}
	for _, c := range changes {
		if c.Label != "" {
			cl.xs = append(cl.xs, c.X)
			cl.labels = append(cl.labels, c.Label)
		}
	}
	if len(cl.labels) == 0 {
		return
	}
	ymin, ymax := p.Y.Min, p.Y.Max // already widened when degenerate
	w := dataWidth(s)
	pos := make([]vg.Length, len(cl.xs))
	for i, x := range cl.xs {
		pos[i] = vg.Length(p.X.Norm(x)) * w
	}
	rows := 0
	for _, r := range cl.rows(pos, w) {
		rows = max(rows, r+1)
	}
	// Estimated data height: the figure less margins, title and x axis.
	dh := s.h - 2*margin - vg.Points(90)
	f := float64(vg.Length(rows)*cl.lineHeight()+vg.Points(6)) / float64(max(dh, vg.Inch))
	f = math.Min(math.Max(f, 0.08), 0.6)
	if logY {
		p.Y.Max = ymax * math.Pow(ymax/ymin, f/(1-f))
	} else {
		p.Y.Max = ymax + (ymax-ymin)*f/(1-f)
	}
	p.Add(cl)
}
