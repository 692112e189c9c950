//go:build !amd64

package rng

// blocksVector is BlocksAcross's vector code, which there is none of here:
// it takes no ids.
func blocksVector(dst []uint32, stride int, seed uint64, stream uint32, ids []uint32, b uint64, nb int) int {
	return 0
}
