//go:build mpi

package mpi

/*
#cgo pkg-config: ompi
#include <mpi.h>
#include <stdlib.h>

static int snn_allgatherv(const void *send, int count, void *recv, const int *counts, const int *displs) {
	return MPI_Allgatherv(send, count, MPI_BYTE, recv, counts, displs, MPI_BYTE, MPI_COMM_WORLD);
}
static int snn_allgather_int(int v, int *out) {
	return MPI_Allgather(&v, 1, MPI_INT, out, 1, MPI_INT, MPI_COMM_WORLD);
}
static int snn_alltoall_int(const int *send, int *recv) {
	return MPI_Alltoall(send, 1, MPI_INT, recv, 1, MPI_INT, MPI_COMM_WORLD);
}
static int snn_alltoallv(const void *send, const int *scounts, const int *sdispls, void *recv, const int *rcounts, const int *rdispls) {
	return MPI_Alltoallv(send, scounts, sdispls, MPI_BYTE, recv, rcounts, rdispls, MPI_BYTE, MPI_COMM_WORLD);
}
static int snn_library_version(char *out, int *len) {
	return MPI_Get_library_version(out, len);
}
*/
import "C"

import (
	"fmt"
	"math"
	"strings"
	"unsafe"
)

// maxCount is the largest message MPI's int counts can describe.
const maxCount = math.MaxInt32

func check(what string, rc C.int) error {
	if rc != C.MPI_SUCCESS {
		return fmt.Errorf("mpi: %s failed with code %d", what, int(rc))
	}
	return nil
}

// ptr returns a pointer to b's data, or to a dummy byte when b is empty
// (MPI wants a valid address even for zero counts).
func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return unsafe.Pointer(&dummy)
	}
	return unsafe.Pointer(&b[0])
}

var dummy byte

// displacements returns the offsets of counts laid end to end, or an error
// when the total exceeds what MPI's int counts hold.
func displacements(counts []C.int) ([]C.int, int, error) {
	displs := make([]C.int, len(counts))
	var total int64
	for i, c := range counts {
		if total > maxCount {
			break
		}
		displs[i] = C.int(total)
		total += int64(c)
	}
	if total > maxCount {
		return nil, 0, fmt.Errorf("mpi: %d bytes in one collective: more than MPI's int counts hold (%d)", total, int64(maxCount))
	}
	return displs, int(total), nil
}

// Allgather returns every rank's data, indexed by rank.
func (w *World) Allgather(data []byte) ([][]byte, error) {
	if len(data) > maxCount {
		return nil, fmt.Errorf("mpi: allgather of %d bytes: more than %d", len(data), int64(maxCount))
	}
	counts := make([]C.int, w.size)
	if err := check("MPI_Allgather", C.snn_allgather_int(C.int(len(data)), &counts[0])); err != nil {
		return nil, err
	}
	displs, total, err := displacements(counts)
	if err != nil {
		return nil, err
	}
	recv := make([]byte, total)
	if err := check("MPI_Allgatherv", C.snn_allgatherv(ptr(data), C.int(len(data)), ptr(recv), &counts[0], &displs[0])); err != nil {
		return nil, err
	}
	return split(recv, counts, displs), nil
}

// Alltoall sends send[r] to rank r and returns what each rank sent here.
func (w *World) Alltoall(send [][]byte) ([][]byte, error) {
	if len(send) != w.size {
		return nil, fmt.Errorf("mpi: alltoall with %d parts on %d ranks", len(send), w.size)
	}
	scounts := make([]C.int, w.size)
	for r, b := range send {
		if len(b) > maxCount {
			return nil, fmt.Errorf("mpi: alltoall part of %d bytes for rank %d: more than %d", len(b), r, int64(maxCount))
		}
		scounts[r] = C.int(len(b))
	}
	sdispls, stotal, err := displacements(scounts)
	if err != nil {
		return nil, err
	}
	sbuf := make([]byte, 0, stotal)
	for _, b := range send {
		sbuf = append(sbuf, b...)
	}
	rcounts := make([]C.int, w.size)
	if err := check("MPI_Alltoall", C.snn_alltoall_int(&scounts[0], &rcounts[0])); err != nil {
		return nil, err
	}
	rdispls, rtotal, err := displacements(rcounts)
	if err != nil {
		return nil, err
	}
	recv := make([]byte, rtotal)
	if err := check("MPI_Alltoallv", C.snn_alltoallv(ptr(sbuf), &scounts[0], &sdispls[0], ptr(recv), &rcounts[0], &rdispls[0])); err != nil {
		return nil, err
	}
	return split(recv, rcounts, rdispls), nil
}

func split(buf []byte, counts, displs []C.int) [][]byte {
	out := make([][]byte, len(counts))
	for r := range counts {
		out[r] = buf[displs[r] : displs[r]+counts[r] : displs[r]+counts[r]]
	}
	return out
}

// LibraryVersion returns the first line of MPI_Get_library_version.
func LibraryVersion() string {
	buf := make([]byte, C.MPI_MAX_LIBRARY_VERSION_STRING)
	var n C.int
	if C.snn_library_version((*C.char)(unsafe.Pointer(&buf[0])), &n) != C.MPI_SUCCESS {
		return ""
	}
	s := string(buf[:n])
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, "\x00 ,")
}
