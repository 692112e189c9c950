package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeliverByDelay: delivering delay-ordered row segments delay by delay
// adds exactly what adding every synapse in turn adds, for segments of
// different spike steps, both halves and ring wrap-around.
func TestDeliverByDelay(t *testing.T) {
	const n, ringLen = 50, 12
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name  string
		segs  int
		maxD  int
		delta bool
	}{
		{"one segment", 1, 11, false},
		{"many segments", 40, 11, false},
		{"delta targets", 40, 11, true},
		{"one delay", 10, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tg []uint16
			var dl []uint8
			var w []float32
			var cur []cursor
			want := make([]int64, ringLen*2*n)
			for s := 0; s < tc.segs; s++ {
				k := int64(len(tg))
				m := 1 + r.IntN(30)
				type syn struct {
					t uint16
					d uint8
					w float32
				}
				var row []syn
				for range m {
					row = append(row, syn{uint16(r.IntN(n)), uint8(1 + r.IntN(tc.maxD)), float32(r.NormFloat64())})
				}
				slices.SortStableFunc(row, func(a, b syn) int { return int(a.d) - int(b.d) })
				c := cursor{k: k, end: k + int64(m), base: r.IntN(ringLen), inhOff: n}
				if tc.delta {
					c.inhOff = 0
				}
				for _, y := range row {
					tg, dl, w = append(tg, y.t), append(dl, y.d), append(w, y.w)
					slot := (c.base + int(y.d)) % ringLen
					idx := slot*2*n + int(y.t)
					if y.w < 0 {
						idx += c.inhOff
					}
					want[idx] += int64(float64(y.w) * fix)
				}
				cur = append(cur, c)
			}
			got := make([]int64, ringLen*2*n)
			deliverByDelay(got, tg, dl, w, cur, ringLen, 2*n)
			if !slices.Equal(got, want) {
				t.Fatal("ring differs from synapse-by-synapse delivery")
			}
		})
	}
}
