package rng

import "testing"

// TestBlocksAcrossGo checks BlocksAcross without the vector code, which
// TestBlocksAcross uses where this machine has AVX2.
func TestBlocksAcrossGo(t *testing.T) {
	save := haveAcrossAsm
	defer func() { haveAcrossAsm = save }()
	haveAcrossAsm = false
	checkBlocksAcross(t)
}

// BenchmarkBlocksAcrossGo is BenchmarkBlocksAcross without the vector
// code, for comparison.
func BenchmarkBlocksAcrossGo(b *testing.B) {
	save := haveAcrossAsm
	defer func() { haveAcrossAsm = save }()
	haveAcrossAsm = false
	BenchmarkBlocksAcross(b)
}
