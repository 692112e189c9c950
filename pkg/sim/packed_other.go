//go:build !amd64

package sim

// deliverPacked adds packed synapses (offsets off, weights w in ring
// units) of a spike whose slot starts at entry start.
func deliverPacked(ring []int32, off []uint32, w []int32, start int) {
	size := len(ring)
	w = w[:len(off)]
	for k, o := range off {
		i := start + int(o)
		if i >= size {
			i -= size
		}
		ring[i] += w[k]
	}
}
