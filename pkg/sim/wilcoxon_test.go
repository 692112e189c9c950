package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWilcoxon checks the signed-rank test against published and
// hand-computed values.
func TestWilcoxon(t *testing.T) {
	seq := func(n int) []float64 {
		d := make([]float64, n)
		for i := range d {
			d[i] = float64(i + 1)
		}
		return d
	}
	for _, tc := range []struct {
		name  string
		d     []float64 // differences x − y
		wPlus float64
		n     int
		p     float64
	}{
		// All five differences positive: P(W+ = 15) = 1/32, two-sided 1/16.
		{"five positive", []float64{1, 2, 3, 4, 5}, 15, 5, 0.0625},
		// Darwin's Zea mays data (Fisher 1935), SciPy's wilcoxon example:
		// W− = 24, exact p = 2·676/2¹⁵.
		{"darwin", []float64{6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75}, 96, 15, 0.041259765625},
		// Wikipedia's example: one zero (dropped), one tie (ranks 1.5):
		// normal approximation, var = 9·10·19/24 − (2³−2)/48.
		{"zero and tie", []float64{15, -7, 5, 20, 0, -9, 17, -12, 5, -10}, 27, 9, 0.5936305914425295},
		// 60 positive differences: normal approximation (n > 50).
		{"sixty positive", seq(60), 1830, 60, 1.6295557943119322e-11},
		// Symmetric: W+ at the mean, p = 1.
		{"symmetric", []float64{1, -1, 2, -2}, 5, 4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := make([]float64, len(tc.d)), make([]float64, len(tc.d))
			for i, d := range tc.d {
				x[i], y[i] = 100+d, 100
			}
			w, p, n, ok := wilcoxon(x, y)
			if !ok || w != tc.wPlus || n != tc.n || math.Abs(p-tc.p) > 1e-12*math.Max(tc.p, 1e-300)+1e-15 {
				t.Fatalf("wilcoxon = (W+ %v, p %.17g, n %d, ok %v), want (%v, %.17g, %d, true)", w, p, n, ok, tc.wPlus, tc.p, tc.n)
			}
		})
	}
	if _, _, _, ok := wilcoxon([]float64{1, 2}, []float64{1, 2}); ok {
		t.Fatal("wilcoxon of equal samples reported a test; want none (no non-zero difference)")
	}
}

// TestWilcoxonExactBruteForce compares the exact distribution with an
// enumeration of all sign patterns.
func TestWilcoxonExactBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 12; n++ {
		for range 5 {
			w := r.IntN(n*(n+1)/2 + 1)
			var le, ge int
			for mask := range 1 << n {
				s := 0
				for i := range n {
					if mask>>i&1 == 1 {
						s += i + 1
					}
				}
				if s <= w {
					le++
				}
				if s >= w {
					ge++
				}
			}
			want := math.Min(1, 2*float64(min(le, ge))/float64(int(1)<<n))
			if got := wilcoxonExactP(n, w); got != want {
				t.Fatalf("n %d, W+ %d: p %v, want %v", n, w, got, want)
			}
		}
	}
}
