//go:build mpi

package launch

import (
	"fmt"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/mpi"
)

// HasMPI reports whether this binary was built with MPI support (the build
// tag mpi): here it was.
func HasMPI() bool { return true }

// World returns the communicator for this process. When an MPI launcher
// started it, World starts MPI and returns MPI_COMM_WORLD, and stop
// finalises MPI (call it once every rank is done with the world). Otherwise
// c is nil and the caller runs its ranks in-process; stop is then a no-op.
// stop is never nil when err is nil.
func World() (c comm.Comm, stop func(), err error) {
	size, ok := UnderMPILauncher()
	if !ok {
		return nil, func() {}, nil
	}
	w, err := mpi.Start()
	if err != nil {
		return nil, nil, fmt.Errorf("launch: started by an MPI launcher: %w", err)
	}
	if err := checkWorldSize(size, w.Size(), mpi.LibraryVersion()); err != nil {
		w.Stop()
		return nil, nil, err
	}
	return w, w.Stop, nil
}

// MPILibrary returns the MPI library's version line, for run metadata.
func MPILibrary() string { return mpi.LibraryVersion() }
