package figure

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// palette is the Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008,
// "Color Universal Design"), ordered so that the first colours contrast most
// on white; black is last because it is reserved for reference lines.
var palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
	{0x00, 0x00, 0x00, 0xFF}, // black
}

// Colours of the non-data elements.
var (
	inkColor  = color.RGBA{0x22, 0x22, 0x22, 0xFF} // text and axes
	refColor  = color.RGBA{0x55, 0x55, 0x55, 0xFF} // reference lines
	gridColor = color.RGBA{0xDD, 0xDD, 0xDD, 0xFF}
)

// glyphs gives each series its own marker shape, so series stay apart in
// grey-scale print and for readers who cannot tell the colours apart.
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{},
	draw.SquareGlyph{},
	draw.TriangleGlyph{},
	draw.PyramidGlyph{},
	draw.RingGlyph{},
	draw.BoxGlyph{},
	draw.CrossGlyph{},
	draw.PlusGlyph{},
}

// colorAt returns the i-th palette colour, cycling.
func colorAt(i int) color.Color { return palette[i%len(palette)] }

// glyphAt returns the i-th marker shape, cycling.
func glyphAt(i int) draw.GlyphDrawer { return glyphs[i%len(glyphs)] }

// sansVariant selects Liberation Sans (gonum's default is Liberation Serif).
const sansVariant = font.Variant("Sans")

// Font sizes, in points.
const (
	titleSize  = 13
	labelSize  = 11
	tickSize   = 9.5
	legendSize = 10
)

// newPlot returns a plot with the report's common style: title, axis labels,
// font sizes, colours, logarithmic scales as requested and a light grid.
func newPlot(title, xlabel, ylabel string, logX, logY bool) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = titleSize
	p.Title.TextStyle.Color = inkColor
	p.Title.Padding = vg.Points(8)
	p.Title.TextStyle.Font.Variant = sansVariant
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Variant = sansVariant
		a.Tick.Label.Font.Variant = sansVariant
		a.Label.TextStyle.Font.Size = labelSize
		a.Label.TextStyle.Color = inkColor
		a.Tick.Label.Font.Size = tickSize
		a.Tick.Label.Color = inkColor
		a.Color = inkColor
		a.Tick.Color = inkColor
		a.Padding = vg.Points(4)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicker{}
	} else {
		p.X.Tick.Marker = linearTicker{}
	}
	if logY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicker{}
	} else {
		p.Y.Tick.Marker = linearTicker{}
	}
	g := plotter.NewGrid()
	g.Horizontal.Color = gridColor
	g.Vertical.Color = gridColor
	p.Add(g)
	return p
}

// newLegend returns an empty legend in the report's style, icons left of the text.
func newLegend() plot.Legend {
	l := plot.NewLegend()
	l.TextStyle.Font.Size = legendSize
	l.TextStyle.Font.Variant = sansVariant
	l.TextStyle.Color = inkColor
	l.Top = true
	l.Left = true
	l.Padding = vg.Points(3)
	l.ThumbnailWidth = vg.Points(22)
	return l
}

// lineStyle is the style of series i's line.
func lineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: colorAt(i), Width: vg.Points(1.6)}
}

// glyphStyle is the style of series i's markers.
func glyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{Color: colorAt(i), Radius: vg.Points(3.2), Shape: glyphAt(i)}
}

// dashes is the dash pattern of reference lines.
var dashes = []vg.Length{vg.Points(5), vg.Points(3)}
