// Package commtest is a conformance suite for comm.Comm implementations,
// run by the in-process tests and, under mpirun, by the MPI tests.
package commtest

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/snnkit/snnkit/pkg/comm"
)

// payload is what rank from sends to rank to in round i: its length varies
// with the pair (and is zero for some), its bytes encode (from, to, i).
func payload(from, to, i int) []byte {
	n := (from*7 + to*3 + i) % 5
	var b []byte
	for k := 0; k < n; k++ {
		b = binary.LittleEndian.AppendUint32(b, uint32(from<<20|to<<8|i))
	}
	return b
}

// Check runs every collective of c several times and returns the first
// discrepancy. Every rank must call it.
func Check(c comm.Comm) error {
	R, me := c.Size(), c.Rank()
	for i := 0; i < 3; i++ {
		got, err := c.Allgather(payload(me, me, i))
		if err != nil {
			return fmt.Errorf("round %d allgather: %w", i, err)
		}
		if len(got) != R {
			return fmt.Errorf("round %d allgather: %d parts on %d ranks", i, len(got), R)
		}
		for r := range got {
			if !bytes.Equal(got[r], payload(r, r, i)) {
				return fmt.Errorf("round %d allgather: part %d is %x, want %x", i, r, got[r], payload(r, r, i))
			}
		}
		send := make([][]byte, R)
		for r := range send {
			send[r] = payload(me, r, i)
		}
		recv, err := c.Alltoall(send)
		if err != nil {
			return fmt.Errorf("round %d alltoall: %w", i, err)
		}
		for r := range recv {
			if !bytes.Equal(recv[r], payload(r, me, i)) {
				return fmt.Errorf("round %d alltoall: from rank %d got %x, want %x", i, r, recv[r], payload(r, me, i))
			}
		}
		for root := 0; root < R; root++ {
			var data []byte
			if me == root {
				data = payload(root, 99, i+1)
			}
			b, err := c.Bcast(data, root)
			if err != nil {
				return fmt.Errorf("round %d bcast from %d: %w", i, root, err)
			}
			if !bytes.Equal(b, payload(root, 99, i+1)) {
				return fmt.Errorf("round %d bcast from %d: got %x", i, root, b)
			}
		}
		mx, err := c.AllreduceMaxFloat64(float64(me) + 0.5)
		if err != nil || mx != float64(R-1)+0.5 {
			return fmt.Errorf("round %d allreduce max: %g, %v; want %g", i, mx, err, float64(R-1)+0.5)
		}
		sum, err := c.AllreduceSumInt64(int64(me + 1))
		if err != nil || sum != int64(R*(R+1)/2) {
			return fmt.Errorf("round %d allreduce sum: %d, %v; want %d", i, sum, err, R*(R+1)/2)
		}
		if err := c.Barrier(); err != nil {
			return fmt.Errorf("round %d barrier: %w", i, err)
		}
	}
	if _, err := c.Alltoall(make([][]byte, R+1)); err == nil {
		return fmt.Errorf("alltoall with %d parts on %d ranks: want an error", R+1, R)
	}
	return nil
}
