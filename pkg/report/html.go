package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/report/htmlpage"
)

// maxHistoryFigures bounds the figures of a history page; the series
// tables still list every series.
const maxHistoryFigures = 60

func htmlTable(t Table) htmlpage.Table {
	return htmlpage.Table{Caption: t.Title, Header: t.Header, Rows: t.Rows, Notes: strings.Join(t.Notes, "\n")}
}

func htmlTables(ts []Table) []htmlpage.Table {
	out := make([]htmlpage.Table, len(ts))
	for i, t := range ts {
		out[i] = htmlTable(t)
	}
	return out
}

func warningsSection(warns []string) []htmlpage.Section {
	if len(warns) == 0 {
		return nil
	}
	return []htmlpage.Section{{Heading: "Warnings", Text: strings.Join(warns, "\n\n")}}
}

// metadataTable lists, per metadata key, the distinct values over the
// runs and how many runs have each.
func metadataTable(runs []Run) htmlpage.Table {
	keys := []string{"host", "cpu_model", "cores", "memory_bytes", "os", "arch", "gpu_model", "go_version", "mpi_library", "tool_version",
		"vcs_revision", "vcs_time", "vcs_modified", "slurm_cluster_name", "slurm_job_partition", "slurm_job_num_nodes", "format_version"}
	t := htmlpage.Table{Caption: "machines and software of the runs", Header: []string{"key", "values (runs)"}}
	for _, k := range keys {
		count := map[string]int{}
		for _, r := range runs {
			if v := r.Meta[k]; v != "" {
				count[v]++
			}
		}
		if len(count) == 0 {
			continue
		}
		vals := make([]string, 0, len(count))
		for v := range count {
			vals = append(vals, v)
		}
		sort.Strings(vals)
		parts := make([]string, 0, len(vals))
		for i, v := range vals {
			if i == 8 {
				parts = append(parts, fmt.Sprintf("… %d more", len(vals)-8))
				break
			}
			parts = append(parts, fmt.Sprintf("%s (%d)", v, count[v]))
		}
		t.Rows = append(t.Rows, []string{k, strings.Join(parts, ", ")})
	}
	return t
}

func allRuns(groups []Group) []Run {
	var runs []Run
	for _, g := range groups {
		runs = append(runs, g.Runs...)
	}
	return runs
}

// AggregateHTML writes the report as one self-contained HTML page:
// beNNch's figures, a table per metric, the machines and software of the
// runs, and the warnings. source names the input.
func AggregateHTML(w io.Writer, a *Aggregate, source string, generated time.Time) error {
	figs, notes := a.Figures("svg")
	p := htmlpage.Page{
		Title:     "snn-report",
		Subtitle:  source,
		Generated: generated,
		Meta: []htmlpage.Field{{Name: "results", Value: source}, {Name: "runs", Value: fmt.Sprint(a.Runs)}, {Name: "records", Value: fmt.Sprint(a.Records)},
			{Name: "configurations", Value: fmt.Sprint(len(a.Groups))}, {Name: "grouped by", Value: strings.Join(a.Keys, ", ")}, {Name: "snn-report", Value: meta.ToolInfo().String()}},
	}
	if l := commonLine(a.Common); l != "" {
		p.Meta = append(p.Meta, htmlpage.Field{Name: "common to all", Value: l})
	}
	p.Sections = append(p.Sections,
		htmlpage.Section{Heading: "Figures", Text: "Medians over the repetitions of each configuration; wall-clock phases are the slowest rank's, memory is summed over ranks.", Figures: htmlFigures(figs)},
		htmlpage.Section{Heading: "Statistics", Text: fmt.Sprintf("Median, range and %.0f %% confidence interval of the median (distribution-free, from order statistics) over the runs of each configuration.", 100*Confidence), Tables: htmlTables(a.Tables())},
		htmlpage.Section{Heading: "Machines and software", Tables: []htmlpage.Table{metadataTable(allRuns(a.Groups))}},
	)
	p.Sections = append(p.Sections, warningsSection(append(append([]string(nil), a.Warnings...), notes...))...)
	return htmlpage.Render(w, p)
}

// ComparisonHTML writes the comparison as one self-contained HTML page.
func ComparisonHTML(w io.Writer, c *Comparison, generated time.Time) error {
	o := c.Options
	p := htmlpage.Page{
		Title:     "snn-report compare",
		Subtitle:  o.BaseName + " → " + o.NewName,
		Generated: generated,
		Meta: []htmlpage.Field{{Name: "base", Value: o.BaseName}, {Name: "new", Value: o.NewName}, {Name: "verdict", Value: c.Verdict()},
			{Name: "matched by", Value: strings.Join(c.Keys, ", ")}, {Name: "snn-report", Value: meta.ToolInfo().String()}},
	}
	if l := commonLine(c.Common); l != "" {
		p.Meta = append(p.Meta, htmlpage.Field{Name: "common to all", Value: l})
	}
	if t := c.MetaTable(); t != nil {
		text := "The sides differ in these metadata."
		if c.EnvironmentDiffers {
			text = "Warning: the sides ran on different machines or software; differences may come from those, not from the code."
		}
		p.Sections = append(p.Sections, htmlpage.Section{Heading: "Metadata that differ", Text: text, Tables: []htmlpage.Table{htmlTable(*t)}})
	}
	var changes []htmlpage.Table
	for _, t := range []*Table{c.ChangeTable("regressions", c.Regressions), c.ChangeTable("improvements", c.Improvements)} {
		if t != nil {
			changes = append(changes, htmlTable(*t))
		}
	}
	if len(changes) > 0 {
		p.Sections = append(p.Sections, htmlpage.Section{Heading: "Significant changes", Tables: changes})
	}
	text := fmt.Sprintf("Medians ± the half-width of their %.0f %% confidence interval; delta is the change of the median, \"~\" when the Mann–Whitney U test gives p ≥ %v", 100*Confidence, o.Alpha)
	if o.Threshold > 0 {
		text += " or the change is below " + pct(o.Threshold)
	}
	text += fmt.Sprintf(". At alpha %v the test needs at least %d runs per side to detect any difference.", o.Alpha, c.SamplesNeeded)
	p.Sections = append(p.Sections, htmlpage.Section{Heading: "Comparison", Text: text, Tables: htmlTables(c.Tables())})
	var unmatched []string
	if len(c.OnlyBase) > 0 {
		unmatched = append(unmatched, "Only in "+o.BaseName+": "+strings.Join(c.OnlyBase, "; "))
	}
	if len(c.OnlyNew) > 0 {
		unmatched = append(unmatched, "Only in "+o.NewName+": "+strings.Join(c.OnlyNew, "; "))
	}
	if len(unmatched) > 0 {
		p.Sections = append(p.Sections, htmlpage.Section{Heading: "Unmatched configurations", Text: strings.Join(unmatched, "\n\n")})
	}
	p.Sections = append(p.Sections, warningsSection(c.Warnings)...)
	return htmlpage.Render(w, p)
}

// HistoryHTML writes the history as one self-contained HTML page: the
// change points, a figure per series (change points marked), and the
// series table.
func HistoryHTML(w io.Writer, h *History, generated time.Time) error {
	p := htmlpage.Page{
		Title:     "snn-report history",
		Subtitle:  h.Summary(),
		Generated: generated,
		Meta:      []htmlpage.Field{{Name: "series", Value: fmt.Sprint(len(h.Series))}, {Name: "grouped by", Value: strings.Join(h.Keys, ", ")}, {Name: "snn-report", Value: meta.ToolInfo().String()}},
	}
	if l := commonLine(h.Common); l != "" {
		p.Meta = append(p.Meta, htmlpage.Field{Name: "common to all", Value: l})
	}
	text := "Change points found by E-divisive means with a permutation test; each is named by the first commit after it, with the change of the median between the segments either side and the confidence 1 − p."
	var tables []htmlpage.Table
	if t := h.ChangeTable(); t != nil {
		tables = append(tables, htmlTable(*t))
	} else {
		text += " No change point was found."
	}
	p.Sections = append(p.Sections, htmlpage.Section{Heading: "Change points", Text: text, Tables: tables})
	figs, warns := h.Figures("svg", maxHistoryFigures)
	sec := htmlpage.Section{Heading: "Series", Figures: htmlFigures(figs)}
	sec.Tables = []htmlpage.Table{htmlTable(h.SeriesTable())}
	p.Sections = append(p.Sections, sec)
	p.Sections = append(p.Sections, warningsSection(append(append([]string(nil), h.Warnings...), warns...))...)
	return htmlpage.Render(w, p)
}
