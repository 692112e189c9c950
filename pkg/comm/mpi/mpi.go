//go:build mpi

// Package mpi is the MPI communicator: one rank per MPI process, on
// MPI_COMM_WORLD. It needs OpenMPI's development files and the build tag
// mpi (`make build` adds it where `pkg-config ompi` works). Start-up,
// rank/size, barriers, broadcasts and reductions go through
// github.com/sbromberger/gompi; the collectives gompi lacks (Allgatherv,
// Alltoallv) are a small cgo binding in collectives.go.
//
// A plain `go test -tags mpi` runs as one singleton rank; multi-rank tests:
//
//	go test -tags mpi -c -o comm.test ./pkg/comm/mpi
//	mpirun --allow-run-as-root --oversubscribe -np 3 ./comm.test
package mpi

import (
	"fmt"
	"os"
	"sync"

	gompi "github.com/sbromberger/gompi"

	"github.com/snnkit/snnkit/pkg/comm"
)

// World is MPI_COMM_WORLD as a comm.Comm.
type World struct {
	c          *gompi.Communicator
	rank, size int
}

var (
	startOnce sync.Once
	world     *World
)

// Start initialises MPI with MPI_THREAD_MULTIPLE (once per process) and
// returns the world communicator.
func Start() (*World, error) {
	startOnce.Do(func() {
		gompi.Start(true) // exits if the thread level is not granted
		world = &World{c: gompi.NewCommunicator(nil), rank: gompi.WorldRank(), size: gompi.WorldSize()}
	})
	return world, nil
}

// Stop finalises MPI; no MPI call may follow.
func (w *World) Stop() { gompi.Stop() }

// Rank is this process's rank in MPI_COMM_WORLD.
func (w *World) Rank() int { return w.rank }

// Size is the number of processes in MPI_COMM_WORLD.
func (w *World) Size() int { return w.size }

// Barrier returns when every rank has entered it.
func (w *World) Barrier() error {
	w.c.Barrier()
	return nil
}

// Bcast returns root's data on every rank.
func (w *World) Bcast(data []byte, root int) ([]byte, error) {
	if root < 0 || root >= w.size {
		return nil, fmt.Errorf("mpi: bcast root %d out of range [0,%d)", root, w.size)
	}
	n := []int64{int64(len(data))}
	w.c.BcastInt64s(n, root)
	if n[0] > maxCount {
		return nil, fmt.Errorf("mpi: bcast of %d bytes: more than %d", n[0], int64(maxCount))
	}
	buf := make([]byte, n[0])
	if w.rank == root {
		copy(buf, data)
	}
	if n[0] > 0 {
		w.c.BcastBytes(buf, root)
	}
	return buf, nil
}

// AllreduceMaxFloat64 returns the maximum of v over all ranks.
func (w *World) AllreduceMaxFloat64(v float64) (float64, error) {
	out := []float64{0}
	if err := w.c.AllreduceFloat64s(out, []float64{v}, gompi.OpMax, 0); err != nil {
		return 0, fmt.Errorf("mpi: allreduce max: %w", err)
	}
	return out[0], nil
}

// AllreduceSumInt64 returns the sum of v over all ranks.
func (w *World) AllreduceSumInt64(v int64) (int64, error) {
	out := []int64{0}
	if err := w.c.AllreduceInt64s(out, []int64{v}, gompi.OpSum, 0); err != nil {
		return 0, fmt.Errorf("mpi: allreduce sum: %w", err)
	}
	return out[0], nil
}

// Abort prints the reason and ends every process of the job (MPI_Abort).
func (w *World) Abort(reason error) {
	fmt.Fprintf(os.Stderr, "rank %d aborting the MPI job: %v\n", w.rank, reason)
	w.c.Abort(1)
}

var _ comm.Comm = (*World)(nil)
