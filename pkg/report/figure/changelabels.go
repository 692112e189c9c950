package figure

import (
	"image/color"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// changeLabels draws the labels of change points at the top of the data
// area, right of their markers (left where they would leave the area), each
// on the highest line where it does not overlap an earlier label.
type changeLabels struct {
	xs     []float64
	labels []string
	style  text.Style
}

// labelBackground keeps change labels legible over data lines.
var labelBackground = color.NRGBA{0xFF, 0xFF, 0xFF, 0xD9}

// changeLabelStyle is the text style of change labels.
func changeLabelStyle() text.Style {
	sty := plot.New().Legend.TextStyle
	sty.Font.Size = tickSize
	sty.Font.Variant = sansVariant
	sty.Color = inkColor
	sty.YAlign = draw.YTop
	return sty
}

// labelPad is the gap between a marker and its label, and between labels.
var labelPad = vg.Points(3)

// lineHeight is the height of one row of labels.
func (cl changeLabels) lineHeight() vg.Length { return cl.style.Height("Ag") + vg.Points(2) }

// place returns the left edge of the label of a marker at x: right of the
// marker, or left of it where it would pass right.
func (cl changeLabels) place(i int, x, right vg.Length) vg.Length {
	w := cl.style.Width(cl.labels[i])
	if x+labelPad+w > right {
		return x - labelPad - w
	}
	return x + labelPad
}

// rows assigns each label (markers at pos, relative to the data area's left
// edge, which ends at right) to the highest row where it does not overlap an
// earlier label, in order of x.
func (cl changeLabels) rows(pos []vg.Length, right vg.Length) []int {
	order := make([]int, len(pos))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pos[order[a]] < pos[order[b]] })
	row := make([]int, len(pos))
	var ends []vg.Length // right end of the last label on each row
	for _, i := range order {
		x := cl.place(i, pos[i], right)
		r := -1
		for k, end := range ends {
			if end <= x {
				r = k
				break
			}
		}
		if r < 0 {
			ends = append(ends, 0)
			r = len(ends) - 1
		}
		ends[r] = x + cl.style.Width(cl.labels[i]) + labelPad
		row[i] = r
	}
	return row
}

// Plot implements plot.Plotter.
func (cl changeLabels) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	pos := make([]vg.Length, len(cl.xs))
	for i, x := range cl.xs {
		pos[i] = tx(x) - c.Min.X
	}
	rows := cl.rows(pos, c.Max.X-c.Min.X)
	for i, label := range cl.labels {
		x := c.Min.X + cl.place(i, pos[i], c.Max.X-c.Min.X)
		y := c.Max.Y - labelPad - vg.Length(rows[i])*cl.lineHeight()
		w, h := cl.style.Width(label), cl.style.Height(label)
		var bg vg.Path
		bg.Move(vg.Point{X: x - 1, Y: y + 1})
		bg.Line(vg.Point{X: x + w + 1, Y: y + 1})
		bg.Line(vg.Point{X: x + w + 1, Y: y - h - 1})
		bg.Line(vg.Point{X: x - 1, Y: y - h - 1})
		bg.Close()
		c.SetColor(labelBackground)
		c.Fill(bg)
		c.FillText(cl.style, vg.Point{X: x, Y: y}, label)
	}
}
