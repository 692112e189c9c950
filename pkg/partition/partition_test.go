package partition

import "testing"

func TestRoundRobin(t *testing.T) {
	for _, tc := range []struct {
		n     int64
		ranks int
	}{{1, 1}, {10, 1}, {10, 3}, {11250, 4}, {7, 7}, {100, 8}} {
		p, err := New(tc.n, tc.ranks)
		if err != nil {
			t.Fatal(err)
		}
		var total int64
		for r := 0; r < tc.ranks; r++ {
			total += p.Count(r)
		}
		if total != tc.n {
			t.Errorf("n=%d ranks=%d: counts add to %d", tc.n, tc.ranks, total)
		}
		for g := int64(0); g < tc.n; g++ {
			r, li := p.Owner(g), p.Local(g)
			if p.Global(r, li) != g || li >= p.Count(r) {
				t.Fatalf("n=%d ranks=%d: gid %d → (%d,%d) does not map back", tc.n, tc.ranks, g, r, li)
			}
		}
		// Every population range maps to a contiguous local range.
		for first := int64(0); first < tc.n; first += 3 {
			size := min(5, tc.n-first)
			for r := 0; r < tc.ranks; r++ {
				lo, hi := p.LocalRange(r, first, size)
				var want []int64
				for g := first; g < first+size; g++ {
					if p.Owner(g) == r {
						want = append(want, p.Local(g))
					}
				}
				if int64(len(want)) != hi-lo || (len(want) > 0 && want[0] != lo) {
					t.Fatalf("n=%d ranks=%d range [%d,%d) rank %d: got [%d,%d), want %v", tc.n, tc.ranks, first, first+size, r, lo, hi, want)
				}
			}
		}
	}
}

func TestTooManyRanks(t *testing.T) {
	if _, err := New(3, 4); err == nil {
		t.Fatal("4 ranks for 3 neurons: want an error")
	}
	if _, err := New(3, 0); err == nil {
		t.Fatal("0 ranks: want an error")
	}
}
