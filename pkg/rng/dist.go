package rng

import "math"

// Normal returns a standard normal number by the Box–Muller transform:
// sqrt(−2 ln u1) · cos(2π u2) with u1 = Float64Open(), u2 = Float64(). The
// second value of the pair is not kept, which keeps the stream's position
// easy to mirror on a GPU.
func (s *Stream) Normal() float64 {
	u1 := s.Float64Open()
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Exponential returns an exponential number of mean 1: −ln(Float64Open()).
func (s *Stream) Exponential() float64 { return -math.Log(s.Float64Open()) }

// Geometric returns the number of failures before the first success in
// Bernoulli(p) trials, 0 < p ≤ 1: ⌊ln U / ln(1−p)⌋ with U = Float64Open(),
// saturating at math.MaxInt64.
func (s *Stream) Geometric(p float64) int64 {
	if p >= 1 {
		return 0
	}
	g := math.Floor(math.Log(s.Float64Open()) / math.Log1p(-p))
	if !(g < math.MaxInt64) {
		return math.MaxInt64
	}
	return int64(g)
}

// Binomial returns a Binomial(n, p) number, exactly: by waiting times
// (sums of geometric gaps) when n·min(p, 1−p) < 10, otherwise by BTRD
// (Hörmann 1993, "The generation of binomial random variates").
func (s *Stream) Binomial(n int64, p float64) int64 {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	case p > 0.5:
		return n - s.Binomial(n, 1-p)
	case float64(n)*p < 10:
		return s.binomialWaiting(n, p)
	}
	return s.binomialBTRD(n, p)
}

// binomialWaiting counts the successes among n trials by jumping from one
// success to the next with geometric gaps.
func (s *Stream) binomialWaiting(n int64, p float64) int64 {
	var k, pos int64
	for {
		g := s.Geometric(p)
		if g >= n-pos {
			return k
		}
		pos += g + 1
		k++
	}
}

// stirlingTail[k] is ln k! − (k+½) ln(k+1) + (k+1) − ½ ln 2π, the error of
// Stirling's formula, for k < 10.
var stirlingTail = [10]float64{
	0.08106146679532726, 0.04134069595540929, 0.02767792568499834,
	0.02079067210376509, 0.01664469118982119, 0.01387612882307075,
	0.01189670994589177, 0.01041126526197209, 0.009255462182712733,
	0.008330563433362871,
}

func stirling(k float64) float64 {
	if k < 10 {
		return stirlingTail[int(k)]
	}
	k1 := k + 1
	k2 := k1 * k1
	return (1.0/12 - (1.0/360-1.0/1260/k2)/k2) / k1
}

func (s *Stream) binomialBTRD(n int64, p float64) int64 {
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
		v := s.Float64()
		var u float64
		if v <= urvr {
			u = v/vr - 0.43
			return int64(math.Floor((2*a/(0.5-math.Abs(u))+b)*u + c))
		}
		if v >= vr {
			u = s.Float64() - 0.5
		} else {
			u = v/vr - 0.93
			u = math.Copysign(0.5, u) - u
			v = s.Float64() * vr
		}
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + c)
		if k < 0 || k > nf {
			continue
		}
		v = v * alpha / (a/(us*us) + b)
		km := math.Abs(k - m)
		if km <= 15 {
			// Evaluate f(k)/f(m) by the recursion f(i)/f(i−1) = (n+1)r/i − r.
			f := 1.0
			if m < k {
				for i := m + 1; i <= k; i++ {
					f *= nr/i - r
				}
			} else {
				for i := k + 1; i <= m; i++ {
					v *= nr/i - r
				}
			}
			if v <= f {
				return int64(k)
			}
			continue
		}
		// Squeeze with bounds on ln f(k), then the exact test.
		v = math.Log(v)
		rho := km / npq * (((km/3+0.625)*km+1.0/6)/npq + 0.5)
		t := -km * km / (2 * npq)
		if v < t-rho {
			return int64(k)
		}
		if v > t+rho {
			continue
		}
		nm := nf - m + 1
		h := (m+0.5)*math.Log((m+1)/(r*nm)) + stirling(m) + stirling(nf-m)
		nk := nf - k + 1
		if v <= h+(nf+1)*math.Log(nm/nk)+(k+0.5)*math.Log(nk*r/(k+1))-stirling(k)-stirling(nf-k) {
			return int64(k)
		}
	}
}

// Poisson returns a Poisson(lambda) number, exactly: by multiplying
// uniforms when lambda < 10, otherwise by PTRS (Hörmann 1993, "The
// transformed rejection method for generating Poisson random variables").
func (s *Stream) Poisson(lambda float64) int64 {
	if !(lambda > 0) {
		return 0
	}
	if lambda < 10 {
		limit := math.Exp(-lambda)
		var k int64
		prod := s.Float64()
		for prod > limit {
			prod *= s.Float64()
			k++
		}
		return k
	}
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
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int64(k)
		}
	}
}
