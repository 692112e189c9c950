package figure

import (
	"fmt"
	"math"
	"sort"
)

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// seriesName names series i in error messages.
func seriesName(i int, s Series) string {
	if s.Label == "" {
		return fmt.Sprintf("series %d", i)
	}
	return fmt.Sprintf("series %d (%q)", i, s.Label)
}

// checkSeries validates a list of series: at least one, each non-empty with
// matching lengths, finite values, positive values on logarithmic axes and
// error bars that bracket their point.
func checkSeries(series []Series, logX, logY bool) error {
	if len(series) == 0 {
		return fmt.Errorf("figure: no series to draw")
	}
	for i, s := range series {
		name := seriesName(i, s)
		if len(s.X) == 0 {
			return fmt.Errorf("figure: %s: no points", name)
		}
		if len(s.Y) != len(s.X) {
			return fmt.Errorf("figure: %s: %d x values but %d y values", name, len(s.X), len(s.Y))
		}
		if (s.Low == nil) != (s.High == nil) {
			return fmt.Errorf("figure: %s: Low and High must both be set or both be nil", name)
		}
		if s.Low != nil && (len(s.Low) != len(s.X) || len(s.High) != len(s.X)) {
			return fmt.Errorf("figure: %s: %d points but %d Low and %d High values", name, len(s.X), len(s.Low), len(s.High))
		}
		for j := range s.X {
			x, y := s.X[j], s.Y[j]
			if !finite(x) || !finite(y) {
				return fmt.Errorf("figure: %s: point %d (%v, %v) is not finite", name, j, x, y)
			}
			if logX && x <= 0 {
				return fmt.Errorf("figure: %s: point %d: x = %v must be positive on a logarithmic x axis", name, j, x)
			}
			if logY && y <= 0 {
				return fmt.Errorf("figure: %s: point %d: y = %v must be positive on a logarithmic y axis", name, j, y)
			}
			if s.Low == nil {
				continue
			}
			lo, hi := s.Low[j], s.High[j]
			if !finite(lo) || !finite(hi) {
				return fmt.Errorf("figure: %s: point %d: interval [%v, %v] is not finite", name, j, lo, hi)
			}
			if lo > y || hi < y {
				return fmt.Errorf("figure: %s: point %d: interval [%v, %v] does not contain y = %v", name, j, lo, hi, y)
			}
			if logY && lo <= 0 {
				return fmt.Errorf("figure: %s: point %d: Low = %v must be positive on a logarithmic y axis", name, j, lo)
			}
		}
	}
	return nil
}

// sortedByX returns a copy of s with its points in increasing x order, so
// that lines do not zig-zag whatever order the caller aggregated them in.
func sortedByX(s Series) Series {
	idx := make([]int, len(s.X))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return s.X[idx[a]] < s.X[idx[b]] })
	out := Series{Label: s.Label, X: make([]float64, len(idx)), Y: make([]float64, len(idx))}
	if s.Low != nil {
		out.Low, out.High = make([]float64, len(idx)), make([]float64, len(idx))
	}
	for k, i := range idx {
		out.X[k], out.Y[k] = s.X[i], s.Y[i]
		if s.Low != nil {
			out.Low[k], out.High[k] = s.Low[i], s.High[i]
		}
	}
	return out
}

// checkCategories validates bar-chart categories and one value list per layer.
func checkCategories(categories []string, what string, n int) error {
	if len(categories) == 0 {
		return fmt.Errorf("figure: no categories to draw")
	}
	if n != len(categories) {
		return fmt.Errorf("figure: %s: %d values for %d categories", what, n, len(categories))
	}
	return nil
}
