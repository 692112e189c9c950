//go:build !amd64

package sim

import "unsafe"

// deliverPacked adds packed synapses (offsets off, weights w in ring
// units) of a spike whose slot starts at ring entry start. The offsets of
// a row part are ordered by slot (by delay), and each is below len(ring)
// (packRows), so those whose entry wraps around the ring's end are a
// suffix.
func deliverPacked(ring []int32, off []uint32, w []int32, start int) {
	lim := uint32(len(ring) - start)
	w = w[:len(off)]
	k := 0
	for ; k < len(off) && off[k] < lim; k++ {
		ring[start+int(off[k])] += w[k]
	}
	for ; k < len(off); k++ {
		ring[start-len(ring)+int(off[k])] += w[k]
	}
}

// prefetchTwo would prefetch the cache lines at a and b; a no-op here.
func prefetchTwo(a, b unsafe.Pointer) {}
