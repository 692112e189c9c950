package par

import (
	"runtime"
	"sync/atomic"
)

// Team is a set of goroutines that run one function after another on n
// threads with little hand-over cost: between runs the helpers spin (yielding
// their processor to any other goroutine) for a while before they block, so
// that the short, frequent steps of a simulation do not pay for waking
// goroutines each time. Run may be called from one goroutine at a time.
type Team struct {
	n       int
	fn      func(t int)
	gen     atomic.Uint64 // bumped once per Run
	pending atomic.Int64  // helpers still running the current fn
	helpers []*helper
	closed  atomic.Bool
}

type helper struct {
	sleeping atomic.Bool
	wake     chan struct{}
}

// spinRounds is how many times an idle helper yields before it blocks.
const spinRounds = 2000

// NewTeam starts a team of n threads: the caller of Run is thread 0 and
// n−1 helper goroutines are the others. Close stops the helpers.
func NewTeam(n int) *Team {
	tm := &Team{n: max(n, 1)}
	for t := 1; t < tm.n; t++ {
		h := &helper{wake: make(chan struct{}, 1)}
		tm.helpers = append(tm.helpers, h)
		go tm.loop(t, h)
	}
	return tm
}

// Run runs fn(t) for every thread t in [0, n) and returns when all are done.
func (tm *Team) Run(fn func(t int)) {
	if tm.n == 1 {
		fn(0)
		return
	}
	tm.fn = fn
	tm.pending.Store(int64(tm.n - 1))
	tm.gen.Add(1) // publishes fn and pending to the helpers
	tm.wakeAll()
	fn(0)
	for tm.pending.Load() != 0 {
		runtime.Gosched()
	}
	tm.fn = nil
}

// Close stops the helpers; the team cannot run again.
func (tm *Team) Close() {
	tm.closed.Store(true)
	tm.gen.Add(1)
	tm.wakeAll()
}

func (tm *Team) wakeAll() {
	for _, h := range tm.helpers {
		if h.sleeping.Swap(false) {
			select {
			case h.wake <- struct{}{}:
			default:
			}
		}
	}
}

// loop is helper t: it waits for each new generation, runs fn(t) and
// reports back.
func (tm *Team) loop(t int, h *helper) {
	var seen uint64 // the generation at NewTeam, not at the start of loop
	for {
		for i := 0; tm.gen.Load() == seen; i++ {
			if i < spinRounds {
				runtime.Gosched()
				continue
			}
			// Block; re-check after saying so, for a Run that came between.
			h.sleeping.Store(true)
			if tm.gen.Load() == seen {
				<-h.wake
			}
			h.sleeping.Store(false)
			i = 0
		}
		seen = tm.gen.Load()
		if tm.closed.Load() {
			return
		}
		tm.fn(t)
		tm.pending.Add(-1)
	}
}
