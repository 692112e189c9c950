//go:build mpi

package launch

import (
	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/mpi"
)

// HasMPI reports whether this binary was built with MPI support.
func HasMPI() bool { return true }

// World starts MPI and returns the world communicator when an MPI launcher
// started the process; otherwise it returns nil (the caller then uses
// in-process ranks). stop finalises MPI.
func World() (c comm.Comm, stop func(), err error) {
	if _, ok := UnderMPILauncher(); !ok {
		return nil, func() {}, nil
	}
	w, err := mpi.Start()
	if err != nil {
		return nil, nil, err
	}
	return w, w.Stop, nil
}

// MPILibrary returns the MPI library's version string.
func MPILibrary() string { return mpi.LibraryVersion() }
