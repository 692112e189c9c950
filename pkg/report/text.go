package report

import (
	"fmt"
	"io"
)

// WriteText renders the aggregate for a terminal: a summary line, the
// keys common to all configurations, one aligned table per metric, and
// the warnings.
func (a *Aggregate) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%d runs (%d records) in %d configurations\n", a.Runs, a.Records, len(a.Groups))
	if l := commonLine(a.Common); l != "" {
		fmt.Fprintf(w, "common: %s\n", l)
	}
	fmt.Fprintln(w)
	for _, t := range a.Tables() {
		if err := t.writeText(w); err != nil {
			return err
		}
	}
	return writeWarningsText(w, a.Warnings)
}

// WriteText renders the comparison for a terminal or a CI log: the sides,
// the differing metadata (with a warning when machine or software differ),
// the tables, the regressions and improvements, and the verdict.
func (c *Comparison) WriteText(w io.Writer) error {
	o := c.Options
	fmt.Fprintf(w, "compare %s (base) with %s (new)\n", o.BaseName, o.NewName)
	if l := commonLine(c.Common); l != "" {
		fmt.Fprintf(w, "common: %s\n", l)
	}
	fmt.Fprintln(w)
	if c.EnvironmentDiffers {
		fmt.Fprintln(w, "WARNING: the sides ran on different machines or software; differences may come from those, not from the code.")
	}
	if t := c.MetaTable(); t != nil {
		if err := t.writeText(w); err != nil {
			return err
		}
	}
	for _, t := range c.Tables() {
		if err := t.writeText(w); err != nil {
			return err
		}
	}
	for _, t := range []*Table{c.ChangeTable("regressions", c.Regressions), c.ChangeTable("improvements", c.Improvements)} {
		if t != nil {
			if err := t.writeText(w); err != nil {
				return err
			}
		}
	}
	if len(c.OnlyBase) > 0 {
		fmt.Fprintf(w, "only in %s: %s\n", o.BaseName, listOr(c.OnlyBase))
	}
	if len(c.OnlyNew) > 0 {
		fmt.Fprintf(w, "only in %s: %s\n", o.NewName, listOr(c.OnlyNew))
	}
	if err := writeWarningsText(w, c.Warnings); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, c.Verdict())
	return err
}

// WriteText renders the history for a terminal: the change points, then
// every series with its size and latest level.
func (h *History) WriteText(w io.Writer) error {
	fmt.Fprintln(w, h.Summary())
	if l := commonLine(h.Common); l != "" {
		fmt.Fprintf(w, "common: %s\n", l)
	}
	fmt.Fprintln(w)
	if t := h.ChangeTable(); t != nil {
		if err := t.writeText(w); err != nil {
			return err
		}
	}
	if err := h.SeriesTable().writeText(w); err != nil {
		return err
	}
	return writeWarningsText(w, h.Warnings)
}

// Summary is a one-line account of the history.
func (h *History) Summary() string {
	machines := map[string]bool{}
	changes, minor := 0, 0
	for _, s := range h.Series {
		machines[s.Machine] = true
		for _, c := range s.Changes {
			if c.Minor {
				minor++
			} else {
				changes++
			}
		}
	}
	o := h.Options
	alpha := o.Alpha
	if alpha == 0 {
		alpha = 0.01
	}
	s := fmt.Sprintf("history: %d series on %d machine(s), %d change point(s) (E-divisive, permutation test at alpha %v)", len(h.Series), len(machines), changes, alpha)
	if minor > 0 {
		s += fmt.Sprintf(", %d more below %s", minor, pct(o.Threshold))
	}
	return s
}

func writeWarningsText(w io.Writer, warns []string) error {
	for _, m := range warns {
		if _, err := fmt.Fprintf(w, "warning: %s\n", m); err != nil {
			return err
		}
	}
	return nil
}
