package rng

import (
	"fmt"
	"math"
	"testing"
)

// Statistical tests. The seeds are fixed, so each test gives the same
// verdict on every run; the limits are 5 standard errors (or the 5σ point
// of the chi-square distribution), so that a correct generator passes by a
// wide margin while a wrong mean, variance or shape fails.

// near fails t when |got − want| exceeds 5 standard errors se.
func near(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if math.Abs(got-want) > 5*se {
		t.Errorf("%s = %.6g, want %.6g ± %.3g (5σ)", what, got, want, 5*se)
	}
}

// sampleMoments returns the mean and the variance (about the sample mean)
// of n draws, by Welford's updates (exact enough for means near 10¹²).
func sampleMoments(n int, draw func() float64) (mean, variance float64) {
	var m2 float64
	for i := 1; i <= n; i++ {
		x := draw()
		d := x - mean
		mean += d / float64(i)
		m2 += d * (x - mean)
	}
	return mean, m2 / float64(n)
}

func TestFloat64Moments(t *testing.T) {
	const n = 1_000_000
	s := New(1, 1, 1)
	m, v := sampleMoments(n, s.Float64)
	near(t, "mean of Float64", m, 0.5, math.Sqrt(1.0/12/n))
	// Var(s²) ≈ (μ₄ − σ⁴)/n = (1/80 − 1/144)/n = 1/(180 n).
	near(t, "variance of Float64", v, 1.0/12, math.Sqrt(1.0/180/n))
	m, v = sampleMoments(n, s.Float64Open)
	near(t, "mean of Float64Open", m, 0.5, math.Sqrt(1.0/12/n))
	near(t, "variance of Float64Open", v, 1.0/12, math.Sqrt(1.0/180/n))
}

func TestNormalMoments(t *testing.T) {
	const n = 1_000_000
	s := New(1, 1, 2)
	var m1, m2, m3, m4 float64
	for i := 0; i < n; i++ {
		x := s.Normal()
		m1 += x
		m2 += x * x
		m3 += x * x * x
		m4 += x * x * x * x
	}
	// Raw moments 0, 1, 0, 3; their standard errors from E x², x⁴, x⁶, x⁸ = 1, 3, 15, 105.
	near(t, "mean of Normal", m1/n, 0, math.Sqrt(1.0/n))
	near(t, "E x² of Normal", m2/n, 1, math.Sqrt(2.0/n))
	near(t, "E x³ of Normal (skewness)", m3/n, 0, math.Sqrt(15.0/n))
	near(t, "E x⁴ of Normal (kurtosis)", m4/n, 3, math.Sqrt(96.0/n))

	// The tails: P(|x| > 3) = 0.0026998.
	var tail int
	for i := 0; i < n; i++ {
		if math.Abs(s.Normal()) > 3 {
			tail++
		}
	}
	const p3 = 0.0026997960632601866
	near(t, "P(|Normal| > 3)", float64(tail)/n, p3, math.Sqrt(p3*(1-p3)/n))
}

func TestExponentialMoments(t *testing.T) {
	const n = 1_000_000
	s := New(1, 1, 3)
	m, v := sampleMoments(n, s.Exponential)
	near(t, "mean of Exponential", m, 1, math.Sqrt(1.0/n))
	// Var(s²) ≈ (μ₄ − σ⁴)/n = (9 − 1)/n.
	near(t, "variance of Exponential", v, 1, math.Sqrt(8.0/n))
}

func TestGeometricMoments(t *testing.T) {
	const n = 200_000
	s := New(1, 1, 4)
	for _, p := range []float64{0.9, 0.5, 0.1, 0.001, 1e-9} {
		q := 1 - p
		m, v := sampleMoments(n, func() float64 { return float64(s.Geometric(p)) })
		near(t, fmt.Sprintf("mean of Geometric(%g)", p), m, q/p, math.Sqrt(q/(p*p)/n))
		// Var(s²) ≈ σ⁴(2 + γ₂)/n with excess kurtosis γ₂ = 6 + p²/q.
		near(t, fmt.Sprintf("variance of Geometric(%g)", p), v, q/(p*p), q/(p*p)*math.Sqrt((8+p*p/q)/n))
	}
	if s.Geometric(1) != 0 || s.Geometric(0) != math.MaxInt64 || s.Geometric(1e-300) != math.MaxInt64 {
		t.Error("Geometric at p = 1, 0 or tiny is wrong")
	}
}

func TestBinomialMoments(t *testing.T) {
	const draws = 200_000
	s := New(2, 3, 4)
	for _, tc := range []struct {
		n int64
		p float64
	}{
		{1, 0.3}, {5, 0.3}, {40, 0.2}, {10_000, 0.0004}, {1_000_000_000, 5e-9}, // inversion
		{30, 0.95}, {200, 0.97}, // symmetry, then inversion
		{21, 0.5}, {100, 0.1}, {1000, 0.5}, {1_000_000_000, 1e-3}, {1 << 40, 0.25}, // BTRD
		{200, 0.9}, {1_000_000, 0.7}, // symmetry, then BTRD
	} {
		m, v := sampleMoments(draws, func() float64 { return float64(s.Binomial(tc.n, tc.p)) })
		n := float64(tc.n)
		mean, variance := n*tc.p, n*tc.p*(1-tc.p)
		// Var(s²) ≈ σ⁴(2 + γ₂)/n with excess kurtosis γ₂ = (1 − 6pq)/(npq).
		g2 := (1 - 6*tc.p*(1-tc.p)) / variance
		near(t, fmt.Sprintf("mean of Binomial(%d, %g)", tc.n, tc.p), m, mean, math.Sqrt(variance/draws))
		near(t, fmt.Sprintf("variance of Binomial(%d, %g)", tc.n, tc.p), v, variance, variance*math.Sqrt((2+g2)/draws))
	}
	for _, tc := range []struct {
		n    int64
		p    float64
		want int64
	}{{0, 0.5, 0}, {-3, 0.5, 0}, {10, 0, 0}, {10, -1, 0}, {10, math.NaN(), 0}, {10, 1, 10}, {10, 2, 10}} {
		if got := s.Binomial(tc.n, tc.p); got != tc.want {
			t.Errorf("Binomial(%d, %g) = %d, want %d", tc.n, tc.p, got, tc.want)
		}
	}
	for i := 0; i < 100_000; i++ {
		if k := s.Binomial(25, 0.45); k < 0 || k > 25 {
			t.Fatalf("Binomial(25, 0.45) = %d", k)
		}
		if k := s.Binomial(12, 0.99); k < 0 || k > 12 {
			t.Fatalf("Binomial(12, 0.99) = %d", k)
		}
	}
}

func TestPoissonMoments(t *testing.T) {
	const draws = 200_000
	s := New(5, 6, 7)
	for _, lambda := range []float64{1e-6, 0.5, 3, 9.9, 10, 10.1, 50, 1e4, 1e7} {
		m, v := sampleMoments(draws, func() float64 { return float64(s.Poisson(lambda)) })
		// Var(s²) ≈ λ²(2 + 1/λ)/n.
		near(t, fmt.Sprintf("mean of Poisson(%g)", lambda), m, lambda, math.Sqrt(lambda/draws))
		near(t, fmt.Sprintf("variance of Poisson(%g)", lambda), v, lambda, lambda*math.Sqrt((2+1/lambda)/draws))
	}
	for _, lambda := range []float64{0, -1, math.NaN()} {
		if got := s.Poisson(lambda); got != 0 {
			t.Errorf("Poisson(%g) = %d, want 0", lambda, got)
		}
	}
}

// goodnessOfFit draws n values and compares their histogram over [lo, hi]
// (values outside counted at the ends) with pmf by a chi-square test, after
// merging neighbouring buckets until each expects at least 20 draws.
func goodnessOfFit(t *testing.T, name string, n int, draw func() int64, pmf func(k int64) float64, lo, hi int64) {
	t.Helper()
	obs := make([]int, hi-lo+1)
	for i := 0; i < n; i++ {
		k := draw()
		obs[min(max(k, lo), hi)-lo]++
	}
	below, inside := 0.0, 0.0
	for k := int64(0); k < lo; k++ {
		below += pmf(k)
	}
	exp := make([]float64, len(obs))
	for k := lo; k <= hi; k++ {
		exp[k-lo] = float64(n) * pmf(k)
		inside += pmf(k)
	}
	exp[0] += float64(n) * below
	exp[len(exp)-1] += float64(n) * max(0, 1-below-inside)
	var o []int
	var e []float64
	accO, accE := 0, 0.0
	for i := range exp {
		accO += obs[i]
		accE += exp[i]
		if accE >= 20 {
			o, e = append(o, accO), append(e, accE)
			accO, accE = 0, 0
		}
	}
	if len(e) == 0 {
		t.Fatalf("%s: no bucket expects 20 draws", name)
	}
	o[len(o)-1] += accO
	e[len(e)-1] += accE
	df := len(e) - 1
	if x2 := chiSquare(o, e); x2 > chi2Max(df) {
		t.Errorf("%s: chi-square %.1f for %d degrees of freedom (limit %.1f)", name, x2, df, chi2Max(df))
	}
}

func lgamma(x float64) float64 { v, _ := math.Lgamma(x); return v }

func binomialPMF(n int64, p float64) func(k int64) float64 {
	return func(k int64) float64 {
		if k < 0 || k > n {
			return 0
		}
		nf, kf := float64(n), float64(k)
		return math.Exp(lgamma(nf+1) - lgamma(kf+1) - lgamma(nf-kf+1) + kf*math.Log(p) + (nf-kf)*math.Log1p(-p))
	}
}

func poissonPMF(lambda float64) func(k int64) float64 {
	return func(k int64) float64 {
		if k < 0 {
			return 0
		}
		return math.Exp(float64(k)*math.Log(lambda) - lambda - lgamma(float64(k)+1))
	}
}

func TestBinomialPoissonPMF(t *testing.T) {
	const draws = 500_000
	s := New(4, 0, 0)
	for _, tc := range []struct {
		n int64
		p float64
	}{
		{50, 0.4},                // BTRD
		{20, 0.3}, {1000, 0.005}, // inversion
		{100, 0.8}, {12, 0.9}, // symmetry
		{11, 0.95}, {10_000, 0.01}, // symmetry and inversion; BTRD with a wide mode
	} {
		mean, sd := float64(tc.n)*tc.p, math.Sqrt(float64(tc.n)*tc.p*(1-tc.p))
		lo, hi := max(0, int64(mean-8*sd-2)), min(tc.n, int64(mean+8*sd+2))
		goodnessOfFit(t, fmt.Sprintf("Binomial(%d, %g)", tc.n, tc.p), draws,
			func() int64 { return s.Binomial(tc.n, tc.p) }, binomialPMF(tc.n, tc.p), lo, hi)
	}
	for _, lambda := range []float64{20, 0.3, 4.5, 9.99, 10, 500} {
		sd := math.Sqrt(lambda)
		lo, hi := max(0, int64(lambda-8*sd-2)), int64(lambda+10*sd+10)
		goodnessOfFit(t, fmt.Sprintf("Poisson(%g)", lambda), draws,
			func() int64 { return s.Poisson(lambda) }, poissonPMF(lambda), lo, hi)
	}
}

// TestStirling checks BTRD's table and series for the error of Stirling's
// formula against math.Lgamma: the table to rounding, the series to within
// its first omitted term, 1/(1680 (k+1)⁷).
func TestStirling(t *testing.T) {
	for k := 0.0; k < 200; k++ {
		want := lgamma(k+1) - (k+0.5)*math.Log(k+1) + (k + 1) - 0.5*math.Log(2*math.Pi)
		tol := 1e-14 * math.Max(1, k)
		if k >= 10 {
			tol += 1 / (1680 * math.Pow(k+1, 7))
		}
		if got := stirling(k); math.Abs(got-want) > tol {
			t.Errorf("stirling(%g) = %.17g, want %.17g ± %.2g", k, got, want, tol)
		}
	}
}

func BenchmarkNormal(b *testing.B) {
	s := New(1, 2, 3)
	var acc float64
	for i := 0; i < b.N; i++ {
		acc += s.Normal()
	}
	sinkF64 = acc
}

func BenchmarkExponential(b *testing.B) {
	s := New(1, 2, 3)
	var acc float64
	for i := 0; i < b.N; i++ {
		acc += s.Exponential()
	}
	sinkF64 = acc
}

func BenchmarkBinomial(b *testing.B) {
	for _, tc := range []struct {
		n int64
		p float64
	}{{1_000_000_000, 0.3}, {100_000, 0.5}, {1000, 0.005}} {
		b.Run(fmt.Sprintf("n=%d,p=%g", tc.n, tc.p), func(b *testing.B) {
			s := New(1, 2, 3)
			var acc int64
			for i := 0; i < b.N; i++ {
				acc += s.Binomial(tc.n, tc.p)
			}
			sinkF64 = float64(acc)
		})
	}
}

func BenchmarkPoisson(b *testing.B) {
	for _, lambda := range []float64{5, 50} {
		b.Run(fmt.Sprintf("lambda=%g", lambda), func(b *testing.B) {
			s := New(1, 2, 3)
			var acc int64
			for i := 0; i < b.N; i++ {
				acc += s.Poisson(lambda)
			}
			sinkF64 = float64(acc)
		})
	}
}
