package rng

import "testing"

// TestBlocksAcrossPaths checks BlocksAcross with and without the AVX-512
// code, where this machine has it, and without any vector code.
func TestBlocksAcrossPaths(t *testing.T) {
	save, save512 := haveAcrossAsm, haveAcross512
	defer func() { haveAcrossAsm, haveAcross512 = save, save512 }()
	for _, c := range []struct{ avx2, avx512 bool }{{save, save512}, {save, false}, {false, false}} {
		haveAcrossAsm, haveAcross512 = c.avx2, c.avx512
		checkBlocksAcross(t)
	}
}

// BenchmarkBlocksAcrossAVX2 is BenchmarkBlocksAcross without the AVX-512
// code, for comparison.
func BenchmarkBlocksAcrossAVX2(b *testing.B) {
	save := haveAcross512
	defer func() { haveAcross512 = save }()
	haveAcross512 = false
	BenchmarkBlocksAcross(b)
}
