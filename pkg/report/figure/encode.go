package figure

import (
	"bytes"
	"fmt"
	"image/color"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// pngDPI is the resolution of PNG output.
const pngDPI = 144

// Layout constants.
var (
	margin    = vg.Points(8)  // around the whole figure
	legendGap = vg.Points(12) // between the plots and the legend
	panelGap  = vg.Points(14) // between stacked panels
)

// maxRightLegend is the largest share of the width a legend may take at the
// right of the plots; wider legends go below them.
const maxRightLegend = 0.36

// encode draws the panels (stacked vertically, data areas aligned), the
// figure title and the legend on one canvas of s's size and format, and
// returns the encoded bytes. Plotting-library panics become errors.
func encode(s settings, panels []*plot.Plot, legend plot.Legend, nEntries int) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("figure %q: drawing failed: %v", s.Title, r)
		}
	}()
	var cw vg.CanvasWriterTo
	switch s.Format {
	case "png":
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(s.w, s.h), vgimg.UseDPI(pngDPI))}
	default:
		cw = vgsvg.New(s.w, s.h)
	}
	dc := draw.New(cw)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	dc = draw.Crop(dc, margin, -margin, margin, -margin)

	if s.Title != "" {
		sty := titleStyle()
		dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Max.Y}, s.Title)
		dc.Max.Y -= sty.Height(s.Title) + vg.Points(6)
	}

	area := dc
	var legendArea draw.Canvas
	right := false
	if nEntries > 0 {
		r := legend.Rectangle(dc)
		lw, lh := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
		if lw <= vg.Length(maxRightLegend)*(dc.Max.X-dc.Min.X) {
			right = true
			area = draw.Crop(dc, 0, -(lw + legendGap), 0, 0)
			legendArea = draw.Crop(dc, dc.Max.X-dc.Min.X-lw, 0, 0, 0)
		} else {
			area = draw.Crop(dc, 0, 0, lh+legendGap, 0)
			legendArea = draw.Crop(dc, 0, 0, 0, -(dc.Max.Y - dc.Min.Y - lh))
		}
	}

	var dataTop, dataBottom draw.Canvas
	if len(panels) == 1 {
		panels[0].Draw(area)
		dataTop = panels[0].DataCanvas(area)
		dataBottom = dataTop
	} else {
		rows := make([][]*plot.Plot, len(panels))
		for i, p := range panels {
			rows[i] = []*plot.Plot{p}
		}
		cs := plot.Align(rows, draw.Tiles{Rows: len(panels), Cols: 1, PadY: panelGap}, area)
		for i, p := range panels {
			p.Draw(cs[i][0])
		}
		dataTop = panels[0].DataCanvas(cs[0][0])
		dataBottom = panels[len(panels)-1].DataCanvas(cs[len(panels)-1][0])
	}

	if nEntries > 0 {
		if right {
			legendArea.Max.Y = dataTop.Max.Y
		} else {
			legendArea.Min.X = dataBottom.Min.X
		}
		legend.Draw(legendArea)
	}

	var buf bytes.Buffer
	if _, err := cw.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("figure %q: encode %s: %w", s.Title, s.Format, err)
	}
	if s.Format == "svg" {
		return fixSVGFonts(buf.Bytes()), nil
	}
	return buf.Bytes(), nil
}

// titleStyle is the style of a figure's title.
func titleStyle() text.Style {
	sty := plot.New().Title.TextStyle
	sty.Font.Size = titleSize
	sty.Font.Variant = sansVariant
	sty.Font.Weight = xfont.WeightBold
	sty.Color = inkColor
	sty.XAlign = draw.XCenter
	sty.YAlign = draw.YTop
	return sty
}

// fixSVGFonts gives the SVG's font families metric-compatible fall-backs.
// gonum lays text out with the Liberation fonts' metrics and names only
// "Liberation Sans" in the SVG; where that font is not installed a browser
// would substitute one of different widths. Arimo and Arial have the same
// metrics.
func fixSVGFonts(svg []byte) []byte {
	svg = bytes.ReplaceAll(svg, []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;"))
	return svg
}
