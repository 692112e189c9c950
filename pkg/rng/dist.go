package rng

import "math"

// Normal returns a standard normal number by the Box–Muller transform:
// sqrt(−2 ln u1) · cos(2π u2) with u1 = Float64Open(), then u2 = Float64()
// (four words). The second number of the pair, with sin, is not kept, so
// that the stream's position never depends on earlier calls.
func (s *Stream) Normal() float64 {
	u1 := s.Float64Open()
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Exponential returns an exponential number of mean 1: −ln(Float64Open())
// (two words).
func (s *Stream) Exponential() float64 { return -math.Log(s.Float64Open()) }

// Geometric returns the number of failures before the first success in
// Bernoulli(p) trials, 0 < p ≤ 1: ⌊ln U / log1p(−p)⌋ with U = Float64Open()
// (two words), saturating at math.MaxInt64. p ≥ 1 returns 0 and p ≤ 0
// (never a success) math.MaxInt64, both without drawing.
func (s *Stream) Geometric(p float64) int64 {
	if p >= 1 {
		return 0
	}
	if !(p > 0) {
		return math.MaxInt64
	}
	g := math.Floor(math.Log(s.Float64Open()) / math.Log1p(-p))
	if !(g < math.MaxInt64) { // float64(MaxInt64) is 2⁶³
		return math.MaxInt64
	}
	return int64(g)
}

// Binomial returns a Binomial(n, p) number: the number of successes in n
// Bernoulli(p) trials. n ≤ 0 or p ≤ 0 give 0 and p ≥ 1 gives n, without
// drawing; p > 0.5 is drawn as n − Binomial(n, 1−p). Then, with p ≤ 0.5,
// n·p < 10 uses inversion by sequential search (binomialInversion) and
// n·p ≥ 10 uses BTRD (Hörmann 1993, "The generation of binomial random
// variates"), as numpy and TensorFlow do. Both are exact up to the rounding
// of float64 arithmetic, for n up to 2⁵³.
func (s *Stream) Binomial(n int64, p float64) int64 {
	switch {
	case n <= 0 || !(p > 0):
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - s.Binomial(n, 1-p) // 1−p is exact for p in (0.5, 1)
	case float64(n)*p < 10:
		return s.binomialInversion(n, p)
	}
	return s.binomialBTRD(n, p)
}

// binomialInversion draws Binomial(n, p), p ≤ 0.5 and n·p < 10, by
// sequential search, as numpy's random_binomial_inversion:
//
//	q = 1−p, qn = exp(n·log1p(−p)), np = n·p
//	bound = min(n, np + 10·sqrt(np·q + 1))
//	x = 0, px = qn, u = Float64()
//	while u > px:
//		x++
//		if x > bound: x = 0, px = qn, u = Float64()   (restart)
//		else: u −= px, px = ((n − x + 1)·p·px) / (x·q)
//
// It uses two words per attempt, and restarts only when u falls beyond the
// bound (probability below 1e-14), or into the rounding gap between the
// computed cumulative sum and 1.
func (s *Stream) binomialInversion(n int64, p float64) int64 {
	nf := float64(n)
	q := 1 - p
	qn := math.Exp(nf * math.Log1p(-p))
	np := nf * p
	bound := math.Min(nf, np+10*math.Sqrt(np*q+1))
	x := 0.0
	px := qn
	u := s.Float64()
	for u > px {
		x++
		if x > bound {
			x = 0
			px = qn
			u = s.Float64()
		} else {
			u -= px
			px = ((nf - x + 1) * p * px) / (x * q)
		}
	}
	return int64(x)
}

// stirlingTail[k] is ln k! − (k+½) ln(k+1) + (k+1) − ½ ln 2π, the error of
// Stirling's formula for ln k!, for k < 10 (the table of Hörmann 1993).
var stirlingTail = [10]float64{
	0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
	0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
	0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
	0.008330563433362871,
}

// stirling returns the error of Stirling's formula for ln k! (fc(k) in
// Hörmann 1993): the table for k < 10, otherwise the series
// (1/12 − (1/360 − 1/1260/(k+1)²)/(k+1)²)/(k+1).
func stirling(k float64) float64 {
	if k < 10 {
		return stirlingTail[int(k)]
	}
	k1 := k + 1
	k2 := k1 * k1
	return (1.0/12 - (1.0/360-1.0/1260/k2)/k2) / k1
}

// binomialBTRD draws Binomial(n, p), p ≤ 0.5 and n·p ≥ 10, by Hörmann's
// BTRD: transformed rejection with decomposition, the steps numbered as in
// the paper. Each attempt uses two words, or four when step 2 draws a
// second uniform.
func (s *Stream) binomialBTRD(n int64, p float64) int64 {
	// 0: setup.
	nf := float64(n)
	m := math.Floor((nf + 1) * p)
	r := p / (1 - p)
	nr := (nf + 1) * r
	npq := nf * p * (1 - p)
	snpq := math.Sqrt(npq)
	b := 1.15 + 2.53*snpq
	a := -0.0873 + 0.0248*b + 0.01*p
	c := nf*p + 0.5
	alpha := (2.83 + 5.1/b) * snpq
	vr := 0.92 - 4.2/b
	urvr := 0.86 * vr
	for {
		// 1: the central box, accepted at once.
		v := s.Float64()
		var u float64
		if v <= urvr {
			u = v/vr - 0.43
			return min(n, int64(math.Floor((2*a/(0.5-math.Abs(u))+b)*u+c)))
		}
		// 2: the rest of the hat.
		if v >= vr {
			u = s.Float64() - 0.5
		} else {
			u = v/vr - 0.93
			u = math.Copysign(0.5, u) - u
			v = s.Float64() * vr
		}
		// 3.0
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		v = v * alpha / (a/(us*us) + b)
		km := math.Abs(k - m)
		if km <= 15 {
			// 3.1: f(k)/f(m) by the recursion f(i)/f(i−1) = (n+1)r/i − r.
			f := 1.0
			if m < k {
				for i := m + 1; i <= k; i++ {
					f *= nr/i - r
				}
			} else if m > k {
				for i := k + 1; i <= m; i++ {
					v *= nr/i - r
				}
			}
			if v <= f {
				return int64(k)
			}
			continue
		}
		// 3.2: squeeze with bounds on ln f(k)/f(m).
		v = math.Log(v)
		rho := km / npq * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
		t := -km * km / (2 * npq)
		if v < t-rho {
			return int64(k)
		}
		if v > t+rho {
			continue
		}
		// 3.3 and 3.4: the exact test, with Stirling's formula.
		nm := nf - m + 1
		h := (m+0.5)*math.Log((m+1)/(r*nm)) + stirling(m) + stirling(nf-m)
		nk := nf - k + 1
		if v <= h+(nf+1)*math.Log(nm/nk)+(k+0.5)*math.Log(nk*r/(k+1))-stirling(k)-stirling(nf-k) {
			return int64(k)
		}
	}
}

// Poisson returns a Poisson(lambda) number. lambda ≤ 0 (or NaN) gives 0
// without drawing; lambda < 10 uses inversion by sequential search
// (poissonInversion) and lambda ≥ 10 uses PTRS (Hörmann 1993, "The
// transformed rejection method for generating Poisson random variables"),
// as numpy and TensorFlow do. Both are exact up to the rounding of float64
// arithmetic.
func (s *Stream) Poisson(lambda float64) int64 {
	switch {
	case !(lambda > 0):
		return 0
	case lambda < 10:
		return s.poissonInversion(lambda)
	}
	return s.poissonPTRS(lambda)
}

// poissonInversion draws Poisson(lambda), 0 < lambda < 10, by sequential
// search:
//
//	bound = lambda + 20·sqrt(lambda + 1)
//	x = 0, px = exp(−lambda), u = Float64()
//	while u > px:
//		x++
//		if x > bound: x = 0, px = exp(−lambda), u = Float64()   (restart)
//		else: u −= px, px = px·lambda / x
//
// It uses two words per attempt, and restarts only when u falls beyond the
// bound (probability below 1e-40) or into the rounding gap between the
// computed cumulative sum and 1.
func (s *Stream) poissonInversion(lambda float64) int64 {
	p0 := math.Exp(-lambda)
	bound := lambda + 20*math.Sqrt(lambda+1)
	x := 0.0
	px := p0
	u := s.Float64()
	for u > px {
		x++
		if x > bound {
			x = 0
			px = p0
			u = s.Float64()
		} else {
			u -= px
			px = px * lambda / x
		}
	}
	return int64(x)
}

// poissonPTRS draws Poisson(lambda), lambda ≥ 10, by Hörmann's PTRS
// (transformed rejection with squeeze), as numpy's random_poisson_ptrs.
// Each attempt uses four words: u = Float64() − 0.5, then v = Float64().
func (s *Stream) poissonPTRS(lambda float64) int64 {
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := s.Float64() - 0.5
		v := s.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int64(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		// ln v may be −Inf (v = 0): then k is accepted, as it should be.
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int64(k)
		}
	}
}
