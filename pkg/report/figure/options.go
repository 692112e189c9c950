package figure

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
)

// Default figure sizes, in inches.
const (
	defaultWidth         = 7.0
	defaultHeight        = 4.2
	defaultScalingHeight = 6.6 // two panels
	maxInches            = 100
)

// settings are Options checked and completed with defaults.
type settings struct {
	Options
	w, h vg.Length
}

// resolve checks o and fills in defaults; defHeight is the kind's default height.
func resolve(o Options, defHeight float64) (settings, error) {
	s := settings{Options: o}
	switch strings.ToLower(o.Format) {
	case "", "svg":
		s.Format = "svg"
	case "png":
		s.Format = "png"
	default:
		return s, fmt.Errorf("figure: format %q: accepted values are svg and png", o.Format)
	}
	w, h := o.Width, o.Height
	if w == 0 {
		w = defaultWidth
	}
	if h == 0 {
		h = defaultHeight
		if defHeight > 0 {
			h = defHeight
		}
	}
	for _, d := range []struct {
		name string
		v    float64
	}{{"width", w}, {"height", h}} {
		if math.IsNaN(d.v) || d.v < 1 || d.v > maxInches {
			return s, fmt.Errorf("figure: %s %v inches: must be between 1 and %d", d.name, d.v, maxInches)
		}
	}
	s.w, s.h = vg.Length(w)*vg.Inch, vg.Length(h)*vg.Inch
	for i, t := range o.XTicks {
		if math.IsNaN(t.Value) || math.IsInf(t.Value, 0) {
			return s, fmt.Errorf("figure: XTicks[%d] (%q): value %v is not finite", i, t.Label, t.Value)
		}
		if o.LogX && t.Value <= 0 {
			return s, fmt.Errorf("figure: XTicks[%d] (%q): value %v must be positive on a logarithmic x axis", i, t.Label, t.Value)
		}
	}
	return s, nil
}
