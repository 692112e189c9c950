//go:build mpi

package mpi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/comm/commtest"
)

// w is MPI_COMM_WORLD: every process of the job runs every test, in order.
var w *World

// abortChildEnv makes the test binary, started by TestAbortEndsJob under
// mpirun, abort the job from its last rank instead of running tests.
const abortChildEnv = "SNNKIT_MPI_TEST_ABORT_CHILD"

const abortReason = "disk full on the last rank"

func TestMain(m *testing.M) {
	var err error
	if w, err = Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if os.Getenv(abortChildEnv) != "" {
		abortChild()
	}
	code := m.Run()
	w.Stop()
	if code == 0 {
		code = checkStopped()
	}
	os.Exit(code)
}

// checkStopped: after Stop, MPI calls fail instead of crashing, Stop again
// does nothing, and Start refuses (MPI cannot be initialised twice).
func checkStopped() int {
	w.Stop()
	var errs []error
	if err := w.Barrier(); !errors.Is(err, errStopped) {
		errs = append(errs, fmt.Errorf("barrier after Stop: %v, want errStopped", err))
	}
	if _, err := w.Allgather([]byte{1}); !errors.Is(err, errStopped) {
		errs = append(errs, fmt.Errorf("allgather after Stop: %v, want errStopped", err))
	}
	if _, err := Start(); err == nil {
		errs = append(errs, errors.New("Start after Stop: no error"))
	}
	if v := LibraryVersion(); v == "" {
		errs = append(errs, errors.New("LibraryVersion after Stop: empty"))
	}
	if len(errs) > 0 {
		fmt.Fprintf(os.Stderr, "rank %d: FAIL after Stop: %v\n", w.Rank(), errors.Join(errs...))
		return 1
	}
	return 0
}

// abortChild: the last rank aborts while the others wait in a barrier.
func abortChild() {
	if w.Rank() == w.Size()-1 {
		time.Sleep(200 * time.Millisecond)
		w.Abort(errors.New(abortReason))
	}
	err := w.Barrier()
	fmt.Printf("rank %d: barrier returned (%v) although rank %d aborted\n", w.Rank(), err, w.Size()-1)
	os.Exit(3)
}

// conform fails the whole job when a rank's collective call fails: the
// other ranks would wait for it forever.
func conform(t *testing.T, err error) {
	if err != nil {
		w.Abort(fmt.Errorf("%s: %w", t.Name(), err))
	}
}

func TestConformance(t *testing.T) {
	t.Logf("rank %d of %d, %s, %s", w.Rank(), w.Size(), w.ThreadLevel(), LibraryVersion())
	conform(t, commtest.Run(t, w))
}

func TestStartAgain(t *testing.T) {
	if w2, err := Start(); err != nil || w2 != w {
		t.Fatalf("Start again: %p, %v; want the same world %p", w2, err, w)
	}
}

func TestLibraryVersion(t *testing.T) {
	v := LibraryVersion()
	if v == "" || strings.ContainsAny(v, "\n\x00") {
		t.Fatalf("LibraryVersion: %q, want one non-empty line", v)
	}
}

// TestManyThreads: each collective from a new goroutine on a new OS thread
// (the goroutine locks its thread and ends locked, which ends the thread),
// while another goroutine makes MPI-free calls into the package.
func TestManyThreads(t *testing.T) {
	stop := make(chan struct{})
	side := make(chan struct{})
	go func() {
		defer close(side)
		for {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
				_ = LibraryVersion()
			}
		}
	}()
	defer func() { close(stop); <-side }()
	for i := range 100 {
		done := make(chan error)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			got, err := w.AllreduceSumInt64(int64(i))
			if err == nil && got != int64(i*w.Size()) {
				err = fmt.Errorf("round %d: sum %d, want %d", i, got, i*w.Size())
			}
			if err == nil {
				var parts [][]byte
				parts, err = w.Allgather([]byte{byte(i), byte(w.Rank())})
				for r, p := range parts {
					if !bytes.Equal(p, []byte{byte(i), byte(r)}) {
						err = fmt.Errorf("round %d: allgather part %d is %x", i, r, p)
					}
				}
			}
			done <- err
		}()
		if err := <-done; err != nil {
			t.Error(err)
			conform(t, err)
		}
	}
}

// TestPartsDoNotOverlap: appending to one part of a result never
// overwrites the next part.
func TestPartsDoNotOverlap(t *testing.T) {
	got, err := w.Allgather([]byte{byte(w.Rank()), 0xAB})
	conform(t, err)
	got[0] = append(got[0], 0xFF, 0xFF, 0xFF)
	for r := 1; r < w.Size(); r++ {
		if !bytes.Equal(got[r], []byte{byte(r), 0xAB}) {
			t.Errorf("part %d after appending to part 0: %x", r, got[r])
		}
	}
}

// withLimit runs f with the count limit lowered to limit (on every rank).
func withLimit(limit int64, f func()) {
	old := maxCount
	maxCount = limit
	defer func() { maxCount = old }()
	f()
}

// wantTooLarge: err must be ErrTooLarge; then the next collective must
// still work, which shows every rank gave up on the same call.
func wantTooLarge(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("%s: %v, want ErrTooLarge", what, err)
		conform(t, fmt.Errorf("%s: ranks out of step", what))
	}
	got, err := w.AllreduceSumInt64(1)
	conform(t, err)
	if got != int64(w.Size()) {
		t.Errorf("after %s: sum %d, want %d", what, got, w.Size())
	}
}

// TestSizeLimits: with the limit lowered, every way a collective can exceed
// it is an error on every rank, and sizes up to it work.
func TestSizeLimits(t *testing.T) {
	const limit = 1000
	R, me := w.Size(), w.Rank()
	fill := func(n int, v byte) []byte { return bytes.Repeat([]byte{v}, n) }
	withLimit(limit, func() {
		// Allgather: all ranks' data together over the limit, then at it.
		_, err := w.Allgather(fill(limit/R+1, 1))
		wantTooLarge(t, "allgather over the limit in all", err)
		got, err := w.Allgather(fill(limit/R, byte(me)))
		conform(t, err)
		for r := range got {
			if !bytes.Equal(got[r], fill(limit/R, byte(r))) {
				t.Errorf("allgather at the limit: part %d wrong", r)
			}
		}

		// Alltoall: rank 0 sends too much in all.
		send := make([][]byte, R)
		if me == 0 {
			for r := range send {
				send[r] = fill(limit/R+1, 1)
			}
		}
		_, err = w.Alltoall(send)
		wantTooLarge(t, "alltoall with rank 0 sending over the limit", err)

		// Bcast over the limit, then at it.
		_, err = w.Bcast(fill(limit+1, 1), R-1)
		wantTooLarge(t, "bcast over the limit", err)
		b, err := w.Bcast(fill(limit, 7), R-1)
		conform(t, err)
		if !bytes.Equal(b, fill(limit, 7)) {
			t.Errorf("bcast at the limit: wrong data")
		}
		if R < 2 {
			return
		}
		// Alltoall: ranks 0 and 1 each send within the limit, but the last
		// rank would receive more than it: only it can tell, and an
		// allreduce tells the others.
		send = make([][]byte, R)
		if me <= 1 {
			send[R-1] = fill(limit/2+1, byte(me))
		}
		_, err = w.Alltoall(send)
		wantTooLarge(t, "alltoall with the last rank receiving over the limit", err)

		// Alltoall: more than the limit in flight, but no rank sends or
		// receives more than it: that must work.
		send = make([][]byte, R)
		if me <= 1 {
			send[1-me] = fill(limit/2+1, byte(10+me))
		}
		got, err = w.Alltoall(send)
		conform(t, err)
		for from := range got {
			want := []byte{}
			if me <= 1 && from == 1-me {
				want = fill(limit/2+1, byte(10+from))
			}
			if !bytes.Equal(got[from], want) {
				t.Errorf("alltoall over the limit in flight: from rank %d: %d bytes, want %d", from, len(got[from]), len(want))
			}
		}
	})
}

// TestTwoGiB: the real limit, with a 2 GiB buffer that is never touched
// (the checks come before any copy). It is mapped read-only outside the Go
// heap, which would zero it: it costs address space only, and a copy of it
// would crash.
func TestTwoGiB(t *testing.T) {
	huge, err := syscall.Mmap(-1, 0, 1<<31, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
	if err != nil {
		t.Skipf("cannot map 2 GiB of address space: %v", err)
	}
	defer syscall.Munmap(huge)
	R, me := w.Size(), w.Rank()
	data := []byte{1}
	if me == R-1 {
		data = huge
	}
	_, err = w.Allgather(data)
	wantTooLarge(t, "allgather of 2 GiB from the last rank", err)

	send := make([][]byte, R)
	if me == 0 {
		send[R-1] = huge
	}
	_, err = w.Alltoall(send)
	wantTooLarge(t, "alltoall of 2 GiB from rank 0", err)

	_, err = w.Bcast(huge, 0)
	wantTooLarge(t, "bcast of 2 GiB", err)
}

// TestAbortEndsJob starts this test binary under mpirun with 3 ranks, the
// last of which aborts while the others wait in a barrier: mpirun must
// fail, soon, with the reason. It runs only from a single process started
// without a launcher (a plain `go test -tags mpi`).
func TestAbortEndsJob(t *testing.T) {
	if w.Size() > 1 || os.Getenv("OMPI_COMM_WORLD_SIZE") != "" {
		t.Skip("starts mpirun itself: run it from a plain go test -tags mpi")
	}
	mpirun, err := exec.LookPath("mpirun")
	if err != nil {
		t.Skip("no mpirun in PATH")
	}
	args := []string{"--oversubscribe", "-np", "3", os.Args[0], "-test.run=^$"}
	if os.Geteuid() == 0 {
		args = append([]string{"--allow-run-as-root"}, args...)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, mpirun, args...)
	cmd.Env = append(launcherFreeEnv(), abortChildEnv+"=1")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		t.Fatalf("mpirun still running after 2 minutes: the abort did not end the job\n%s", out)
	case err == nil:
		t.Fatalf("mpirun succeeded, want a failure\n%s", out)
	case !strings.Contains(string(out), abortReason) || strings.Contains(string(out), "barrier returned"):
		t.Fatalf("mpirun: %v; output lacks the reason %q or shows a barrier passed\n%s", err, abortReason, out)
	}
	t.Logf("mpirun: %v (as it should)", err)
}

// launcherFreeEnv is this process's environment without what MPI set up
// for this (singleton) process, so that a nested mpirun starts afresh.
func launcherFreeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "OMPI_") && !strings.HasPrefix(k, "OMPI_MCA_") && !strings.HasPrefix(k, "OMPI_ALLOW_") ||
			strings.HasPrefix(k, "PMIX_") || strings.HasPrefix(k, "PMI_") || strings.HasPrefix(k, "ORTE_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
