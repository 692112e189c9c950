package rng

import (
	"math"
	"testing"
)

// Known answers from Random123's kat_vectors (philox4x32 10): counter, key, output.
func TestPhilox4x32KnownAnswers(t *testing.T) {
	cases := []struct {
		ctr  [4]uint32
		key  [2]uint32
		want [4]uint32
	}{
		{[4]uint32{}, [2]uint32{}, [4]uint32{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
		{[4]uint32{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [4]uint32{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
		{[4]uint32{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, [2]uint32{0xa4093822, 0x299f31d0}, [4]uint32{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
	}
	for _, tc := range cases {
		if got := Philox4x32(tc.ctr, tc.key); got != tc.want {
			t.Errorf("Philox4x32(%08x, %08x) = %08x, want %08x", tc.ctr, tc.key, got, tc.want)
		}
	}
}

func TestStreamLayout(t *testing.T) {
	const seed = 0x0123456789abcdef
	s := New(seed, 7, 42)
	key := [2]uint32{0x89abcdef, 0x01234567}
	b0 := Philox4x32([4]uint32{0, 0, 42, 7}, key)
	b1 := Philox4x32([4]uint32{1, 0, 42, 7}, key)
	for i, w := range append(b0[:], b1[0]) {
		if got := s.Uint32(); got != w {
			t.Fatalf("word %d = %08x, want %08x", i, got, w)
		}
	}
	a := NewAt(seed, 7, 42, 5)
	if got, want := a.Uint32(), Philox4x32([4]uint32{0, 5, 42, 7}, key)[0]; got != want {
		t.Fatalf("NewAt: %08x, want %08x", got, want)
	}
	// Copying a stream forks it.
	c := s
	if s.Uint64() != c.Uint64() {
		t.Fatal("a copied stream must give the same numbers")
	}
}

// moments returns the mean and variance of n draws.
func moments(n int, draw func() float64) (mean, variance float64) {
	var sum, sum2 float64
	for i := 0; i < n; i++ {
		x := draw()
		sum += x
		sum2 += x * x
	}
	mean = sum / float64(n)
	return mean, sum2/float64(n) - mean*mean
}

// within fails when |got − want| exceeds z standard errors se.
func within(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if math.Abs(got-want) > 5*se {
		t.Errorf("%s = %g, want %g ± %g (5σ)", what, got, want, 5*se)
	}
}

func TestMoments(t *testing.T) {
	const n = 1_000_000
	s := New(1, 1, 1)
	m, v := moments(n, s.Float64)
	within(t, "mean of Float64", m, 0.5, math.Sqrt(1.0/12/n))
	within(t, "variance of Float64", v, 1.0/12, math.Sqrt(1.0/180/n))
	m, v = moments(n, s.Normal)
	within(t, "mean of Normal", m, 0, math.Sqrt(1.0/n))
	within(t, "variance of Normal", v, 1, math.Sqrt(2.0/n))
	var m3, m4 float64
	for i := 0; i < n; i++ {
		x := s.Normal()
		m3 += x * x * x
		m4 += x * x * x * x
	}
	within(t, "third moment of Normal", m3/n, 0, math.Sqrt(15.0/n))
	within(t, "fourth moment of Normal", m4/n, 3, math.Sqrt(96.0/n))
	m, _ = moments(n, s.Exponential)
	within(t, "mean of Exponential", m, 1, math.Sqrt(1.0/n))
	for _, p := range []float64{0.5, 0.1, 0.001} {
		m, _ = moments(n/10, func() float64 { return float64(s.Geometric(p)) })
		q := 1 - p
		within(t, "mean of Geometric", m, q/p, math.Sqrt(q/(p*p)/float64(n/10)))
	}
}

func TestDiscreteMoments(t *testing.T) {
	s := New(2, 3, 4)
	for _, tc := range []struct {
		n int64
		p float64
	}{{5, 0.3}, {40, 0.2}, {1000, 0.5}, {1_000_000_000, 1e-3}, {200, 0.9}, {30, 0.95}, {10_000, 0.0004}} {
		const draws = 200_000
		m, v := moments(draws, func() float64 { return float64(s.Binomial(tc.n, tc.p)) })
		mean, variance := float64(tc.n)*tc.p, float64(tc.n)*tc.p*(1-tc.p)
		within(t, "Binomial mean", m, mean, math.Sqrt(variance/draws))
		within(t, "Binomial variance", v, variance, variance*math.Sqrt(2.0/draws)*1.5)
	}
	for _, lambda := range []float64{0.5, 3, 9.9, 10, 50, 1e4} {
		const draws = 200_000
		m, v := moments(draws, func() float64 { return float64(s.Poisson(lambda)) })
		within(t, "Poisson mean", m, lambda, math.Sqrt(lambda/draws))
		within(t, "Poisson variance", v, lambda, lambda*math.Sqrt((2+1/lambda)/draws)*1.5)
	}
	if s.Binomial(0, 0.5) != 0 || s.Binomial(10, 0) != 0 || s.Binomial(10, 1) != 10 || s.Poisson(0) != 0 {
		t.Fatal("degenerate Binomial/Poisson cases are wrong")
	}
}

// chiSquare returns the chi-square statistic of observed counts against expected ones.
func chiSquare(obs []int, exp []float64) float64 {
	var x float64
	for i := range obs {
		d := float64(obs[i]) - exp[i]
		x += d * d / exp[i]
	}
	return x
}

// chiLimit is a 5σ-ish upper limit for chi-square with k degrees of freedom.
func chiLimit(k int) float64 { return float64(k) + 5*math.Sqrt(2*float64(k)) }

func TestChiSquareUniform(t *testing.T) {
	s := New(3, 0, 0)
	for _, n := range []uint32{2, 7, 1000, 3_000_000_000} {
		const buckets, draws = 100, 1_000_000
		obs := make([]int, min(buckets, int(n)))
		for i := 0; i < draws; i++ {
			x := s.Intn(n)
			if x >= n {
				t.Fatalf("Intn(%d) = %d", n, x)
			}
			obs[uint64(x)*uint64(len(obs))/uint64(n)]++
		}
		exp := make([]float64, len(obs))
		for i := range exp {
			// bucket i holds the integers x with ⌊x·B/n⌋ = i
			lo := (uint64(i)*uint64(n) + uint64(len(obs)) - 1) / uint64(len(obs))
			hi := (uint64(i+1)*uint64(n) + uint64(len(obs)) - 1) / uint64(len(obs))
			exp[i] = draws * float64(hi-lo) / float64(n)
		}
		if x := chiSquare(obs, exp); x > chiLimit(len(obs)-1) {
			t.Errorf("Intn(%d): chi-square %g over %d buckets", n, x, len(obs))
		}
	}
	// Low byte of the raw words.
	obs := make([]int, 256)
	for i := 0; i < 1_000_000; i++ {
		obs[s.Uint32()&0xff]++
	}
	exp := make([]float64, 256)
	for i := range exp {
		exp[i] = 1_000_000.0 / 256
	}
	if x := chiSquare(obs, exp); x > chiLimit(255) {
		t.Errorf("low byte of Uint32: chi-square %g", x)
	}
}

func TestChiSquarePMF(t *testing.T) {
	s := New(4, 0, 0)
	const draws = 500_000
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	check := func(name string, draw func() int64, pmf func(k int) float64, kmax int) {
		obs := make([]int, kmax+1)
		for i := 0; i < draws; i++ {
			k := int(draw())
			obs[min(k, kmax)]++
		}
		exp := make([]float64, kmax+1)
		tail := 1.0
		for k := 0; k < kmax; k++ {
			exp[k] = draws * pmf(k)
			tail -= pmf(k)
		}
		exp[kmax] = draws * tail
		if x := chiSquare(obs, exp); x > chiLimit(kmax) {
			t.Errorf("%s: chi-square %g for %d degrees of freedom", name, x, kmax)
		}
	}
	check("Binomial(50, 0.4)", func() int64 { return s.Binomial(50, 0.4) }, func(k int) float64 {
		return math.Exp(lg(51) - lg(float64(k)+1) - lg(float64(50-k)+1) + float64(k)*math.Log(0.4) + float64(50-k)*math.Log(0.6))
	}, 35)
	check("Poisson(20)", func() int64 { return s.Poisson(20) }, func(k int) float64 {
		return math.Exp(float64(k)*math.Log(20) - 20 - lg(float64(k)+1))
	}, 40)
}

func TestStreamsIndependent(t *testing.T) {
	const n = 100_000
	for _, pair := range [][2]Stream{{New(1, 0, 0), New(1, 0, 1)}, {New(1, 0, 0), New(1, 1, 0)}, {New(1, 0, 0), New(2, 0, 0)}} {
		a, b := pair[0], pair[1]
		var sab, sa, sb, saa, sbb float64
		for i := 0; i < n; i++ {
			x, y := a.Float64(), b.Float64()
			sab += x * y
			sa += x
			sb += y
			saa += x * x
			sbb += y * y
		}
		cov := sab/n - sa/n*sb/n
		r := cov / math.Sqrt((saa/n-sa*sa/n/n)*(sbb/n-sb*sb/n/n))
		if math.Abs(r) > 5/math.Sqrt(n) {
			t.Errorf("neighbouring streams correlate: r = %g", r)
		}
	}
}

func TestRanges(t *testing.T) {
	s := New(5, 5, 5)
	for i := 0; i < 1_000_000; i++ {
		if f := s.Float64(); f < 0 || f >= 1 {
			t.Fatalf("Float64 = %g", f)
		}
		if f := s.Float64Open(); f <= 0 || f > 1 {
			t.Fatalf("Float64Open = %g", f)
		}
		if x := s.Uint64n(1 << 40); x >= 1<<40 {
			t.Fatalf("Uint64n = %d", x)
		}
	}
}

func BenchmarkPhilox4x32(b *testing.B) {
	var c [4]uint32
	for i := 0; i < b.N; i++ {
		c[0] = uint32(i)
		c = Philox4x32(c, [2]uint32{1, 2})
	}
}

func BenchmarkUint32(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Uint32()
	}
}

func BenchmarkIntn(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Intn(11250)
	}
}

func BenchmarkNormal(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Normal()
	}
}

func BenchmarkBinomial(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Binomial(100_000_000, 0.5)
	}
}

func BenchmarkPoisson5(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Poisson(5)
	}
}

func BenchmarkPoisson50(b *testing.B) {
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		s.Poisson(50)
	}
}

func TestBlock(t *testing.T) {
	s := New(9, 8, 7)
	for b := uint64(0); b < 3; b++ {
		blk := Block(9, 8, 7, b)
		for w := 0; w < 4; w++ {
			if got := s.Uint32(); got != blk[w] {
				t.Fatalf("block %d word %d: stream %08x, Block %08x", b, w, got, blk[w])
			}
		}
	}
}

func TestPoissonTable(t *testing.T) {
	s := New(6, 0, 0)
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	for _, lambda := range []float64{0.05, 1.68, 2.086, 12, 150} {
		tab := NewPoissonTable(lambda)
		const draws = 400_000
		kmax := int(lambda + 6*math.Sqrt(lambda) + 3)
		obs := make([]int, kmax+1)
		for i := 0; i < draws; i++ {
			obs[min(tab.Sample(s.Uint32()), kmax)]++
		}
		exp := make([]float64, kmax+1)
		tail := 1.0
		for k := 0; k < kmax; k++ {
			p := math.Exp(float64(k)*math.Log(lambda) - lambda - lg(float64(k)+1))
			exp[k] = draws * p
			tail -= p
		}
		exp[kmax] = draws * math.Max(tail, 1e-300)
		// Merge sparse buckets so the chi-square approximation holds.
		var o []int
		var e []float64
		for k := range exp {
			if len(e) > 0 && (e[len(e)-1] < 20 || exp[k] < 20) {
				o[len(o)-1] += obs[k]
				e[len(e)-1] += exp[k]
				continue
			}
			o, e = append(o, obs[k]), append(e, exp[k])
		}
		if x := chiSquare(o, e); len(e) > 1 && x > chiLimit(len(e)-1) {
			t.Errorf("Poisson table λ=%g: chi-square %g for %d buckets", lambda, x, len(e))
		}
	}
	if z := NewPoissonTable(0); z.Sample(0xffffffff) != 0 {
		t.Fatal("λ=0 must give 0")
	}
}

func BenchmarkPoissonTable(b *testing.B) {
	tab := NewPoissonTable(1.68)
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		tab.Sample(s.Uint32())
	}
}
