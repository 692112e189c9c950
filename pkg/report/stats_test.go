package report

import (
	"math"
	"testing"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		name             string
		in               []float64
		median, min, max float64
		finite           bool
	}{
		{"one", []float64{3}, 3, 3, 3, false},
		{"five", []float64{5, 1, 4, 2, 3}, 3, 1, 5, false},
		{"six", []float64{6, 1, 5, 2, 4, 3}, 3.5, 1, 6, true},
		{"ten", []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 5.5, 1, 10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]float64(nil), tc.in...)
			s := Summarize(in, Confidence)
			if s.N != len(tc.in) || s.Median != tc.median || s.Min != tc.min || s.Max != tc.max {
				t.Errorf("%+v", s)
			}
			if s.CIFinite() != tc.finite {
				t.Errorf("CI [%v, %v], finite want %v", s.Lo, s.Hi, tc.finite)
			}
			if s.CIFinite() && (s.Lo > s.Median || s.Hi < s.Median || s.Confidence < Confidence) {
				t.Errorf("CI [%v, %v] at %v around %v", s.Lo, s.Hi, s.Confidence, s.Median)
			}
			if !s.CIFinite() && len(s.Warnings) == 0 {
				t.Error("unbounded CI without a warning")
			}
			for i := range in {
				if in[i] != tc.in[i] {
					t.Fatal("input modified")
				}
			}
		})
	}
	if s := Summarize(nil, Confidence); s.N != 0 || !math.IsNaN(s.Median) {
		t.Errorf("empty: %+v", s)
	}
}

func TestMinUTestP(t *testing.T) {
	tests := []struct {
		n1, n2 int
		want   float64
	}{
		{3, 3, 0.1}, {4, 4, 0.02857142857142857}, {5, 5, 0.007936507936507936}, {8, 8, 0.0001554001554001554}, {3, 4, 2.0 / 35}, {0, 5, 1},
	}
	for _, tc := range tests {
		if got := minUTestP(tc.n1, tc.n2); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("minUTestP(%d, %d) = %v, want %v", tc.n1, tc.n2, got, tc.want)
		}
	}
	for alpha, want := range map[float64]int{0.05: 4, 0.01: 5, 0.09: 4, 0.1: 3, 0.001: 7} {
		if got := samplesNeeded(alpha); got != want {
			t.Errorf("samplesNeeded(%v) = %d, want %d", alpha, got, want)
		}
	}
}

func TestCIPercent(t *testing.T) {
	s := Stats{Median: 10, Lo: 9, Hi: 10.5}
	if got := s.CIPercent(); math.Abs(got-10) > 1e-9 {
		t.Errorf("CIPercent %v, want 10", got)
	}
	if got := (Stats{Median: 1, Lo: math.Inf(-1), Hi: math.Inf(1)}).CIPercent(); !math.IsInf(got, 1) {
		t.Errorf("unbounded: %v", got)
	}
	if got := (Stats{Median: 1, Lo: -1, Hi: 2}).CIPercent(); !math.IsNaN(got) {
		t.Errorf("straddling 0: %v", got)
	}
}
