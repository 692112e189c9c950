package report

import (
	"fmt"
	"io"
)

// WriteMarkdown renders the aggregate as GitHub-flavoured Markdown (for a
// pull-request comment or a CI job summary): the same tables as
// WriteText.
func (a *Aggregate) WriteMarkdown(w io.Writer, title string) error {
	fmt.Fprintf(w, "## %s\n\n", mdEscape(title))
	fmt.Fprintf(w, "%d runs (%d records) in %d configurations.", a.Runs, a.Records, len(a.Groups))
	if l := commonLine(a.Common); l != "" {
		fmt.Fprintf(w, " Common to all: %s.", mdEscape(l))
	}
	fmt.Fprint(w, "\n\n")
	for _, t := range a.Tables() {
		if err := t.writeMarkdown(w, "###"); err != nil {
			return err
		}
	}
	return writeWarningsMarkdown(w, a.Warnings)
}

// WriteMarkdown renders the comparison as Markdown: the verdict first,
// then the differing metadata, the tables, and the regressions.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	o := c.Options
	fmt.Fprintf(w, "## snn-report compare: %s → %s\n\n", mdEscape(o.BaseName), mdEscape(o.NewName))
	fmt.Fprintf(w, "**%s**\n\n", mdEscape(c.Verdict()))
	if l := commonLine(c.Common); l != "" {
		fmt.Fprintf(w, "Common to all configurations: %s.\n\n", mdEscape(l))
	}
	if c.EnvironmentDiffers {
		fmt.Fprint(w, "> **Warning:** the sides ran on different machines or software; differences may come from those, not from the code.\n\n")
	}
	if t := c.MetaTable(); t != nil {
		if err := t.writeMarkdown(w, "###"); err != nil {
			return err
		}
	}
	for _, t := range []*Table{c.ChangeTable("regressions", c.Regressions), c.ChangeTable("improvements", c.Improvements)} {
		if t != nil {
			if err := t.writeMarkdown(w, "###"); err != nil {
				return err
			}
		}
	}
	for _, t := range c.Tables() {
		if err := t.writeMarkdown(w, "###"); err != nil {
			return err
		}
	}
	if len(c.OnlyBase) > 0 {
		fmt.Fprintf(w, "Only in %s: %s\n\n", mdEscape(o.BaseName), mdEscape(listOr(c.OnlyBase)))
	}
	if len(c.OnlyNew) > 0 {
		fmt.Fprintf(w, "Only in %s: %s\n\n", mdEscape(o.NewName), mdEscape(listOr(c.OnlyNew)))
	}
	fmt.Fprintf(w, "Medians ± the half-width of their %.0f%% confidence interval; delta and p from the Mann–Whitney U test, \"~\" when not significant.\n\n", 100*Confidence)
	return writeWarningsMarkdown(w, c.Warnings)
}

// WriteMarkdown renders the history as Markdown: change points and series.
func (h *History) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "## snn-report history\n\n%s.\n\n", mdEscape(h.Summary()))
	if l := commonLine(h.Common); l != "" {
		fmt.Fprintf(w, "Common to all series: %s.\n\n", mdEscape(l))
	}
	if t := h.ChangeTable(); t != nil {
		if err := t.writeMarkdown(w, "###"); err != nil {
			return err
		}
	}
	if err := h.SeriesTable().writeMarkdown(w, "###"); err != nil {
		return err
	}
	return writeWarningsMarkdown(w, h.Warnings)
}

func writeWarningsMarkdown(w io.Writer, warns []string) error {
	if len(warns) == 0 {
		return nil
	}
	fmt.Fprint(w, "### Warnings\n\n")
	for _, m := range warns {
		fmt.Fprintf(w, "- %s\n", mdEscape(m))
	}
	_, err := fmt.Fprintln(w)
	return err
}
