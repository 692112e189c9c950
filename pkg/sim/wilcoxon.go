package sim

import (
	"math"
	"slices"
)

// wilcoxonExactMax is the largest number of non-zero differences for which
// the exact null distribution is used (as SciPy's wilcoxon does by default).
const wilcoxonExactMax = 50

// wilcoxon is the two-sided Wilcoxon signed-rank test of the paired
// samples x and y (equal lengths): differences of zero are dropped
// (Wilcoxon's method, SciPy's zero_method "wilcox"), the absolute
// differences are ranked with tied values sharing their mean rank, and W+
// is the sum of the ranks of the positive differences. Without ties and
// with at most wilcoxonExactMax differences, p comes from the exact null
// distribution of W+ (p = 2·min(P(W ≤ w), P(W ≥ w)), at most 1); else from
// the normal approximation with the tie correction of the variance and no
// continuity correction (SciPy's defaults). n is the number of non-zero
// differences; ok is false when there are none.
func wilcoxon(x, y []float64) (wPlus float64, p float64, n int, ok bool) {
	type diff struct {
		abs float64
		pos bool
	}
	var d []diff
	for i := range x {
		if v := x[i] - y[i]; v != 0 {
			d = append(d, diff{math.Abs(v), v > 0})
		}
	}
	n = len(d)
	if n == 0 {
		return 0, 0, 0, false
	}
	slices.SortStableFunc(d, func(a, b diff) int {
		switch {
		case a.abs < b.abs:
			return -1
		case a.abs > b.abs:
			return 1
		}
		return 0
	})
	ties := 0.0 // Σ (t³ − t) over the groups of tied values
	for i := 0; i < n; {
		j := i + 1
		for j < n && d[j].abs == d[i].abs {
			j++
		}
		rank := float64(i+j+1) / 2 // mean of ranks i+1 … j
		for k := i; k < j; k++ {
			if d[k].pos {
				wPlus += rank
			}
		}
		if t := float64(j - i); t > 1 {
			ties += t*t*t - t
		}
		i = j
	}
	nf := float64(n)
	if ties == 0 && n <= wilcoxonExactMax {
		return wPlus, wilcoxonExactP(n, int(wPlus)), n, true
	}
	mean := nf * (nf + 1) / 4
	sd := math.Sqrt(nf*(nf+1)*(2*nf+1)/24 - ties/48)
	if sd == 0 {
		return wPlus, 1, n, true
	}
	z := (wPlus - mean) / sd
	return wPlus, math.Erfc(math.Abs(z) / math.Sqrt2), n, true
}

// wilcoxonExactP is the exact two-sided p-value of W+ = w for n untied
// non-zero differences: the number of subsets of the ranks 1…n by their
// sum, counted by dynamic programming (exact in float64 up to n = 50,
// whose 2⁵⁰ subsets fit the 53-bit mantissa).
func wilcoxonExactP(n, w int) float64 {
	top := n * (n + 1) / 2
	count := make([]float64, top+1)
	count[0] = 1
	for r := 1; r <= n; r++ {
		for s := top; s >= r; s-- {
			count[s] += count[s-r]
		}
	}
	var le, ge float64
	for s, c := range count {
		if s <= w {
			le += c
		}
		if s >= w {
			ge += c
		}
	}
	total := math.Ldexp(1, n)
	return math.Min(1, 2*math.Min(le, ge)/total)
}
