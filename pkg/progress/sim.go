package progress

import (
	"fmt"
	"io"
	"sync/atomic"
	"time"
)

// Sim reports a simulation's progress on w: steps done of total, each dt
// ms. On a terminal it rewrites one line (model time, real-time factor so
// far, ETA) a few times a second; otherwise it prints a plain line every
// every. Call the returned stop function when the simulation ends.
func Sim(w io.Writer, tty bool, total int64, dt float64, steps *atomic.Int64, every time.Duration) (stop func()) {
	quit := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	period := every
	if tty {
		period = 250 * time.Millisecond
	}
	line := func() string {
		done := steps.Load()
		el := time.Since(start).Seconds()
		model := float64(done) * dt
		s := fmt.Sprintf("t = %.0f of %.0f ms", model, float64(total)*dt)
		if done > 0 {
			rtf := el / (model / 1000)
			eta := el / float64(done) * float64(total-done)
			s += fmt.Sprintf(", real-time factor %.2f, ETA %s", rtf, time.Duration(eta*float64(time.Second)).Round(time.Second))
		}
		return s
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(period)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-quit:
				if shown && tty {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-tick.C:
				if tty {
					fmt.Fprintf(w, "\r\033[K%s", line())
				} else {
					fmt.Fprintln(w, line())
				}
				shown = true
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}
