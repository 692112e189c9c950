package report

import (
	"math"
	"math/rand/v2"
	"sort"
)

// EDivisiveOptions configure change-point detection by E-divisive means.
type EDivisiveOptions struct {
	// Alpha is the significance level of the permutation test; 0 means
	// 0.01.
	Alpha float64
	// Permutations per test; 0 means 499.
	Permutations int
	// MinSize is the fewest observations on either side of a split; 0
	// means 3, and values below 2 count as 2.
	MinSize int
	// Exponent of the distances |x−y|^Exponent, in (0, 2); 0 means 1.
	Exponent float64
	// Seed of the permutations: the same input and seed give the same
	// change points.
	Seed uint64
	// Allowed, when non-nil, has len(x) entries and marks the indices
	// where a new segment may begin (e.g. the first run of each commit);
	// other splits are not considered.
	Allowed []bool
}

// ChangePoint is a change found by EDivisive: the distribution changes
// between x[Index−1] and x[Index].
type ChangePoint struct {
	Index int
	// P is the permutation test's p-value when the change was added.
	P float64
	// Q is the divergence statistic of the split.
	Q float64
}

// EDivisive finds change points in x by the E-divisive means method of
// Matteson and James (2014, "A nonparametric approach for multiple change
// point analysis of multivariate data", JASA 109:505), as MongoDB's
// signal-processing and Apache Otava (Hunter) use it.
//
// For a split of a segment at τ and an end κ, with X = x[a:τ] (m values)
// and Y = x[τ:κ] (k values), the statistic is
//
//	Q = m·k/(m+k) · ( 2/(m·k) Σ|Xi−Yj|^e − 1/C(m,2) Σ_{i<j}|Xi−Xj|^e − 1/C(k,2) Σ_{i<j}|Yi−Yj|^e )
//
// maximised over τ and κ within each current segment. The best split
// over all segments is tested by permutation: the observations are
// shuffled within each segment, the maximum recomputed, and p =
// (#{permuted ≥ observed} + 1)/(R + 1). A split with p ≤ Alpha is kept
// and the search repeats on the refined segments; the first split that is
// not significant ends it. Change points come back ordered by index.
func EDivisive(x []float64, opt EDivisiveOptions) []ChangePoint {
	if opt.Alpha == 0 {
		opt.Alpha = 0.01
	}
	if opt.Permutations <= 0 {
		opt.Permutations = 499
	}
	if opt.MinSize == 0 {
		opt.MinSize = 3
	}
	opt.MinSize = max(opt.MinSize, 2)
	if !(opt.Exponent > 0 && opt.Exponent < 2) {
		opt.Exponent = 1
	}
	n := len(x)
	allowed := opt.Allowed
	if len(allowed) != n {
		allowed = make([]bool, n)
		for i := range allowed {
			allowed[i] = true
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed5eed))
	obs := newEState(x, opt.Exponent)
	perm := newEState(append([]float64(nil), x...), opt.Exponent)
	var cps []ChangePoint
	bounds := []int{0, n}
	for {
		obs.build()
		_, tau, q, ok := obs.bestOver(bounds, allowed, opt.MinSize)
		if !ok || q <= 0 {
			return cps
		}
		count := 0
		limit := opt.Alpha * float64(opt.Permutations+1) // p > Alpha once count+1 exceeds it
		r := 0
		for ; r < opt.Permutations; r++ {
			copy(perm.x, x)
			for s := 0; s+1 < len(bounds); s++ {
				seg := perm.x[bounds[s]:bounds[s+1]]
				rng.Shuffle(len(seg), func(i, j int) { seg[i], seg[j] = seg[j], seg[i] })
			}
			perm.build()
			if _, _, pq, ok := perm.bestOver(bounds, allowed, opt.MinSize); ok && pq >= q*(1-1e-12) {
				count++
				if float64(count+1) > limit {
					break
				}
			}
		}
		p := float64(count+1) / float64(opt.Permutations+1)
		if p > opt.Alpha {
			return cps
		}
		cps = append(cps, ChangePoint{Index: tau, P: p, Q: q})
		bounds = append(bounds, tau)
		sort.Ints(bounds)
		sort.Slice(cps, func(i, j int) bool { return cps[i].Index < cps[j].Index })
	}
}

// eState holds a series and the 2-D prefix sums of its distance matrix,
// so that any block sum of distances takes O(1).
type eState struct {
	x   []float64
	exp float64
	n   int
	p   []float64 // (n+1)×(n+1): p[i*(n+1)+j] = Σ_{i'<i, j'<j} |x_i' − x_j'|^exp
}

func newEState(x []float64, exp float64) *eState {
	n := len(x)
	return &eState{x: x, exp: exp, n: n, p: make([]float64, (n+1)*(n+1))}
}

func (s *eState) build() {
	w := s.n + 1
	for i := 0; i < s.n; i++ {
		row := 0.0
		for j := 0; j < s.n; j++ {
			d := math.Abs(s.x[i] - s.x[j])
			if s.exp != 1 {
				d = math.Pow(d, s.exp)
			}
			row += d
			s.p[(i+1)*w+j+1] = s.p[i*w+j+1] + row
		}
	}
}

// rect sums the distances between x[i0:i1] and x[j0:j1].
func (s *eState) rect(i0, i1, j0, j1 int) float64 {
	w := s.n + 1
	return s.p[i1*w+j1] - s.p[i0*w+j1] - s.p[i1*w+j0] + s.p[i0*w+j0]
}

// best finds the split τ of segment [a, b) with the largest statistic
// over the ends κ ≤ b.
func (s *eState) best(a, b int, allowed []bool, minSize int) (int, float64, bool) {
	bestTau, bestQ, found := 0, math.Inf(-1), false
	for tau := a + minSize; tau+minSize <= b; tau++ {
		if !allowed[tau] {
			continue
		}
		m := float64(tau - a)
		wx := s.rect(a, tau, a, tau) / 2
		for kappa := tau + minSize; kappa <= b; kappa++ {
			if kappa < b && !allowed[kappa] {
				continue
			}
			k := float64(kappa - tau)
			cross := s.rect(a, tau, tau, kappa)
			wy := s.rect(tau, kappa, tau, kappa) / 2
			e := 2*cross/(m*k) - wx/(m*(m-1)/2) - wy/(k*(k-1)/2)
			q := m * k / (m + k) * e
			if q > bestQ {
				bestTau, bestQ, found = tau, q, true
			}
		}
	}
	return bestTau, bestQ, found
}

// bestOver finds the best split over the segments between consecutive
// bounds.
func (s *eState) bestOver(bounds []int, allowed []bool, minSize int) (seg, tau int, q float64, ok bool) {
	q = math.Inf(-1)
	for i := 0; i+1 < len(bounds); i++ {
		t, sq, found := s.best(bounds[i], bounds[i+1], allowed, minSize)
		if found && sq > q {
			seg, tau, q, ok = i, t, sq, true
		}
	}
	return seg, tau, q, ok
}
