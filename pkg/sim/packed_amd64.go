package sim

// deliverRunAsm is deliverRun's loop (packed_amd64.s).
//
//go:noescape
func deliverRunAsm(ring *int32, shift int, off *uint32, w *int32, n int)

// deliverRun adds weights w to ring entries shift+off[k]; every such
// index must be inside the ring.
func deliverRun(ring []int32, shift int, off []uint32, w []int32) {
	if len(off) == 0 {
		return
	}
	w = w[:len(off)]
	deliverRunAsm(&ring[0], shift, &off[0], &w[0], len(off))
}
