//go:build mpi

package mpi

/*
#cgo pkg-config: ompi
#include <mpi.h>
#include <stdint.h>

static int snn_initialized(int *flag) { return MPI_Initialized(flag); }
static int snn_finalized(int *flag) { return MPI_Finalized(flag); }
static int snn_init_thread(int required, int *provided) {
	return MPI_Init_thread(NULL, NULL, required, provided);
}
static int snn_query_thread(int *provided) { return MPI_Query_thread(provided); }
static int snn_finalize(void) { return MPI_Finalize(); }

static int snn_allgather_i64(int64_t v, int64_t *out) {
	return MPI_Allgather(&v, 1, MPI_INT64_T, out, 1, MPI_INT64_T, MPI_COMM_WORLD);
}
static int snn_allgatherv(const void *send, int count, void *recv, const int *counts, const int *displs) {
	return MPI_Allgatherv(send, count, MPI_BYTE, recv, counts, displs, MPI_BYTE, MPI_COMM_WORLD);
}
static int snn_alltoall_i64(const int64_t *send, int per, int64_t *recv) {
	return MPI_Alltoall(send, per, MPI_INT64_T, recv, per, MPI_INT64_T, MPI_COMM_WORLD);
}
static int snn_alltoallv(const void *send, const int *scounts, const int *sdispls,
		void *recv, const int *rcounts, const int *rdispls) {
	return MPI_Alltoallv(send, scounts, sdispls, MPI_BYTE, recv, rcounts, rdispls, MPI_BYTE, MPI_COMM_WORLD);
}
static int snn_bcast_bytes(void *buf, int count, int root) {
	return MPI_Bcast(buf, count, MPI_BYTE, root, MPI_COMM_WORLD);
}
static int snn_library_version(char *out, int *len) { return MPI_Get_library_version(out, len); }
static int snn_error_string(int code, char *out, int *len) { return MPI_Error_string(code, out, len); }
*/
import "C"

import (
	"fmt"
	"math"
	"strings"
	"unsafe"
)

// maxCount is the largest count MPI's C int arguments can hold (a variable
// only so that tests can lower it; they set it on every rank alike).
var maxCount int64 = math.MaxInt32

// MPI thread support levels, as the C library numbers them.
const (
	threadSingle     = int(C.MPI_THREAD_SINGLE)
	threadFunneled   = int(C.MPI_THREAD_FUNNELED)
	threadSerialized = int(C.MPI_THREAD_SERIALIZED)
	threadMultiple   = int(C.MPI_THREAD_MULTIPLE)
)

func threadLevelName(l int) string {
	switch l {
	case threadSingle:
		return "MPI_THREAD_SINGLE"
	case threadFunneled:
		return "MPI_THREAD_FUNNELED"
	case threadSerialized:
		return "MPI_THREAD_SERIALIZED"
	case threadMultiple:
		return "MPI_THREAD_MULTIPLE"
	}
	return fmt.Sprintf("thread level %d", l)
}

// mpiError turns an MPI return code into an error naming the call, or nil.
func mpiError(call string, rc C.int) error {
	if rc == C.MPI_SUCCESS {
		return nil
	}
	buf := make([]byte, C.MPI_MAX_ERROR_STRING+1)
	var n C.int
	msg := fmt.Sprintf("error code %d", int(rc))
	if C.snn_error_string(rc, (*C.char)(unsafe.Pointer(&buf[0])), &n) == C.MPI_SUCCESS && n > 0 {
		msg = cString(buf[:n])
	}
	return fmt.Errorf("mpi: %s: %s", call, msg)
}

// cString returns b up to its first NUL byte.
func cString(b []byte) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// initState reports whether MPI is initialised and whether it is finalised.
func initState() (initialized, finalized bool, err error) {
	var i, f C.int
	if err := mpiError("MPI_Initialized", C.snn_initialized(&i)); err != nil {
		return false, false, err
	}
	if err := mpiError("MPI_Finalized", C.snn_finalized(&f)); err != nil {
		return false, false, err
	}
	return i != 0, f != 0, nil
}

// initThread calls MPI_Init_thread and returns the thread level granted.
func initThread(required int) (provided int, err error) {
	var p C.int
	if err := mpiError("MPI_Init_thread", C.snn_init_thread(C.int(required), &p)); err != nil {
		return 0, err
	}
	return int(p), nil
}

// queryThread returns the thread level of an MPI someone else initialised.
func queryThread() (int, error) {
	var p C.int
	if err := mpiError("MPI_Query_thread", C.snn_query_thread(&p)); err != nil {
		return 0, err
	}
	return int(p), nil
}

func finalize() error { return mpiError("MPI_Finalize", C.snn_finalize()) }

// ptr returns the address of b's first byte, or of a dummy byte when b is
// empty: MPI wants a valid address even for a zero count.
func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return unsafe.Pointer(&dummy)
	}
	return unsafe.Pointer(&b[0])
}

var dummy byte

// allgatherInt64 returns every rank's v, indexed by rank.
func allgatherInt64(v int64, size int) ([]int64, error) {
	out := make([]int64, size)
	rc := C.snn_allgather_i64(C.int64_t(v), (*C.int64_t)(unsafe.Pointer(&out[0])))
	return out, mpiError("MPI_Allgather", rc)
}

// allgatherv gathers send from every rank into recv; counts and displs are
// in bytes and already checked against maxCount.
func allgatherv(send, recv []byte, counts, displs []C.int) error {
	rc := C.snn_allgatherv(ptr(send), C.int(len(send)), ptr(recv), &counts[0], &displs[0])
	return mpiError("MPI_Allgatherv", rc)
}

// alltoallInt64 sends per values to every rank (send[per*r:per*(r+1)] to rank
// r) and returns what every rank sent here, laid out the same way.
func alltoallInt64(send []int64, per int) ([]int64, error) {
	recv := make([]int64, len(send))
	rc := C.snn_alltoall_i64((*C.int64_t)(unsafe.Pointer(&send[0])), C.int(per), (*C.int64_t)(unsafe.Pointer(&recv[0])))
	return recv, mpiError("MPI_Alltoall", rc)
}

// alltoallv exchanges bytes; counts and displacements are already checked.
func alltoallv(send []byte, scounts, sdispls []C.int, recv []byte, rcounts, rdispls []C.int) error {
	rc := C.snn_alltoallv(ptr(send), &scounts[0], &sdispls[0], ptr(recv), &rcounts[0], &rdispls[0])
	return mpiError("MPI_Alltoallv", rc)
}

// bcastBytes broadcasts buf (the same length on every rank) from root.
func bcastBytes(buf []byte, root int) error {
	return mpiError("MPI_Bcast", C.snn_bcast_bytes(ptr(buf), C.int(len(buf)), C.int(root)))
}

// LibraryVersion returns the first line of MPI_Get_library_version, e.g.
// "Open MPI v4.1.4, package: Debian OpenMPI, ident: 4.1.4, repo rev: v4.1.4,
// May 26, 2022", for run metadata; "" if the library does not say. It may be
// called before Start and after Stop.
func LibraryVersion() string {
	buf := make([]byte, C.MPI_MAX_LIBRARY_VERSION_STRING+1)
	var n C.int
	if C.snn_library_version((*C.char)(unsafe.Pointer(&buf[0])), &n) != C.MPI_SUCCESS || n <= 0 {
		return ""
	}
	s := cString(buf[:min(int(n), len(buf))])
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
