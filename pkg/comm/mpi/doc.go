//go:build mpi

// Package mpi is the MPI communicator: one rank per MPI process, on
// MPI_COMM_WORLD, implementing comm.Comm.
//
// Every file of the package carries the build constraint `mpi`, so the
// default build (`go build ./...`, `go vet ./...`, `go install`) never needs
// cgo or OpenMPI's headers. Build with `-tags mpi` where `pkg-config ompi`
// works (`make build` adds the tag there); pkg/comm/launch picks the MPI
// world at run time when an MPI launcher started the process.
//
// Start-up uses MPI_Init_thread asking for MPI_THREAD_MULTIPLE, on a
// dedicated OS thread that also runs MPI_Finalize. Rank and size, barriers,
// the size broadcast and the reductions go through
// github.com/sbromberger/gompi; what gompi lacks or gets wrong (Allgatherv,
// Alltoallv, a byte broadcast, initialisation that reports errors instead of
// exiting) is a small cgo binding in cgo.go.
//
// MPI counts are C ints: a collective that would move more than
// math.MaxInt32 bytes into or out of one rank returns an error (on every
// rank where the sizes let every rank know, see Alltoall) instead of
// truncating.
//
// A plain `go test -tags mpi ./pkg/comm/mpi` runs as a single MPI process (a
// singleton). To test with several ranks, compile the test binary and start
// it with mpirun (as root add --allow-run-as-root; beyond the core count add
// --oversubscribe):
//
//	go test -tags mpi -c -o /tmp/mpi.test ./pkg/comm/mpi
//	mpirun --allow-run-as-root --oversubscribe -np 3 /tmp/mpi.test
package mpi
