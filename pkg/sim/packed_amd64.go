package sim

// deliverPackedAsm is deliverPacked with prefetching (packed_amd64.s).
//
//go:noescape
func deliverPackedAsm(ring *int32, size int, off *uint32, w *int32, n int, start int)

// deliverPacked adds packed synapses (offsets off, weights w in ring
// units) of a spike whose slot starts at entry start. Offsets are below
// len(ring) (packRows), so every entry is inside the ring.
func deliverPacked(ring []int32, off []uint32, w []int32, start int) {
	if len(off) == 0 {
		return
	}
	w = w[:len(off)]
	deliverPackedAsm(&ring[0], len(ring), &off[0], &w[0], len(off), start)
}
