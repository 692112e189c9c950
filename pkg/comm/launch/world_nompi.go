//go:build !mpi

package launch

import (
	"fmt"

	"github.com/snnkit/snnkit/pkg/comm"
)

// HasMPI reports whether this binary was built with MPI support (the build
// tag mpi): here it was not.
func HasMPI() bool { return false }

// World returns c == nil (the caller then runs its ranks in-process) and a
// no-op stop when the process was started directly, or by an MPI launcher
// as its only process. When a launcher started several processes, or did
// not say how many, it returns an error: this binary cannot talk MPI, and
// each process would run the whole job alone.
func World() (c comm.Comm, stop func(), err error) {
	size, ok := UnderMPILauncher()
	if !ok || size == 1 {
		return nil, func() {}, nil
	}
	what := "several processes"
	if size > 1 {
		what = fmt.Sprintf("%d processes", size)
	}
	return nil, nil, fmt.Errorf("launch: an MPI launcher started %s, but this binary was built without MPI support: "+
		"rebuild with `make build` on a machine with OpenMPI, or `go build -tags mpi ./cmd/...`", what)
}

// MPILibrary returns "": this binary has no MPI.
func MPILibrary() string { return "" }
