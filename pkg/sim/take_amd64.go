package sim

import (
	"golang.org/x/sys/cpu"

	"github.com/snnkit/snnkit/pkg/rng"
)

// haveTakeAsm tells whether takePoissonAsm may run here.
var haveTakeAsm = cpu.X86.HasAVX2

// takePoissonAsm is the vector loop of takePoisson (take_amd64.s).
//
//go:noescape
func takePoissonAsm(dst *float64, src *int32, words *uint32, lut *[1 << rng.LookupBits]uint8, n int, weight int32, inv float64, mixed *int32, mixedX *int32) int

// takePoisson is addPoisson followed by takeInput (without ring64) in one
// pass; with AVX2, eight neurons at a time, with the same bits.
func takePoisson(dst []float64, src []int32, words []uint32, table *rng.PoissonTable, weight int32, scale float64) {
	n8 := len(dst) &^ 7
	if !haveTakeAsm || n8 == 0 {
		takePoissonGo(dst, src, words, table, weight, scale)
		return
	}
	src, words = src[:len(dst)], words[:len(dst)]
	inv := 1 / scale
	var mixed, mixedX [256]int32
	for a := 0; a < n8; a += len(mixed) {
		b := min(a+len(mixed), n8)
		k := takePoissonAsm(&dst[a], &src[a], &words[a], table.Lookup(), b-a, weight, inv, &mixed[0], &mixedX[0])
		for j, i := range mixed[:k] {
			i += int32(a)
			dst[i] = float64(mixedX[j]+int32(table.Sample(words[i]))*weight) * inv
		}
	}
	takePoissonGo(dst[n8:], src[n8:], words[n8:], table, weight, scale)
}
