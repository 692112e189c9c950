// Package figure draws the report's standard figures with gonum.org/v1/plot
// as SVG (default) or PNG bytes.
//
// Every figure uses the Okabe–Ito colour-blind-safe palette, distinct marker
// shapes per series, and a legend outside the data area (to the right, or
// below when the labels are long). Output is deterministic: the same input
// gives the same bytes. SVG output has no external references; its text asks
// for Liberation Sans with metric-compatible fall-backs (Arimo, Arial), so
// labels keep the widths the layout was computed with.
//
// Invalid input (empty series, mismatched lengths, NaN or infinite values,
// non-positive values on a logarithmic axis, error bars that do not bracket
// their point) is reported as an error naming the series and index; no
// input makes these functions panic.
package figure

// Series is one line of a figure: points (X[i], Y[i]) with optional error bars
// or confidence intervals [Low[i], High[i]].
type Series struct {
	// Label names the series in the legend.
	Label string
	// X and Y are the coordinates; they must have the same length.
	X, Y []float64
	// Low and High are optional (nil) lower and upper ends of error bars.
	Low, High []float64
}

// Stack is one layer of a stacked bar chart: one value per category.
type Stack struct {
	// Label names the layer in the legend.
	Label string
	// Values holds one value per category.
	Values []float64
}

// Change marks a change point on a history figure.
type Change struct {
	// X is where the change is (the x coordinate of the first point after it).
	X float64
	// Label annotates the marker, e.g. a short commit hash and the size.
	Label string
}

// Options are common settings of every figure.
type Options struct {
	// Title is drawn above the plot; XLabel and YLabel label the axes (with units).
	Title, XLabel, YLabel string
	// LogX and LogY select logarithmic axes; all values must then be positive.
	LogX, LogY bool
	// Width and Height are the size in inches; zero means the default 6×4.
	Width, Height float64
	// Format is "svg" (default) or "png".
	Format string
	// XTicks, when set, replaces the automatic x-axis ticks, e.g. short commit
	// hashes on a history figure.
	XTicks []Tick
}

// Tick is one labelled x-axis tick.
type Tick struct {
	// Value is the tick's position on the x axis.
	Value float64
	// Label is drawn under the tick.
	Label string
}

// Lines draws one line with markers per series, with error bars where Low and High are set.
func Lines(o Options, series []Series) ([]byte, error) { return lines(o, series) }

// Scaling draws time against ranks with a dashed ideal-scaling reference
// t1·r1/r from the first point of each series, above a second panel of
// parallel efficiency (t1·r1)/(t·r).
func Scaling(o Options, series []Series) ([]byte, error) { return scaling(o, series) }

// StackedBars draws one bar per category made of the stacks' values on top of each other.
func StackedBars(o Options, categories []string, stacks []Stack) ([]byte, error) {
	return stackedBars(o, categories, stacks)
}

// Bars draws one bar per category, with error bars where low and high are non-nil.
func Bars(o Options, categories []string, values []float64, low, high []float64) ([]byte, error) {
	return bars(o, categories, values, low, high)
}

// History draws a metric across commits (x = commit index) with vertical markers at change points.
func History(o Options, points []Series, changes []Change) ([]byte, error) {
	return history(o, points, changes)
}
