package figure

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// lines implements Lines.
func lines(o Options, series []Series) ([]byte, error) {
	s, err := resolve(o, 0)
	if err != nil {
		return nil, err
	}
	if err := checkSeries(series, o.LogX, o.LogY); err != nil {
		return nil, err
	}
	p := newPlot("", o.XLabel, o.YLabel, o.LogX, o.LogY)
	setXTicks(p, s, series)
	leg := newLegend()
	n := 0
	for i, sr := range series {
		added, err := addSeries(p, &leg, i, sortedByX(sr))
		if err != nil {
			return nil, err
		}
		if added {
			n++
		}
	}
	fixRanges(p, o.LogX, o.LogY)
	fitYLabel(p, s.h-2*margin-vg.Points(70))
	return encode(s, []*plot.Plot{p}, leg, n)
}
