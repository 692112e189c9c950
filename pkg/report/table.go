package report

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// Table is a rendered table of a report: the same cells go to the
// terminal, Markdown and HTML.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
	// Notes are the footnotes the cells refer to ("¹ need ≥ 4 samples").
	Notes []string
}

// notes numbers distinct footnotes and hands out their markers.
type notes struct {
	list []string
	idx  map[string]int
}

var superscripts = []string{"¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}

func marker(i int) string {
	if i < len(superscripts) {
		return superscripts[i]
	}
	return fmt.Sprintf("[%d]", i+1)
}

// add returns the marker of note text (" ¹"), adding it when new.
func (n *notes) add(text string) string {
	if n.idx == nil {
		n.idx = map[string]int{}
	}
	i, ok := n.idx[text]
	if !ok {
		i = len(n.list)
		n.idx[text] = i
		n.list = append(n.list, text)
	}
	return " " + marker(i)
}

func (n *notes) rendered() []string {
	out := make([]string, len(n.list))
	for i, t := range n.list {
		out[i] = marker(i) + " " + t
	}
	return out
}

// writeText renders the table aligned with text/tabwriter.
func (t Table) writeText(w io.Writer) error {
	if t.Title != "" {
		if _, err := fmt.Fprintln(w, t.Title); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.Header, "\t"))
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range t.Notes {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

// writeMarkdown renders the table as a GitHub-flavoured Markdown table.
func (t Table) writeMarkdown(w io.Writer, level string) error {
	if t.Title != "" {
		fmt.Fprintf(w, "%s %s\n\n", level, mdEscape(t.Title))
	}
	row := func(cells []string) {
		esc := make([]string, len(cells))
		for i, c := range cells {
			esc[i] = mdEscape(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(esc, " | "))
	}
	row(t.Header)
	sep := make([]string, len(t.Header))
	for i := range sep {
		sep[i] = "---"
	}
	fmt.Fprintf(w, "|%s|\n", strings.Join(sep, "|"))
	for _, r := range t.Rows {
		row(r)
	}
	if len(t.Notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range t.Notes {
			fmt.Fprintf(w, "%s  \n", mdEscape(n))
		}
	}
	_, err := fmt.Fprintln(w)
	return err
}

// mdEscape keeps cell text from breaking a Markdown table or turning into
// markup.
func mdEscape(s string) string {
	r := strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)
	return r.Replace(s)
}

// ciString renders a confidence interval as benchstat does: "± 2%", or
// "± ∞" with a note when there are too few values.
func ciString(s Stats, n *notes) string {
	p := s.CIPercent()
	switch {
	case math.IsInf(p, 1):
		msg := "too few runs for a confidence interval"
		if len(s.Warnings) > 0 {
			msg = s.Warnings[0]
		}
		return "± ∞" + n.add(msg)
	case math.IsNaN(p):
		return fmt.Sprintf("[%s, %s]", num(s.Lo), num(s.Hi))
	case p < 1:
		return fmt.Sprintf("± %.1f%%", p)
	}
	return fmt.Sprintf("± %.0f%%", p)
}

func labelOrAll(l string) string {
	if l == "" {
		return "all"
	}
	return l
}

func commonLine(c []KeyValue) string {
	if len(c) == 0 {
		return ""
	}
	parts := make([]string, len(c))
	for i, kv := range c {
		parts[i] = kv.Key + "=" + kv.Value
	}
	return strings.Join(parts, "  ")
}
