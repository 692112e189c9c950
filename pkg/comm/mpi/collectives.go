//go:build mpi

package mpi

import "C"

import (
	"errors"
	"fmt"

	gompi "github.com/sbromberger/gompi"
)

// ErrTooLarge is wrapped by the errors of collectives that would move more
// bytes into or out of one rank than MPI's int counts hold (math.MaxInt32).
var ErrTooLarge = errors.New("more bytes than MPI's int counts hold")

// Allgather returns every rank's data, indexed by rank (MPI_Allgather of the
// lengths, then MPI_Allgatherv). If all ranks' data together exceed
// math.MaxInt32 bytes, every rank returns an error.
func (w *World) Allgather(data []byte) ([][]byte, error) {
	var lens []int64
	var err error
	if cerr := w.call(func() { lens, err = allgatherInt64(int64(len(data)), w.size) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mpi: allgather sizes: %w", err)
	}
	var total int64
	for _, n := range lens {
		total += n
	}
	if total > maxCount {
		big := 0
		for r, n := range lens {
			if n > lens[big] {
				big = r
			}
		}
		return nil, fmt.Errorf("mpi: allgather of %d bytes in all (rank %d sends %d), limit %d: %w", total, big, lens[big], maxCount, ErrTooLarge)
	}
	counts, displs := cCounts(lens)
	recv := make([]byte, total)
	if cerr := w.call(func() { err = allgatherv(data, recv, counts, displs) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mpi: allgather: %w", err)
	}
	return split(recv, lens), nil
}

// Alltoall sends send[r] to rank r and returns what each rank sent here,
// indexed by sender (MPI_Alltoall of the lengths, then MPI_Alltoallv).
//
// Messages too large for MPI's int counts are an error: if some rank would
// send more than math.MaxInt32 bytes in all, every rank returns an error.
// Each rank also tells every other its send total with the lengths, so when
// all of them together fit in math.MaxInt32 bytes no receive total can
// overflow and nothing more is needed; otherwise one more MPI_Allreduce
// finds out whether some rank would receive too much, and again every rank
// returns the error.
func (w *World) Alltoall(send [][]byte) ([][]byte, error) {
	if len(send) != w.size {
		return nil, fmt.Errorf("mpi: alltoall with %d parts on %d ranks", len(send), w.size)
	}
	var stotal int64
	for _, b := range send {
		stotal += int64(len(b))
	}
	// (length to r, my send total) for every rank r.
	hdr := make([]int64, 2*w.size)
	for r, b := range send {
		hdr[2*r], hdr[2*r+1] = int64(len(b)), stotal
	}
	var got []int64
	var err error
	if cerr := w.call(func() { got, err = alltoallInt64(hdr, 2) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mpi: alltoall sizes: %w", err)
	}
	rlens := make([]int64, w.size)
	var rtotal, all int64
	for s := range rlens {
		rlens[s] = got[2*s]
		rtotal += rlens[s]
		all += got[2*s+1]
	}
	for s := range rlens {
		if st := got[2*s+1]; st > maxCount {
			return nil, fmt.Errorf("mpi: alltoall: rank %d sends %d bytes in all, limit %d: %w", s, st, maxCount, ErrTooLarge)
		}
	}
	if all > maxCount {
		most, err := w.allreduceInt64(rtotal, gompi.OpMax)
		if err != nil {
			return nil, fmt.Errorf("mpi: alltoall receive sizes: %w", err)
		}
		if most > maxCount {
			return nil, fmt.Errorf("mpi: alltoall: a rank would receive %d bytes in all (this rank %d), limit %d: %w", most, rtotal, maxCount, ErrTooLarge)
		}
	}
	slens := make([]int64, w.size)
	sbuf := make([]byte, 0, stotal)
	for r, b := range send {
		slens[r] = int64(len(b))
		sbuf = append(sbuf, b...)
	}
	scounts, sdispls := cCounts(slens)
	rcounts, rdispls := cCounts(rlens)
	recv := make([]byte, rtotal)
	if cerr := w.call(func() { err = alltoallv(sbuf, scounts, sdispls, recv, rcounts, rdispls) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mpi: alltoall: %w", err)
	}
	return split(recv, rlens), nil
}

// Bcast returns root's data on every rank; data is ignored elsewhere
// (MPI_Bcast of the length, then of the bytes). More than math.MaxInt32
// bytes is an error on every rank.
func (w *World) Bcast(data []byte, root int) ([]byte, error) {
	if root < 0 || root >= w.size {
		return nil, fmt.Errorf("mpi: bcast root %d out of range [0,%d)", root, w.size)
	}
	n := []int64{0}
	if w.rank == root {
		n[0] = int64(len(data))
	}
	if err := w.call(func() { w.gc.BcastInt64s(n, root) }); err != nil {
		return nil, fmt.Errorf("mpi: bcast size: %w", err)
	}
	if n[0] > maxCount {
		return nil, fmt.Errorf("mpi: bcast of %d bytes from rank %d, limit %d: %w", n[0], root, maxCount, ErrTooLarge)
	}
	buf := make([]byte, n[0])
	if n[0] == 0 {
		return buf, nil
	}
	if w.rank == root {
		copy(buf, data)
	}
	var err error
	if cerr := w.call(func() { err = bcastBytes(buf, root) }); cerr != nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("mpi: bcast from rank %d: %w", root, err)
	}
	return buf, nil
}

// cCounts converts lengths (each and their sum at most maxCount) to MPI
// counts and displacements laid end to end.
func cCounts(lens []int64) (counts, displs []C.int) {
	counts, displs = make([]C.int, len(lens)), make([]C.int, len(lens))
	var off int64
	for r, n := range lens {
		counts[r], displs[r] = C.int(n), C.int(off)
		off += n
	}
	return counts, displs
}

// split cuts buf into parts of the given lengths; each part's capacity ends
// where it does, so appending to one never overwrites the next.
func split(buf []byte, lens []int64) [][]byte {
	out := make([][]byte, len(lens))
	var off int64
	for r, n := range lens {
		out[r] = buf[off : off+n : off+n]
		off += n
	}
	return out
}
