package figure

import (
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// setXTicks puts the caller's x ticks on p, or on a logarithmic x axis one
// tick per distinct x value when there are few (ranks 1, 2, 4, 8, …).
func setXTicks(p *plot.Plot, s settings, series []Series) {
	o := s.Options
	if len(o.XTicks) > 0 {
		setUserTicks(p, s)
		return
	}
	if o.LogX {
		if t := dataTicks(series); t != nil {
			p.X.Tick.Marker = t
		}
	}
}

// fixRanges widens degenerate axis ranges (a single x or y value): by a
// factor of two either side on a logarithmic axis, where gonum's ±1 could
// reach zero, and by 10 % (or ±1 at zero) on a linear one.
func fixRanges(p *plot.Plot, logX, logY bool) {
	widen(&p.X, logX)
	widen(&p.Y, logY)
}

// widen widens a's range when it is a single value.
func widen(a *plot.Axis, log bool) {
	if a.Min != a.Max {
		return
	}
	v := a.Min
	switch {
	case log:
		a.Min, a.Max = v/2, v*2
	case v == 0:
		a.Min, a.Max = -1, 1
	default:
		d := 0.1 * math.Abs(v)
		a.Min, a.Max = v-d, v+d
	}
}

// setUserTicks puts Options.XTicks on p's x axis; when their labels would not
// fit side by side they are rotated by 45°, and thinned to one label per
// minTickSpacing of the (estimated) data width.
func setUserTicks(p *plot.Plot, s settings) {
	avail := dataWidth(s)
	sty := p.X.Tick.Label
	var total vg.Length
	for _, t := range s.XTicks {
		total += sty.Width(t.Label) + vg.Points(6)
	}
	if total <= avail {
		p.X.Tick.Marker = userTicks(s.XTicks, 0)
		return
	}
	p.X.Tick.Label.Rotation = math.Pi / 4
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
	p.X.Tick.Marker = userTicks(s.XTicks, int(avail/minTickSpacing))
}

// minTickSpacing is the least distance between rotated tick labels.
var minTickSpacing = vg.Points(22)

// dataWidth estimates the width of a figure's data area before layout: the
// figure less margins, the y axis and a typical legend.
func dataWidth(s settings) vg.Length {
	w := s.w - 2*margin - vg.Inch - 1.2*vg.Inch
	if w < vg.Inch {
		w = vg.Inch
	}
	return w
}

// fitYLabel breaks p's y-axis label into two lines, at the space nearest its
// middle, when it is longer than the height (estimated before layout) of
// the panel's data area: gonum would otherwise shrink the data area to the
// label's length.
func fitYLabel(p *plot.Plot, panelHeight vg.Length) {
	l := p.Y.Label.Text
	if l == "" || strings.Contains(l, "\n") || p.Y.Label.TextStyle.Width(l) <= 0.9*panelHeight {
		return
	}
	best := -1
	for i, r := range l {
		if r == ' ' && (best < 0 || abs(i-len(l)/2) < abs(best-len(l)/2)) {
			best = i
		}
	}
	if best > 0 {
		p.Y.Label.Text = l[:best] + "\n" + l[best+1:]
	}
}

// abs is the absolute value of an int.
func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
