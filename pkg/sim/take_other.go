//go:build !amd64

package sim

import "github.com/snnkit/snnkit/pkg/rng"

// haveTakeAsm: there is no vector loop here.
const haveTakeAsm = false

// takePoisson is addPoisson followed by takeInput (without ring64) in one
// pass.
func takePoisson(dst []float64, src []int32, words []uint32, table *rng.PoissonTable, weight int32, scale float64) {
	takePoissonGo(dst, src, words, table, weight, scale)
}
