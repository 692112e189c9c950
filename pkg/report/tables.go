package report

import (
	"fmt"
	"math"
	"strings"
)

// keyHeader is the header of the configuration columns: the varying keys,
// or one "configuration" column when nothing varies.
func keyHeader(varying []string) []string {
	if len(varying) == 0 {
		return []string{"configuration"}
	}
	return append([]string(nil), varying...)
}

// keyCells are a group's values of the varying keys.
func keyCells(all, varying, values []string) []string {
	if len(varying) == 0 {
		return []string{"all"}
	}
	out := make([]string, 0, len(varying))
	for _, k := range varying {
		for i, a := range all {
			if a == k {
				out = append(out, orDash(values[i]))
			}
		}
	}
	return out
}

// Tables returns one table per metric: a row per configuration with the
// median, the range, the confidence interval of the median and n.
func (a *Aggregate) Tables() []Table {
	var out []Table
	for _, m := range a.Metrics {
		var n notes
		t := Table{Title: MetricLabel(m), Header: append(keyHeader(a.Varying), "median", "min – max", fmt.Sprintf("%.0f%% CI", 100*Confidence), "n")}
		ref := math.Inf(1)
		for _, g := range a.Groups {
			if s, ok := g.Stats[m]; ok && s.Median != 0 {
				ref = math.Min(ref, math.Abs(s.Median))
			}
		}
		f := Formatter(m, ref)
		for _, g := range a.Groups {
			s, ok := g.Stats[m]
			if !ok {
				continue
			}
			row := append(keyCells(a.Keys, a.Varying, g.Values),
				f(s.Median), f(s.Min)+" – "+f(s.Max), ciString(s, &n), fmt.Sprint(s.N))
			t.Rows = append(t.Rows, row)
		}
		t.Notes = n.rendered()
		out = append(out, t)
	}
	return out
}

// MetaTable lists the metadata that differ between the sides (nil when
// none do).
func (c *Comparison) MetaTable() *Table {
	if len(c.MetaDiff) == 0 {
		return nil
	}
	t := &Table{Title: "metadata that differ", Header: []string{"key", "kind", c.Options.BaseName, c.Options.NewName}}
	for _, d := range c.MetaDiff {
		t.Rows = append(t.Rows, []string{d.Key, d.Kind, d.Base, d.New})
	}
	return t
}

// Tables returns one benchstat-style table per metric: the medians with
// their confidence intervals on both sides, the change ("~" when not
// significant), the p-value and the sample sizes, and a geometric-mean
// row.
func (c *Comparison) Tables() []Table {
	var out []Table
	for _, mt := range c.Metrics {
		var n notes
		hdr := keyHeader(c.Varying)
		t := Table{Title: MetricLabel(mt.Metric), Header: append(hdr, c.Options.BaseName, c.Options.NewName, "delta", "p (n)")}
		ref := math.Inf(1)
		for _, d := range mt.Rows {
			for _, v := range []float64{d.Base.Median, d.New.Median} {
				if v != 0 {
					ref = math.Min(ref, math.Abs(v))
				}
			}
		}
		f := Formatter(mt.Metric, ref)
		for _, d := range mt.Rows {
			delta := d.DeltaString()
			for _, note := range d.Notes {
				delta += n.add(note)
			}
			if d.Fails {
				delta += " FAIL"
			}
			row := append(keyCells(c.Keys, c.Varying, d.Values),
				f(d.Base.Median)+" "+ciString(d.Base, &n),
				f(d.New.Median)+" "+ciString(d.New, &n),
				delta, pString(d))
			t.Rows = append(t.Rows, row)
		}
		if g := mt.Geomean; g != nil {
			row := make([]string, len(hdr))
			row[0] = "geomean"
			row = append(row, f(g.Base), f(g.New), fmt.Sprintf("%+.2f%%", 100*g.Change), "")
			t.Rows = append(t.Rows, row)
		}
		t.Notes = n.rendered()
		out = append(out, t)
	}
	return out
}

func pString(d Delta) string {
	n := fmt.Sprintf("n=%d+%d", d.Base.N, d.New.N)
	if d.Base.N == d.New.N {
		n = fmt.Sprintf("n=%d", d.Base.N)
	}
	return fmt.Sprintf("p=%.3f %s", d.P, n)
}

// ChangeTable lists the significant changes of lower-is-better metrics
// in one direction (nil when there are none).
func (c *Comparison) ChangeTable(title string, ds []Delta) *Table {
	if len(ds) == 0 {
		return nil
	}
	t := &Table{Title: title, Header: []string{"metric", "configuration", "change", c.Options.BaseName, c.Options.NewName, "p (n)"}}
	for _, d := range ds {
		ch := fmt.Sprintf("%+.2f%%", 100*d.Change)
		if d.Fails {
			ch += " FAIL"
		}
		f := Formatter(d.Metric, math.Min(math.Abs(d.Base.Median), math.Abs(d.New.Median)))
		t.Rows = append(t.Rows, []string{d.Metric, labelOrAll(d.Label), ch, f(d.Base.Median), f(d.New.Median), pString(d)})
	}
	return t
}

// Verdict is a one-line summary of the comparison for the top of a report
// or a CI log.
func (c *Comparison) Verdict() string {
	o := c.Options
	crit := fmt.Sprintf("significant at alpha %v", o.Alpha)
	if o.Threshold > 0 {
		crit += fmt.Sprintf(" and at least %s", pct(o.Threshold))
	}
	var s string
	switch len(c.Regressions) {
	case 0:
		s = "no regression (" + crit + ")"
	case 1:
		s = "1 regression (" + crit + ")"
	default:
		s = fmt.Sprintf("%d regressions (%s)", len(c.Regressions), crit)
	}
	if len(c.Improvements) > 0 {
		s += fmt.Sprintf(", %d improvement(s)", len(c.Improvements))
	}
	if o.Gate {
		if c.Failed {
			s += fmt.Sprintf("; gate FAILED: a regression above %s", pct(o.FailOnRegression))
		} else {
			s += fmt.Sprintf("; gate passed: no significant regression above %s", pct(o.FailOnRegression))
		}
		if c.tooFewRows() > 0 {
			s += fmt.Sprintf(" (but %d comparisons cannot be significant: need ≥ %d runs per side)", c.tooFewRows(), c.SamplesNeeded)
		}
	}
	return s
}

func (c *Comparison) tooFewRows() int {
	n := 0
	for _, t := range c.Metrics {
		for _, d := range t.Rows {
			if d.TooFew {
				n++
			}
		}
	}
	return n
}

func pct(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", 100*f), "0"), ".") + "%"
}

// ChangeTable lists the change points of all series (nil when there are
// none).
func (h *History) ChangeTable() *Table {
	t := &Table{Title: "change points", Header: []string{"machine", "configuration", "metric", "first commit after", "date", "change", "median before → after", "confidence", "notes"}}
	for _, s := range h.Series {
		for _, ch := range s.Changes {
			note := strings.Join(ch.MetaChanges, "; ")
			if ch.Minor {
				note = strings.TrimPrefix(note+"; below threshold "+pct(h.Options.Threshold), "; ")
			}
			change := "?"
			if !math.IsNaN(ch.Change) {
				change = fmt.Sprintf("%+.2f%%", 100*ch.Change)
			}
			f := Formatter(s.Metric, math.Min(math.Abs(ch.Before), math.Abs(ch.After)))
			t.Rows = append(t.Rows, []string{s.Machine, labelOrAll(s.Label), s.Metric, commitOrRun(ch.Commit, s.Points[ch.Index].RunID), dateString(ch), change,
				f(ch.Before) + " → " + f(ch.After), fmt.Sprintf("%.3f", ch.Confidence), note})
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return t
}

func commitOrRun(commit, run string) string {
	if commit == "" {
		return "run " + run
	}
	return ShortCommit(commit)
}

func dateString(ch Change) string {
	if ch.Time.IsZero() {
		return "-"
	}
	return ch.Time.UTC().Format("2006-01-02 15:04")
}

// SeriesTable lists each series: its size, its latest median and its
// number of change points.
func (h *History) SeriesTable() Table {
	t := Table{Title: "series", Header: []string{"machine", "configuration", "metric", "commits", "runs", "first", "last", "median since last change", "change points"}}
	for _, s := range h.Series {
		last := len(s.Points)
		from := 0
		if len(s.Changes) > 0 {
			from = s.Changes[len(s.Changes)-1].Index
		}
		vs := make([]float64, 0, last-from)
		for _, p := range s.Points[from:] {
			vs = append(vs, p.Value)
		}
		runs := fmt.Sprint(len(s.Points))
		if s.PerCommit {
			runs += " (per commit)"
		}
		t.Rows = append(t.Rows, []string{s.Machine, labelOrAll(s.Label), s.Metric, fmt.Sprint(s.Commits), runs,
			timeString(s.Points[0]), timeString(s.Points[last-1]), FormatValue(s.Metric, Summarize(vs, Confidence).Median), fmt.Sprint(len(s.Changes))})
	}
	return t
}

func timeString(p Point) string {
	if p.Time.IsZero() {
		return "-"
	}
	return p.Time.UTC().Format("2006-01-02")
}
