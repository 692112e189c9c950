//go:build !mpi

package launch

import (
	"errors"
	"fmt"

	"github.com/snnkit/snnkit/pkg/comm"
)

// HasMPI reports whether this binary was built with MPI support.
func HasMPI() bool { return false }

// World returns nil, nil, nil when the process runs on its own (the caller
// then uses in-process ranks), and an error when an MPI launcher started
// several copies of this binary, which was built without MPI.
func World() (c comm.Comm, stop func(), err error) {
	size, ok := UnderMPILauncher()
	if !ok || size == 1 {
		return nil, func() {}, nil
	}
	what := "several processes"
	if size > 1 {
		what = fmt.Sprintf("%d processes", size)
	}
	return nil, nil, errors.New("started by an MPI launcher with " + what + ", but this binary was built without MPI support: rebuild with `make build` on a machine with OpenMPI, or `go build -tags mpi ./cmd/...`")
}

// MPILibrary returns "": this binary has no MPI.
func MPILibrary() string { return "" }
