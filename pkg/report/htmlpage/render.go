package htmlpage

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed page.gohtml
var pageTemplate string

// tmpl is the parsed page template; html/template escapes every value
// according to its context.
var tmpl = template.Must(template.New("page").Parse(pageTemplate))

// view is the template's input: the page with derived fields.
type view struct {
	Title, Subtitle string
	Generated       string
	Meta            []Field
	Sections        []sectionView
}

type sectionView struct {
	ID, Heading string
	Paragraphs  []string
	Tables      []tableView
	Figures     []figureView
}

type tableView struct {
	Caption, Notes string
	Header         []cellView
	Rows           [][]cellView
}

type cellView struct {
	Text string
	Num  bool
}

type figureView struct {
	Caption string
	SVG     template.HTML
}

// render implements Render.
func render(w io.Writer, p Page) error {
	v, err := buildView(p)
	if err != nil {
		return err
	}
	if err := tmpl.Execute(w, v); err != nil {
		return fmt.Errorf("render HTML page %q: %w", p.Title, err)
	}
	return nil
}

// buildView derives the template's input from p, checking every figure.
func buildView(p Page) (view, error) {
	v := view{Title: p.Title, Subtitle: p.Subtitle, Meta: p.Meta}
	if strings.TrimSpace(v.Title) == "" {
		v.Title = "Report"
	}
	if !p.Generated.IsZero() {
		v.Generated = p.Generated.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	ids := map[string]int{}
	for si, s := range p.Sections {
		sv := sectionView{ID: uniqueID(ids, s.Heading, si), Heading: s.Heading, Paragraphs: paragraphs(s.Text)}
		for _, t := range s.Tables {
			sv.Tables = append(sv.Tables, tableViewOf(t))
		}
		for fi, f := range s.Figures {
			svg, err := inlineSVG(f.SVG)
			if err != nil {
				return v, fmt.Errorf("render HTML page: section %d (%q): figure %d (%q): %w", si+1, s.Heading, fi+1, f.Caption, err)
			}
			// inlineSVG has checked that the markup is one well-formed SVG
			// element with no scripts, handlers or external references.
			sv.Figures = append(sv.Figures, figureView{Caption: f.Caption, SVG: template.HTML(svg)})
		}
		v.Sections = append(v.Sections, sv)
	}
	return v, nil
}

// paragraphs splits text at blank lines, dropping empty paragraphs.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// tableViewOf marks the numeric columns of t.
func tableViewOf(t Table) tableView {
	cols := len(t.Header)
	for _, r := range t.Rows {
		cols = max(cols, len(r))
	}
	num := numericColumns(t.Rows, cols)
	tv := tableView{Caption: t.Caption, Notes: t.Notes}
	for i, h := range t.Header {
		tv.Header = append(tv.Header, cellView{Text: h, Num: num[i]})
	}
	for _, r := range t.Rows {
		row := make([]cellView, len(r))
		for i, c := range r {
			row[i] = cellView{Text: c, Num: num[i]}
		}
		tv.Rows = append(tv.Rows, row)
	}
	return tv
}

// uniqueID makes an HTML id from a heading: "s<n>-<slug>", unique in the page.
func uniqueID(seen map[string]int, heading string, index int) string {
	id := fmt.Sprintf("s%d", index+1)
	if s := slug(heading); s != "" {
		id += "-" + s
	}
	seen[id]++
	if n := seen[id]; n > 1 {
		id = fmt.Sprintf("%s-%d", id, n)
	}
	return id
}

// slug keeps ASCII letters and digits of s, lower-cased, joined by hyphens,
// cut at a hyphen to at most 40 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > 40 {
		out = out[:40]
		if i := strings.LastIndexByte(out, '-'); i > 0 {
			out = out[:i]
		}
	}
	return out
}
