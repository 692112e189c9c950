package report

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/report/figure"
	"github.com/snnkit/snnkit/pkg/report/htmlpage"
	"github.com/snnkit/snnkit/pkg/results"
)

// Figure is a drawn figure: a file name stem, a caption and the SVG or
// PNG bytes.
type Figure struct {
	Name, Caption string
	Data          []byte
}

func htmlFigures(figs []Figure) []htmlpage.Figure {
	out := make([]htmlpage.Figure, len(figs))
	for i, f := range figs {
		out[i] = htmlpage.Figure{Caption: f.Caption, SVG: f.Data}
	}
	return out
}

// Figures draws beNNch's standard figures from the aggregate, as far as
// its data allow, in format ("svg" or "png"): phase times stacked per
// configuration (construction against state propagation, and
// update/deliver/communicate/record), the real-time factor against ranks
// with ideal scaling and parallel efficiency, the population rates, and
// the memory per synapse. Figures that cannot be drawn from the data are
// left out; the strings say why.
func (a *Aggregate) Figures(format string) ([]Figure, []string) {
	var figs []Figure
	var notes []string
	name := ""
	add := func(caption string, data []byte, err error) {
		if err != nil {
			notes = append(notes, fmt.Sprintf("figure %q left out: %v", caption, err))
			return
		}
		if data != nil {
			figs = append(figs, Figure{Name: name, Caption: caption, Data: data})
		}
	}
	cats := a.categories()
	for _, f := range []struct {
		name, caption string
		stacks        func(string) bool
	}{
		{"phases-construction", "Construction and state propagation: medians of the slowest rank per configuration", func(m string) bool {
			return strings.HasPrefix(m, "time_construction") || m == "time_presimulate" || m == "time_simulate"
		}},
		{"phases-simulation", "Phases of state propagation: medians of the slowest rank per configuration (each phase's own slowest rank, so the sum may exceed time_simulate)", func(m string) bool {
			return m == "time_update" || m == "time_deliver" || m == "time_communicate" || m == "time_record"
		}},
	} {
		name = f.name
		svg, err := a.stacked(cats, f.stacks, format)
		add(f.caption, svg, err)
	}
	name = "real-time-factor"
	if series, weak := a.vsRanks("real_time_factor"); len(series) > 0 {
		o := figure.Options{XLabel: "MPI ranks", YLabel: "real-time factor (wall-clock / model time)", LogX: true, LogY: true, Format: format}
		if weak {
			svg, err := figure.Lines(o, series)
			add("Real-time factor against ranks (weak scaling: ideal is flat); bars: 95 % CI of the median", svg, err)
		} else {
			svg, err := figure.Scaling(o, series)
			add("Real-time factor against ranks with ideal strong scaling (dashed) and parallel efficiency; bars: 95 % CI of the median", svg, err)
		}
	} else if key := a.numericKey(); key != "" {
		series, _ := a.vsKey(key, "real_time_factor")
		o := figure.Options{XLabel: key, YLabel: "real-time factor (wall-clock / model time)", LogX: true, LogY: true, Format: format}
		svg, err := figure.Lines(o, series)
		add("Real-time factor against "+key+"; bars: 95 % CI of the median", svg, err)
	} else {
		svg, err := a.bars("real_time_factor", cats, "real-time factor", format)
		add("Real-time factor per configuration (median, 95 % CI)", svg, err)
	}
	name = "rates"
	svg, err := a.rates(cats, format)
	add("Mean firing rate per population (median over runs)", svg, err)
	name = "memory-per-synapse"
	if series, _ := a.vsRanks("bytes_per_synapse"); len(series) > 0 {
		svg, err := figure.Lines(figure.Options{XLabel: "MPI ranks", YLabel: "peak memory per synapse (B)", LogX: true, Format: format}, series)
		add("Peak memory (all processes) per synapse against ranks", svg, err)
	} else {
		svg, err := a.bars("bytes_per_synapse", cats, "peak memory per synapse (B)", format)
		add("Peak memory (all processes) per synapse", svg, err)
	}
	return figs, notes
}

// categories are the groups' labels by the varying keys.
func (a *Aggregate) categories() []string {
	cats := make([]string, len(a.Groups))
	for i, g := range a.Groups {
		cats[i] = labelOrAll(g.Label(a.Keys, a.Varying))
	}
	return cats
}

// stacked draws the medians of the selected time metrics stacked per
// configuration; nil when fewer than one such metric is present.
func (a *Aggregate) stacked(cats []string, sel func(string) bool, format string) ([]byte, error) {
	var stacks []figure.Stack
	for _, m := range a.Metrics {
		if !sel(m) {
			continue
		}
		st := figure.Stack{Label: m, Values: make([]float64, len(a.Groups))}
		for i, g := range a.Groups {
			if s, ok := g.Stats[m]; ok {
				st.Values[i] = s.Median
			}
		}
		stacks = append(stacks, st)
	}
	if len(stacks) == 0 {
		return nil, nil
	}
	return figure.StackedBars(figure.Options{YLabel: "time (s)", Width: figWidth(len(cats)), Format: format}, cats, stacks)
}

func figWidth(categories int) float64 {
	return math.Min(16, math.Max(6.4, 1.2+0.6*float64(categories)))
}

// vsRanks is vsKey against ranks.
func (a *Aggregate) vsRanks(metric string) ([]figure.Series, bool) { return a.vsKey("ranks", metric) }

// numericKey returns the first varying key other than ranks whose values
// are all positive numbers (a model size such as param.scale), or "".
func (a *Aggregate) numericKey() string {
	for _, k := range a.Varying {
		if k == "ranks" {
			continue
		}
		i, ok := indexOf(a.Keys, k), true
		for _, g := range a.Groups {
			if x, err := strconv.ParseFloat(g.Values[i], 64); err != nil || !(x > 0) {
				ok = false
				break
			}
		}
		if ok {
			return k
		}
	}
	return ""
}

// vsKey makes one series per combination of the other varying keys,
// with the metric's median (and its CI as error bars where finite)
// against the numeric key; nil unless the key varies. weak tells whether
// every group is a weak-scaling one.
func (a *Aggregate) vsKey(key, metric string) ([]figure.Series, bool) {
	ri := -1
	var others []string
	for _, k := range a.Varying {
		if k == key {
			ri = indexOf(a.Keys, k)
		} else {
			others = append(others, k)
		}
	}
	if ri < 0 {
		return nil, false
	}
	weak := true
	idx := map[string]int{}
	var series []figure.Series
	for _, g := range a.Groups {
		s, ok := g.Stats[metric]
		x, err := strconv.ParseFloat(g.Values[ri], 64)
		if !ok || err != nil || x <= 0 || s.Median <= 0 {
			continue
		}
		if g.Runs[0].Config.Scaling != "weak" {
			weak = false
		}
		label := g.Label(a.Keys, others)
		i, seen := idx[label]
		if !seen {
			i = len(series)
			idx[label] = i
			series = append(series, figure.Series{Label: label})
		}
		sr := &series[i]
		sr.X, sr.Y = append(sr.X, x), append(sr.Y, s.Median)
		lo, hi := s.Median, s.Median
		if s.CIFinite() && s.Lo > 0 {
			lo, hi = s.Lo, s.Hi
		}
		sr.Low, sr.High = append(sr.Low, lo), append(sr.High, hi)
	}
	if len(series) == 1 && series[0].Label == "" {
		series[0].Label = metric
	}
	return series, weak && len(series) > 0
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

// bars draws the metric's median per configuration with its CI.
func (a *Aggregate) bars(metric string, cats []string, ylabel, format string) ([]byte, error) {
	var cs []string
	var vs, lo, hi []float64
	for i, g := range a.Groups {
		s, ok := g.Stats[metric]
		if !ok {
			continue
		}
		l, h := s.Median, s.Median
		if s.CIFinite() {
			l, h = s.Lo, s.Hi
		}
		cs, vs, lo, hi = append(cs, cats[i]), append(vs, s.Median), append(lo, l), append(hi, h)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return figure.Bars(figure.Options{YLabel: ylabel, Width: figWidth(len(cs)), Format: format}, cs, vs, lo, hi)
}

// rates draws the populations' median rates: one bar per population and
// configuration.
func (a *Aggregate) rates(cats []string, format string) ([]byte, error) {
	var pops []string
	for _, m := range a.Metrics {
		if p, ok := strings.CutPrefix(m, results.RateMetricPrefix); ok {
			pops = append(pops, p)
		}
	}
	if len(pops) == 0 {
		return nil, nil
	}
	sort.Strings(pops)
	var cs []string
	var vs []float64
	for i, g := range a.Groups {
		for _, p := range pops {
			s, ok := g.Stats[results.RateMetricPrefix+p]
			if !ok {
				continue
			}
			c := p
			if len(a.Groups) > 1 {
				c = p + " · " + cats[i]
			}
			cs, vs = append(cs, c), append(vs, s.Median)
		}
	}
	if len(cs) > 60 {
		return nil, fmt.Errorf("%d population × configuration bars are too many to read; use --by to narrow the report", len(cs))
	}
	return figure.Bars(figure.Options{YLabel: "rate (Hz)", Width: figWidth(len(cs)), Format: format}, cs, vs, nil, nil)
}

// historyFigure draws one series: the per-commit median with the range of
// its runs, commits on the x axis, and the change points marked.
func historyFigure(s Series, format string) ([]byte, error) {
	type commit struct {
		label string
		vs    []float64
	}
	var commits []commit
	index := make([]int, len(s.Points)) // point → commit index
	for i, p := range s.Points {
		if i == 0 || p.Commit == "" || p.Commit != s.Points[i-1].Commit {
			label := ShortCommit(p.Commit)
			if p.Commit == "" {
				label = p.RunID
			}
			if len(label) > 7 && p.Commit != "" {
				label = label[:7]
			}
			commits = append(commits, commit{label: label})
		}
		index[i] = len(commits) - 1
		commits[len(commits)-1].vs = append(commits[len(commits)-1].vs, p.Value)
	}
	sr := figure.Series{Label: "median per commit (bars: min–max)"}
	for i, c := range commits {
		st := Summarize(c.vs, Confidence)
		sr.X, sr.Y = append(sr.X, float64(i)), append(sr.Y, st.Median)
		sr.Low, sr.High = append(sr.Low, st.Min), append(sr.High, st.Max)
	}
	step := max(1, (len(commits)+11)/12)
	var ticks []figure.Tick
	for i := 0; i < len(commits); i += step {
		ticks = append(ticks, figure.Tick{Value: float64(i), Label: commits[i].label})
	}
	var changes []figure.Change
	for _, ch := range s.Changes {
		label := commits[index[ch.Index]].label
		if !math.IsNaN(ch.Change) {
			label += fmt.Sprintf(" %+.1f%%", 100*ch.Change)
		}
		changes = append(changes, figure.Change{X: float64(index[ch.Index]), Label: label})
	}
	ylabel := s.Metric
	if u := Unit(s.Metric); u != "" {
		ylabel += " (" + u + ")"
	}
	return figure.History(figure.Options{XLabel: "commit (oldest first)", YLabel: ylabel, XTicks: ticks, Width: figWidth(len(commits) / 2), Format: format}, []figure.Series{sr}, changes)
}

// Figures draws up to limit series of the history (those with change
// points first; limit ≤ 0 for all) in format ("svg" or "png"), each with
// its change points marked. The strings report figures that could not be
// drawn and series left out.
func (h *History) Figures(format string, limit int) ([]Figure, []string) {
	order := make([]int, len(h.Series))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return len(h.Series[order[i]].Changes) > len(h.Series[order[j]].Changes) })
	var figs []Figure
	var notes []string
	for n, i := range order {
		if limit > 0 && n == limit {
			notes = append(notes, fmt.Sprintf("the first %d of %d series are drawn (those with change points first)", limit, len(h.Series)))
			break
		}
		s := h.Series[i]
		caption := fmt.Sprintf("%s on %s, %s: %d commits, %d change point(s)", s.Metric, s.Machine, labelOrAll(s.Label), s.Commits, len(s.Changes))
		data, err := historyFigure(s, format)
		if err != nil {
			notes = append(notes, fmt.Sprintf("figure %q left out: %v", caption, err))
			continue
		}
		figs = append(figs, Figure{Name: fmt.Sprintf("history-%03d-%s", i+1, fileSafe(s.Metric)), Caption: caption, Data: data})
	}
	return figs, notes
}

// fileSafe keeps letters, digits, '.', '_' and '-' of s.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

// WriteFigures writes each figure to DIR/NAME.EXT atomically and returns
// the paths.
func WriteFigures(dir, ext string, figs []Figure) ([]string, error) {
	var paths []string
	for _, f := range figs {
		p := filepath.Join(dir, f.Name+"."+ext)
		if err := outdir.WriteBytes(p, f.Data); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
