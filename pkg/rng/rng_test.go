package rng

import (
	"math"
	"testing"
)

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

// TestPoissonTableSample checks that the lookup table gives the count of
// thresholds ≤ u, at both edges of every range it indexes and at random.
func TestPoissonTableSample(t *testing.T) {
	s := New(7, 0, 0)
	for _, lambda := range []float64{0.001, 1.28, 2.32, 30, 999} {
		tab := NewPoissonTable(lambda)
		check := func(u uint32) {
			if got, want := tab.Sample(u), tab.search(u, 0); got != want {
				t.Fatalf("λ=%g u=%08x: Sample %d, want %d", lambda, u, got, want)
			}
		}
		const shift = 32 - LookupBits
		for b := range uint32(1 << LookupBits) {
			check(b << shift)
			check(b<<shift | (1<<shift - 1))
		}
		for _, th := range tab.thresholds {
			check(th - 1)
			check(th)
		}
		for range 100_000 {
			check(s.Uint32())
		}
	}
}

// TestPoissonLookupMixed: at the microcircuit's Poisson rates (λ 1.2–2.3
// per step), few of the ranges that Lookup indexes need a search (a
// threshold splits them): under one uniform in 400. With -v it also shows
// how many of the 256 ranges of the top 8 bits would.
func TestPoissonLookupMixed(t *testing.T) {
	for _, lambda := range []float64{1.2, 1.28, 1.52, 1.68, 1.76, 2.32} {
		tab := NewPoissonTable(lambda)
		mixed := 0
		for _, c := range tab.lut {
			if c == lutMixed {
				mixed++
			}
		}
		split8 := map[uint32]bool{}
		for _, th := range tab.thresholds {
			if th&(1<<24-1) != 0 {
				split8[th>>24] = true
			}
		}
		t.Logf("λ %g: %d of %d ranges need a search (%d of 256 with 8 bits)", lambda, mixed, len(tab.lut), len(split8))
		if mixed*400 > len(tab.lut) {
			t.Errorf("λ %g: %d of %d ranges need a search, more than one in 400", lambda, mixed, len(tab.lut))
		}
	}
}

func BenchmarkPoissonTable(b *testing.B) {
	tab := NewPoissonTable(1.68)
	s := New(1, 2, 3)
	for i := 0; i < b.N; i++ {
		tab.Sample(s.Uint32())
	}
}

func TestBlocks4(t *testing.T) {
	for _, b := range []uint64{0, 5, 1<<32 - 2} {
		got := Blocks4(77, 3, 9, b)
		for k := 0; k < 4; k++ {
			want := Block(77, 3, 9, b+uint64(k))
			for w := 0; w < 4; w++ {
				if got[4*k+w] != want[w] {
					t.Fatalf("block %d word %d: %08x, want %08x", b+uint64(k), w, got[4*k+w], want[w])
				}
			}
		}
	}
}

func BenchmarkBlock(b *testing.B) {
	var sink uint32
	for i := 0; i < b.N; i++ {
		sink += Block(1, 2, uint32(i), uint64(i))[0]
	}
	_ = sink
}

func BenchmarkBlocks4(b *testing.B) {
	var sink uint32
	for i := 0; i < b.N; i++ {
		sink += Blocks4(1, 2, uint32(i), uint64(i))[0]
	}
	_ = sink
}

// TestBlocksAcross: every layout word is Block's, with the vector code
// (groups of 8 ids), the portable code (the ids after them, or where the
// counter's low word carries) and both.
func TestBlocksAcross(t *testing.T) { checkBlocksAcross(t) }

// checkBlocksAcross compares BlocksAcross with Block for several numbers
// of ids and blocks (odd ones too), strides and counters.
func checkBlocksAcross(t *testing.T) {
	t.Helper()
	all := []uint32{9, 1, 0, 0xffffffff, 77, 3, 12345, 8, 4, 1 << 31, 6, 7, 100, 101, 102, 103, 5, 55, 555, 5555, 1,
		21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39}
	for _, ids := range [][]uint32{all[:8], all[:5], all[:16], all[:21], all[:32], all[:39]} {
		for _, b := range []uint64{0, 5, 1<<32 - 8, 1<<32 - 3, 3<<32 + 11} {
			for _, stride := range []int{len(ids), len(ids) + 5} {
				for _, nb := range []int{1, 2, 3, 8} {
					dst := make([]uint32, (4*nb-1)*stride+len(ids))
					BlocksAcross(dst, stride, 0x1234_5678_9abc_def0, 3, ids, b, nb)
					for l, id := range ids {
						for k := 0; k < nb; k++ {
							want := Block(0x1234_5678_9abc_def0, 3, id, b+uint64(k))
							for w := 0; w < 4; w++ {
								if got := dst[(4*k+w)*stride+l]; got != want[w] {
									t.Fatalf("%d ids, b %d stride %d nb %d id %d block %d word %d: %08x, want %08x", len(ids), b, stride, nb, id, k, w, got, want[w])
								}
							}
						}
					}
				}
			}
		}
	}
}

// BenchmarkBlocksAcross draws two blocks (eight words) for each of 1024
// ids, as the engine refills its Poisson words.
func BenchmarkBlocksAcross(b *testing.B) {
	ids := make([]uint32, 1024)
	for i := range ids {
		ids[i] = uint32(i)
	}
	dst := make([]uint32, 8*len(ids))
	for i := 0; b.Loop(); i++ {
		BlocksAcross(dst, len(ids), 1, 2, ids, uint64(2*i), 2)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*8*len(ids)), "ns/word")
}
