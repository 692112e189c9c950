package comm_test

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/commtest"
)

// within runs f and returns its result; if f is still running after d, a
// collective call hangs, and the test binary panics with every goroutine's
// stack (a t.Fatal would leave the ranks running and reporting into a
// finished test).
func within(d time.Duration, what string, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		debug.SetTraceback("all")
		panic(fmt.Sprintf("%s: still running after %v: a collective call hangs", what, d))
	}
}

func TestInProcConformance(t *testing.T) {
	for _, ranks := range []int{1, 2, 3, 4, 8} {
		t.Run(fmt.Sprintf("%d ranks", ranks), func(t *testing.T) {
			err := within(time.Minute, t.Name(), func() error {
				return comm.RunInProc(ranks, func(c comm.Comm) error { return commtest.Run(t, c) })
			})
			if err != nil {
				t.Errorf("RunInProc: %v", err)
			}
		})
	}
}

// recorder collects what commtest reports, to test the suite itself.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	msgs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recorder) Helper() {}

// broken is an in-process communicator with one deliberate bug.
type broken struct {
	comm.Comm
	bug   string
	calls int
	last  [][]byte
}

func (b *broken) Allgather(data []byte) ([][]byte, error) {
	out, err := b.Comm.Allgather(data)
	if err != nil {
		return nil, err
	}
	switch b.bug {
	case "allgather drops a byte":
		for r, p := range out {
			if len(p) > 0 {
				out[r] = p[:len(p)-1]
			}
		}
	case "allgather aliases the input":
		out[b.Rank()] = data
	case "allgather returns a stale result":
		b.calls++
		if b.calls%4 == 0 && b.last != nil {
			out = b.last
		}
		b.last = out
	}
	return out, nil
}

func (b *broken) Alltoall(send [][]byte) ([][]byte, error) {
	if b.bug == "alltoall takes any length" && len(send) != b.Size() {
		return make([][]byte, b.Size()), nil
	}
	out, err := b.Comm.Alltoall(send)
	if err != nil || b.bug != "alltoall mixes up senders" {
		return out, err
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

func (b *broken) Bcast(data []byte, root int) ([]byte, error) {
	if b.bug == "bcast always from rank 0" && root >= 0 && root < b.Size() {
		root = 0
	}
	return b.Comm.Bcast(data, root)
}

func (b *broken) AllreduceMaxFloat64(v float64) (float64, error) {
	m, err := b.Comm.AllreduceMaxFloat64(v)
	if b.bug == "max is local" {
		return v, err
	}
	return m, err
}

func (b *broken) AllreduceSumInt64(v int64) (int64, error) {
	s, err := b.Comm.AllreduceSumInt64(v)
	if b.bug == "sum in 32 bits" {
		return int64(int32(s)), err
	}
	return s, err
}

func (b *broken) Barrier() error {
	if b.bug == "barrier does not wait" {
		return nil
	}
	return b.Comm.Barrier()
}

// TestConformanceCatchesBugs: the suite checks real values, so each
// deliberate bug is reported, and a correct communicator gives no report.
func TestConformanceCatchesBugs(t *testing.T) {
	bugs := map[string]string{
		"no bug":                           "",
		"allgather drops a byte":           "allgather",
		"allgather aliases the input":      "allgather",
		"allgather returns a stale result": "allgather",
		"alltoall mixes up senders":        "alltoall",
		"alltoall takes any length":        "alltoall with 4 parts on 3 ranks: no error",
		"bcast always from rank 0":         "bcast from rank 1",
		"max is local":                     "allreduce max",
		"sum in 32 bits":                   "allreduce sum",
		"barrier does not wait":            "barrier returned",
	}
	for bug, want := range bugs {
		t.Run(bug, func(t *testing.T) {
			rec := &recorder{TB: t}
			err := within(time.Minute, t.Name(), func() error {
				return comm.RunInProc(3, func(c comm.Comm) error { return commtest.Run(rec, &broken{Comm: c, bug: bug}) })
			})
			if err != nil {
				t.Errorf("RunInProc: %v", err)
			}
			if bug == "no bug" {
				if len(rec.msgs) > 0 {
					t.Errorf("no bug, yet %d reports: %q", len(rec.msgs), rec.msgs[0])
				}
				return
			}
			for _, m := range rec.msgs {
				if strings.Contains(m, want) {
					return
				}
			}
			t.Errorf("no report mentions %q; got %d: %q", want, len(rec.msgs), rec.msgs)
		})
	}
}

// checkAborted: err must be a failure caused by cause on another rank.
func checkAborted(t *testing.T, rank int, what string, err error, cause error) {
	t.Helper()
	switch {
	case err == nil:
		t.Errorf("rank %d: %s after the abort: no error", rank, what)
	case !errors.Is(err, comm.ErrAborted):
		t.Errorf("rank %d: %s after the abort: %v does not wrap comm.ErrAborted", rank, what, err)
	case !strings.Contains(err.Error(), cause.Error()):
		t.Errorf("rank %d: %s after the abort: %v does not give the reason %q", rank, what, err, cause)
	}
}

// TestAbortWakesEveryone: a rank that calls Abort wakes the ranks waiting
// in Barrier and in Allgather; every later collective fails too; RunInProc
// reports the root cause, not the other ranks' echoes.
func TestAbortWakesEveryone(t *testing.T) {
	cause := errors.New("disk full on rank 2")
	err := within(10*time.Second, t.Name(), func() error {
		return comm.RunInProc(4, func(c comm.Comm) error {
			me := c.Rank()
			if _, err := c.Allgather([]byte{byte(me)}); err != nil {
				t.Errorf("rank %d: allgather before the abort: %v", me, err)
				return err
			}
			var err error
			switch me {
			case 2:
				time.Sleep(100 * time.Millisecond) // the others are waiting by now
				c.Abort(cause)
				return cause
			case 3:
				_, err = c.Allgather([]byte{3})
				checkAborted(t, me, "waiting allgather", err, cause)
			default:
				err = c.Barrier()
				checkAborted(t, me, "waiting barrier", err, cause)
			}
			later := map[string]func() error{
				"barrier":   c.Barrier,
				"allgather": func() error { _, err := c.Allgather(nil); return err },
				"alltoall":  func() error { _, err := c.Alltoall(make([][]byte, c.Size())); return err },
				"bcast":     func() error { _, err := c.Bcast([]byte("x"), 0); return err },
				"max":       func() error { _, err := c.AllreduceMaxFloat64(1); return err },
				"sum":       func() error { _, err := c.AllreduceSumInt64(1); return err },
			}
			for name, call := range later {
				checkAborted(t, me, name, call(), cause)
			}
			return err
		})
	})
	if err == nil || !errors.Is(err, cause) || errors.Is(err, comm.ErrAborted) {
		t.Fatalf("RunInProc: %v; want only the root cause %q", err, cause)
	}
}

// TestFailingRanksAbortJob: ranks whose function returns an error (without
// calling Abort) take the job down; RunInProc reports every root cause.
func TestFailingRanksAbortJob(t *testing.T) {
	causes := map[int]error{1: errors.New("bad input on rank 1"), 3: errors.New("disk full on rank 3")}
	err := within(10*time.Second, t.Name(), func() error {
		return comm.RunInProc(4, func(c comm.Comm) error {
			if err := causes[c.Rank()]; err != nil {
				return err
			}
			if err := c.Barrier(); err != nil {
				if !errors.Is(err, comm.ErrAborted) {
					t.Errorf("rank %d: %v does not wrap comm.ErrAborted", c.Rank(), err)
				}
				return err
			}
			t.Errorf("rank %d: barrier passed with ranks 1 and 3 gone", c.Rank())
			return nil
		})
	})
	for _, cause := range causes {
		if !errors.Is(err, cause) {
			t.Errorf("RunInProc: %v; want it to report %q", err, cause)
		}
	}
	if errors.Is(err, comm.ErrAborted) {
		t.Errorf("RunInProc: %v; want the root causes, not the echoes", err)
	}
}

func TestSingleRankFailure(t *testing.T) {
	cause := errors.New("boom")
	if err := comm.RunInProc(1, func(comm.Comm) error { return cause }); !errors.Is(err, cause) {
		t.Fatalf("RunInProc: %v, want %v", err, cause)
	}
}

func TestBadSizes(t *testing.T) {
	for _, n := range []int{0, -1} {
		if _, err := comm.NewInProc(n); err == nil {
			t.Errorf("NewInProc(%d): want an error", n)
		}
		if err := comm.RunInProc(n, func(comm.Comm) error { return nil }); err == nil {
			t.Errorf("RunInProc(%d): want an error", n)
		}
	}
}
