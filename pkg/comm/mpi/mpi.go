//go:build mpi

package mpi

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	gompi "github.com/sbromberger/gompi"

	"github.com/snnkit/snnkit/pkg/comm"
)

// World is MPI_COMM_WORLD as a comm.Comm: one rank per MPI process. Get it
// from Start. Collective calls must be made by every process in the same
// order, one at a time per process (they may come from any goroutine).
type World struct {
	gc         *gompi.Communicator
	rank, size int
	level      int // thread support MPI granted

	serial sync.Mutex    // held around every call when level is MPI_THREAD_SERIALIZED
	thread chan func()   // the goroutine locked to the thread that initialised MPI
	owned  bool          // we initialised MPI, so Stop finalises it
	stop   sync.Once     // Stop runs once
	closed atomic.Bool   // Stop has begun: calls fail with errStopped
	done   chan struct{} // closed when Stop has finished
}

// errStopped is returned by calls made after Stop.
var errStopped = errors.New("mpi: the MPI world was stopped (MPI_Finalize): no MPI call may follow")

var (
	startMu  sync.Mutex
	theWorld *World
)

// Start initialises MPI, once per process, and returns MPI_COMM_WORLD.
// Later calls return the same World; a call after Stop is an error, since
// MPI cannot be initialised twice in one process. Start asks for
// MPI_THREAD_MULTIPLE; with a lower level granted every MPI call is
// serialised (MPI_THREAD_SERIALIZED) or made on the thread that initialised
// MPI (MPI_THREAD_FUNNELED, MPI_THREAD_SINGLE). If MPI was already
// initialised by someone else, Start uses it and Stop leaves it running.
func Start() (*World, error) {
	startMu.Lock()
	defer startMu.Unlock()
	if theWorld != nil {
		if theWorld.closed.Load() {
			return nil, fmt.Errorf("mpi: start: %w", errStopped)
		}
		return theWorld, nil
	}
	w := &World{thread: make(chan func()), done: make(chan struct{})}
	started := make(chan error)
	go w.mainThread(started)
	if err := <-started; err != nil {
		return nil, fmt.Errorf("mpi: start: %w", err)
	}
	theWorld = w
	return w, nil
}

// mainThread initialises MPI on a locked OS thread, then runs the calls sent
// to w.thread on that same thread until Stop closes it. The goroutine never
// unlocks the thread, so the thread ends with it.
func (w *World) mainThread(started chan<- error) {
	runtime.LockOSThread()
	err := w.initialise()
	started <- err
	if err != nil {
		return
	}
	for f := range w.thread {
		f()
	}
}

func (w *World) initialise() error {
	inited, finalized, err := initState()
	if err != nil {
		return err
	}
	switch {
	case finalized:
		return errStopped
	case inited:
		if w.level, err = queryThread(); err != nil {
			return err
		}
	default:
		if w.level, err = initThread(threadMultiple); err != nil {
			return err
		}
		w.owned = true
	}
	w.gc = gompi.NewCommunicator(nil)
	w.rank, w.size = gompi.WorldRank(), gompi.WorldSize()
	if w.size < 1 || w.rank < 0 || w.rank >= w.size {
		return fmt.Errorf("MPI_COMM_WORLD says rank %d of %d", w.rank, w.size)
	}
	return nil
}

// ThreadLevel names the thread support MPI granted, e.g.
// "MPI_THREAD_MULTIPLE".
func (w *World) ThreadLevel() string { return threadLevelName(w.level) }

// call runs f, which makes MPI calls, as the granted thread level allows:
// directly with MPI_THREAD_MULTIPLE, under a mutex with
// MPI_THREAD_SERIALIZED, and on the initialising thread otherwise.
func (w *World) call(f func()) error {
	if w.closed.Load() {
		return errStopped
	}
	switch {
	case w.level >= threadMultiple:
		f()
	case w.level == threadSerialized:
		w.serial.Lock()
		defer w.serial.Unlock()
		f()
	default:
		ran := make(chan struct{})
		w.thread <- func() { f(); close(ran) }
		<-ran
	}
	return nil
}

// Stop finalises MPI (on the thread that initialised it, as the MPI
// standard asks) when Start initialised it. It is collective: every process
// must call it, after its last MPI call. Later calls of Stop do nothing;
// other calls after Stop fail.
func (w *World) Stop() {
	w.stop.Do(func() {
		w.closed.Store(true)
		if w.owned {
			finished := make(chan struct{})
			w.thread <- func() {
				if err := finalize(); err != nil {
					fmt.Fprintf(os.Stderr, "rank %d: %v\n", w.rank, err)
				}
				close(finished)
			}
			<-finished
		}
		close(w.thread)
		close(w.done)
	})
	<-w.done
}

// Rank is this process's rank in MPI_COMM_WORLD.
func (w *World) Rank() int { return w.rank }

// Size is the number of processes in MPI_COMM_WORLD.
func (w *World) Size() int { return w.size }

// Barrier returns when every rank has entered it (MPI_Barrier).
func (w *World) Barrier() error {
	if err := w.call(func() { w.gc.Barrier() }); err != nil {
		return fmt.Errorf("mpi: barrier: %w", err)
	}
	return nil
}

// AllreduceMaxFloat64 returns the maximum of v over all ranks (MPI_Allreduce
// with MPI_MAX).
func (w *World) AllreduceMaxFloat64(v float64) (float64, error) {
	out := []float64{0}
	var err error
	if cerr := w.call(func() { err = w.gc.AllreduceFloat64s(out, []float64{v}, gompi.OpMax, 0) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("mpi: allreduce max float64: %w", err)
	}
	return out[0], nil
}

// AllreduceSumInt64 returns the sum of v over all ranks (MPI_Allreduce with
// MPI_SUM).
func (w *World) AllreduceSumInt64(v int64) (int64, error) {
	out, err := w.allreduceInt64(v, gompi.OpSum)
	if err != nil {
		return 0, fmt.Errorf("mpi: allreduce sum int64: %w", err)
	}
	return out, nil
}

func (w *World) allreduceInt64(v int64, op gompi.Op) (int64, error) {
	out := []int64{0}
	var err error
	if cerr := w.call(func() { err = w.gc.AllreduceInt64s(out, []int64{v}, op, 0) }); cerr != nil {
		err = cerr
	}
	return out[0], err
}

// Abort prints the reason to stderr and ends every process of the job with
// exit code 1 (MPI_Abort on MPI_COMM_WORLD). It does not return. It may be
// called from any goroutine, also while others wait in a collective call.
func (w *World) Abort(reason error) {
	fmt.Fprintf(os.Stderr, "rank %d of %d: aborting the MPI job: %v\n", w.rank, w.size, reason)
	if !w.closed.Load() {
		w.gc.Abort(1)
	}
	os.Exit(1) // MPI_Abort returned, or MPI is finalised
}

var _ comm.Comm = (*World)(nil)
