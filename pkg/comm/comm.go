// Package comm is the communicator between ranks: an interface, an
// in-process implementation whose ranks are goroutines, and (in pkg/comm/mpi,
// build tag mpi) one rank per MPI process. Construction and simulation code
// is written once against Comm and runs unchanged on both.
package comm

import "errors"

// ErrAborted is returned by collective calls on every rank once any rank has
// called Abort, so that one failing rank takes the whole job down instead of
// leaving the others waiting forever.
var ErrAborted = errors.New("comm: another rank aborted")

// Comm is a communicator over a fixed set of ranks 0..Size()-1. Collective
// calls must be made by every rank in the same order.
type Comm interface {
	// Rank is this rank's index.
	Rank() int
	// Size is the number of ranks.
	Size() int
	// Barrier returns when every rank has entered it.
	Barrier() error
	// Allgather returns every rank's data, indexed by rank, on every rank.
	Allgather(data []byte) ([][]byte, error)
	// Alltoall sends send[r] to rank r and returns what each rank sent here,
	// indexed by sender. len(send) must equal Size().
	Alltoall(send [][]byte) ([][]byte, error)
	// Bcast returns root's data on every rank (data is ignored elsewhere).
	Bcast(data []byte, root int) ([]byte, error)
	// AllreduceMaxFloat64 returns the maximum of v over all ranks.
	AllreduceMaxFloat64(v float64) (float64, error)
	// AllreduceSumInt64 returns the sum of v over all ranks.
	AllreduceSumInt64(v int64) (int64, error)
	// Abort ends the job on every rank: collective calls elsewhere fail with
	// ErrAborted (in-process) or the processes are terminated (MPI).
	Abort(reason error)
}
