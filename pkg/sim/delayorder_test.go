package sim

import (
	"cmp"
	"slices"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/netfile"
)

// TestOrderRowsByDelay: after load, each row with per-synapse delays holds
// the same synapses as the file, each thread's part holds exactly the
// synapses onto its targets, ordered by (delay, target).
func TestOrderRowsByDelay(t *testing.T) {
	net := buildNet(t, builtin(t, "microcircuit", "N_scaling=0.02", "K_scaling=0.05"), 1, 1)
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	file, err := netfile.ReadRank(net, man, 0)
	if err != nil {
		t.Fatal(err)
	}
	type syn struct {
		t uint32
		d uint16
		w float32
	}
	row := func(p *netfile.Partition, a, b int64) []syn {
		var s []syn
		for k := a; k < b; k++ {
			s = append(s, syn{p.TargetAt(k), p.DelayAt(k), p.Weight[k]})
		}
		return s
	}
	byAll := func(x, y syn) int {
		return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.t, y.t), cmp.Compare(x.w, y.w))
	}
	for _, threads := range []int{1, 3} {
		cs, _ := comm.NewInProc(1)
		e, err := New(net, man, cs[0], Config{Threads: threads, TSim: 1})
		if err != nil {
			t.Fatal(err)
		}
		ordered := 0
		listed := listedParts(e)
		for r := 0; r < e.p.Rows(); r++ {
			if !e.byDelay(r) {
				continue
			}
			ordered++
			want := row(file, file.RowStart[r], file.RowStart[r+1])
			var got []syn
			for th := 0; th < threads; th++ {
				lp := listed[[2]int{r, th}]
				part := row(e.p, lp.a, lp.a+int64(lp.n))
				for _, s := range part {
					if int(s.t) < e.chunks[th][0] || int(s.t) >= e.chunks[th][1] {
						t.Fatalf("threads %d row %d: target %d in thread %d's part %v", threads, r, s.t, th, e.chunks[th])
					}
				}
				if !slices.IsSortedFunc(part, func(x, y syn) int { return cmp.Or(cmp.Compare(x.d, y.d), cmp.Compare(x.t, y.t)) }) {
					t.Fatalf("threads %d row %d thread %d: not ordered by (delay, target)", threads, r, th)
				}
				got = append(got, part...)
			}
			slices.SortFunc(got, byAll)
			slices.SortFunc(want, byAll)
			if !slices.Equal(got, want) {
				t.Fatalf("threads %d row %d: synapses differ from the file's", threads, r)
			}
		}
		if ordered == 0 {
			t.Fatal("no row ordered by delay")
		}
	}
}

// listedParts returns the row parts listParts listed, by (row, thread).
func listedParts(e *Engine) map[[2]int]srcPart {
	m := map[[2]int]srcPart{}
	for th, parts := range e.srcParts {
		for _, sp := range parts {
			m[[2]int{int(sp.row), th}] = sp
		}
	}
	return m
}
