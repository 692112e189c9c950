// Package htmlpage renders a report as one self-contained HTML5 file: inline
// CSS, inline SVG figures, no scripts, fonts or other network resources, so the
// file can be mailed, attached to a CI run or opened offline.
package htmlpage

import (
	"io"
	"time"
)

// Page is a whole report page.
type Page struct {
	// Title is the page title and top-level heading.
	Title string
	// Subtitle is an optional line under the title.
	Subtitle string
	// Generated is when the report was made; the zero time leaves it out.
	Generated time.Time
	// Meta is shown under the title as a list of name/value pairs (for
	// example the results directory, the number of records, the tool version).
	Meta []Field
	// Sections are rendered in order, each listed in the table of contents.
	Sections []Section
}

// Field is one name/value pair of page metadata.
type Field struct {
	// Name is the field's name, e.g. "results".
	Name string
	// Value is the field's value.
	Value string
}

// Section is one headed part of a page: a paragraph of text, then tables, then figures.
type Section struct {
	// Heading names the section in the page and in the table of contents.
	Heading string
	// Text is plain text; blank lines separate paragraphs.
	Text string
	// Tables are rendered in order after the text.
	Tables []Table
	// Figures are rendered in order after the tables.
	Figures []Figure
}

// Table is a captioned table of strings. Columns whose cells all look numeric
// are right-aligned.
type Table struct {
	// Caption is shown above the table.
	Caption string
	// Header holds the column names.
	Header []string
	// Rows holds the cells; a row may be shorter than the header.
	Rows [][]string
	// Notes is an optional plain-text footnote shown under the table.
	Notes string
}

// Figure is an SVG image with a caption.
type Figure struct {
	// Caption is shown under the figure.
	Caption string
	// SVG is a complete SVG document (as made by package figure); it is
	// embedded inline after removing any XML prolog.
	SVG []byte
}

// Render writes p as one self-contained HTML5 document to w: inline CSS
// (light and dark colour schemes), a table of contents when there is more
// than one section, tables with numeric columns right-aligned, and the
// figures' SVG inline. It loads nothing from the network and has no scripts.
// All text is escaped; a figure whose SVG is not a well-formed SVG document,
// or holds scripts, event handlers or external references, is an error.
// The output depends only on p, so the same page gives the same bytes.
func Render(w io.Writer, p Page) error {
	return render(w, p)
}
