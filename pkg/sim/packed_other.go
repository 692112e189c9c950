//go:build !amd64

package sim

// deliverRun adds weights w to ring entries shift+off[k]; every such
// index must be inside the ring.
func deliverRun(ring []int32, shift int, off []uint32, w []int32) {
	w = w[:len(off)]
	for k, o := range off {
		ring[shift+int(o)] += w[k]
	}
}
