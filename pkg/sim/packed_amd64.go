package sim

import "unsafe"

// deliverPackedAsm is deliverPacked's loop (packed_amd64.s).
//
//go:noescape
func deliverPackedAsm(ring *int32, size int, start int, off *uint32, w *int32, n int)

// deliverPacked adds packed synapses (offsets off, weights w in ring
// units) of a spike whose slot starts at ring entry start. The offsets of
// a row part are ordered by slot (by delay), and each is below len(ring)
// (packRows), so those whose entry wraps around the ring's end are a
// suffix.
func deliverPacked(ring []int32, off []uint32, w []int32, start int) {
	if len(off) == 0 {
		return
	}
	w = w[:len(off)]
	deliverPackedAsm(&ring[0], len(ring), start, &off[0], &w[0], len(off))
}

// prefetchTwo asks for the two cache lines at a and the two at b
// (packed_amd64.s); a hint that never faults.
//
//go:noescape
func prefetchTwo(a, b unsafe.Pointer)
