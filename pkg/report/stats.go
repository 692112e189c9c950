package report

import (
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// Confidence is the level of the confidence intervals (95 %).
const Confidence = 0.95

// Stats summarises the repetitions of one metric in one configuration.
type Stats struct {
	N                int
	Median, Min, Max float64
	// Lo and Hi bound the confidence interval of the median at level
	// Confidence (at least the level asked for: order statistics give
	// discrete levels). They are -Inf and +Inf when there are too few
	// values for the level (fewer than 6 at 95 %).
	Lo, Hi     float64
	Confidence float64
	// Values are the runs' values in ascending order.
	Values   []float64
	Warnings []string
}

// Summarize computes the median, range and the distribution-free
// confidence interval of the median of values (benchmath.AssumeNothing:
// the interval between two order statistics chosen from the binomial
// distribution, as benchstat does). values is not modified.
func Summarize(values []float64, confidence float64) Stats {
	vs := slices.Clone(values)
	s := benchmath.NewSample(vs, &benchmath.DefaultThresholds) // sorts vs
	st := Stats{N: len(vs), Values: vs}
	if len(vs) == 0 {
		nan := math.NaN()
		st.Median, st.Min, st.Max, st.Lo, st.Hi = nan, nan, nan, nan, nan
		st.Warnings = []string{"no values"}
		return st
	}
	sum := benchmath.AssumeNothing.Summary(s, confidence)
	st.Median, st.Lo, st.Hi, st.Confidence = sum.Center, sum.Lo, sum.Hi, sum.Confidence
	st.Min, st.Max = vs[0], vs[len(vs)-1]
	for _, w := range sum.Warnings {
		st.Warnings = append(st.Warnings, w.Error())
	}
	return st
}

// CIFinite tells whether the confidence interval is bounded.
func (s Stats) CIFinite() bool {
	return !math.IsInf(s.Lo, 0) && !math.IsInf(s.Hi, 0) && !math.IsNaN(s.Lo) && !math.IsNaN(s.Hi)
}

// CIPercent is the half-width of the confidence interval relative to the
// median, as benchstat prints it ("± 2%"): the larger of the distances
// to either bound. It is +Inf for an unbounded interval and NaN when the
// median is 0 or the bounds straddle 0.
func (s Stats) CIPercent() float64 {
	if !s.CIFinite() {
		return math.Inf(1)
	}
	if s.Median == 0 {
		if s.Lo == 0 && s.Hi == 0 {
			return 0
		}
		return math.NaN()
	}
	if (s.Lo < 0) != (s.Median < 0) || (s.Hi < 0) != (s.Median < 0) {
		return math.NaN()
	}
	return 100 * math.Max(s.Hi/s.Median-1, 1-s.Lo/s.Median)
}

// minUTestP is the smallest two-sided p-value the Mann–Whitney U test can
// give for samples of sizes n1 and n2 (complete separation, no ties):
// 2 / C(n1+n2, n1).
func minUTestP(n1, n2 int) float64 {
	if n1 < 1 || n2 < 1 {
		return 1
	}
	// log C(n1+n2, n1)
	lg := func(x int) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	logC := lg(n1+n2) - lg(n1) - lg(n2)
	return math.Min(1, 2*math.Exp(-logC))
}

// samplesNeeded is the smallest n such that two samples of n values each
// can differ significantly at alpha.
func samplesNeeded(alpha float64) int {
	for n := 1; n <= 1000; n++ {
		if minUTestP(n, n) <= alpha {
			return n
		}
	}
	return 1000
}
