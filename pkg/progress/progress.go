// Package progress shows the progress of long commands on a terminal: a bar
// on stderr once a task has run for a second, nothing when stderr is not a
// terminal (SLURM logs get the commands' final lines instead).
package progress

import (
	"io"
	"os"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// IsTerminal reports whether f is a terminal.
func IsTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Bar shows done/total on w while the task runs, starting after delay, with
// label() as its description (read as it changes, e.g. to name the phase).
// Call the returned stop function when the task ends; it clears the bar.
func Bar(w io.Writer, label func() string, total int64, done *atomic.Int64, delay time.Duration) (stop func()) {
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-quit:
			return
		case <-time.After(delay):
		}
		bar := progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label()),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				bar.Finish()
				return
			case <-tick.C:
				bar.Describe(label())
				bar.Set64(min(done.Load(), total))
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}
