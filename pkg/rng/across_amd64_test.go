package rng

import "testing"

// TestBlocksAcrossPaths checks BlocksAcross with the AVX2 code, where this
// machine has it, and without any vector code.
func TestBlocksAcrossPaths(t *testing.T) {
	save := haveAcrossAsm
	defer func() { haveAcrossAsm = save }()
	for _, avx2 := range []bool{save, false} {
		haveAcrossAsm = avx2
		checkBlocksAcross(t)
	}
}

// BenchmarkBlocksAcrossGo is BenchmarkBlocksAcross without the vector
// code, for comparison.
func BenchmarkBlocksAcrossGo(b *testing.B) {
	save := haveAcrossAsm
	defer func() { haveAcrossAsm = save }()
	haveAcrossAsm = false
	BenchmarkBlocksAcross(b)
}
