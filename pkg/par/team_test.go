package par

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestTeam: every Run runs fn once on each thread and returns only when
// all are done, also when the helpers have gone to sleep in between.
func TestTeam(t *testing.T) {
	for _, n := range []int{1, 2, 3, 8} {
		tm := NewTeam(n)
		counts := make([]int64, n)
		for r := 0; r < 2000; r++ {
			var done atomic.Int64
			tm.Run(func(th int) {
				counts[th]++
				done.Add(1)
			})
			if got := done.Load(); got != int64(n) {
				t.Fatalf("n %d run %d: %d threads done when Run returned", n, r, got)
			}
			if r%500 == 0 {
				time.Sleep(5 * time.Millisecond) // helpers block
			}
		}
		tm.Close()
		for th, c := range counts {
			if c != 2000 {
				t.Fatalf("n %d: thread %d ran %d times, want 2000", n, th, c)
			}
		}
	}
}

func BenchmarkTeamRun(b *testing.B) {
	tm := NewTeam(2)
	defer tm.Close()
	for i := 0; i < b.N; i++ {
		tm.Run(func(int) {})
	}
}

func BenchmarkDo(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Do(2, func(int) error { return nil })
	}
}
