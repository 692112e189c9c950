package sim

import (
	"fmt"
	"math"

	"github.com/snnkit/snnkit/pkg/rng"
)

// Input rings. Every input is summed as an integer, so the order in which
// spikes arrive cannot change the sum. Static synapses and Poisson input go
// to ring, as int32 in units of 1/scale pA (mV for delta synapses); scale
// is the largest power of two at which no neuron's input in one step can
// reach 2³⁰ units even if all its static synapses and the largest Poisson
// counts arrived together, so sums never overflow. The bound, and so the
// scale, is a property of the network, the same for any ranks and threads.
// Plastic and structural synapses, whose weights change as the run goes
// on, go to ring64 in 32.32 fixed point.

// fix is the fixed-point scale of ring64: 2³² units per pA (mV).
const fix = 1 << 32

// boundBits is the headroom of ring: input sums stay below 2^boundBits units.
const boundBits = 30

// weightBits is the resolution, relative to the largest static weight, of
// the integer units in which chooseScale sums weights exactly.
const weightBits = 24

// static reports whether row r delivers to ring: neither plastic nor structural.
func (e *Engine) static(r int) bool {
	return !e.isStruct[e.p.RowProjection[r]] && (e.pl == nil || e.pl.rowPl[r] < 0)
}

// chooseScale sets scale from the largest possible input of any neuron in
// the network: each rank bounds its own neurons' inputs and the ranks
// agree on the maximum. Bounds are summed as integers (in units of 2⁻²⁴ of
// the largest weight, rounded up), so that they do not depend on the order
// in which a rank holds the synapses either.
func (e *Engine) chooseScale() error {
	p := e.p
	var topBits uint32 // the largest |w| as float32 bits, which order as the values do
	for r := 0; r < p.Rows(); r++ {
		if e.static(r) {
			for _, w := range p.Weight[p.RowStart[r]:p.RowStart[r+1]] {
				topBits = max(topBits, math.Float32bits(w)&0x7fffffff)
			}
		}
	}
	top := float64(math.Float32frombits(topBits))
	for _, g := range e.groups {
		for _, pin := range g.poisson {
			top = max(top, math.Abs(pin.w))
		}
	}
	top, err := e.c.AllreduceMaxFloat64(top)
	if err != nil {
		return fmt.Errorf("agree on the input scale: %w", err)
	}
	if !(top > 0) || math.IsInf(top, 0) {
		e.scale = fix
		return nil
	}
	_, exp := math.Frexp(top) // top < 2^exp
	unit := math.Ldexp(1, exp-weightBits)
	sum := make([]uint64, e.n)
	for r := 0; r < p.Rows(); r++ {
		if !e.static(r) {
			continue
		}
		a, b := p.RowStart[r], p.RowStart[r+1]
		if p.TargetWidth == 2 {
			addUnits(sum, p.Target16()[a:b], p.Weight[a:b], 1/unit)
		} else {
			addUnits(sum, p.Target32()[a:b], p.Weight[a:b], 1/unit)
		}
	}
	for _, g := range e.groups {
		for _, pin := range g.poisson {
			u := uint64(pin.table.MaxCount()) * uint64(math.Ceil(math.Abs(pin.w)/unit))
			for i := g.lo; i < g.hi; i++ {
				sum[i] += u
			}
		}
	}
	var most uint64
	for _, s := range sum {
		most = max(most, s)
	}
	bound, err := e.c.AllreduceMaxFloat64(float64(most))
	if err != nil {
		return fmt.Errorf("agree on the input scale: %w", err)
	}
	_, exp = math.Frexp(bound * unit) // bound·unit < 2^exp
	e.scale = math.Ldexp(1, boundBits-exp)
	return nil
}

// addUnits adds |w|, in units of 1/inv rounded up, to the sums of targets
// tg (inv is a power of two, so the product is exact).
func addUnits[T uint16 | uint32](sum []uint64, tg []T, w []float32, inv float64) {
	for k, t := range tg {
		sum[t] += uint64(math.Ceil(math.Abs(float64(w[k])) * inv))
	}
}

// units returns weight w rounded to the nearest multiple of 1/scale, in
// those units (halves round up). With a sum of weights below 2³⁰ units,
// the rounding cannot take it past 2³¹ unless a neuron had 2³⁰ inputs.
func units(w, scale float64) int32 { return int32(math.Floor(w*scale + 0.5)) }

// takeInput converts the inputs of a ring slot to dst, adding those of
// the ring64 slot when there is one, and clears them for the slot's next
// turn.
func takeInput(dst []float64, src []int32, src64 []int64, scale float64) {
	src = src[:len(dst)]
	inv := 1 / scale // a power of two: exact
	for i, x := range src {
		dst[i] = float64(x) * inv
	}
	clear(src)
	if src64 != nil {
		src64 = src64[:len(dst)]
		for i, x := range src64 {
			dst[i] += float64(x) / fix
		}
		clear(src64)
	}
}

// addPoisson adds the counts drawn from words, times weight, to dst.
func addPoisson(dst []int32, words []uint32, table *rng.PoissonTable, weight int32) {
	dst = dst[:len(words)]
	for j, u := range words {
		// Adding zero is cheaper than a branch the CPU cannot predict.
		dst[j] += int32(table.Sample(u)) * weight
	}
}

// takePoissonGo is takePoisson in Go.
func takePoissonGo(dst []float64, src []int32, words []uint32, table *rng.PoissonTable, weight int32, scale float64) {
	src, words = src[:len(dst)], words[:len(dst)]
	inv := 1 / scale // a power of two: exact
	for i, u := range words {
		x := src[i] + int32(table.Sample(u))*weight
		src[i] = 0
		dst[i] = float64(x) * inv
	}
}

// addInput adds weight w of a plastic or structural synapse, spiking in
// ring slot base and arriving d steps later, to ring64: to local neuron
// t's excitatory input, or to its inhibitory one when w < 0 and the target
// keeps them apart (one false).
func (e *Engine) addInput(base, d, t int, w float64, one bool) {
	slot := base + d
	if slot >= e.ringLen {
		slot -= e.ringLen
	}
	idx := slot*e.slotLen + t
	if w < 0 && !one {
		idx += e.n
	}
	e.ring64[idx] += int64(w * fix)
}

// deliverConst adds weight w to the ring entries of targets tg (ring
// starts at the slot's first entry of the right half).
func deliverConst[T uint16 | uint32](ring []int32, tg []T, w int32) {
	for _, t := range tg {
		ring[int(t)] += w
	}
}

// deliverSynapses adds weights w of synapses onto targets tg with delays
// dl to the ring slots of their arrival steps; negative weights go to the
// inhibitory half, inhOff further on.
func deliverSynapses[T uint16 | uint32, D uint8 | uint16](ring []int32, tg []T, dl []D, w []float32, base, ringLen, n2, inhOff int, scale float64) {
	for k := range tg {
		slot := base + int(dl[k])
		if slot >= ringLen {
			slot -= ringLen
		}
		idx := slot*n2 + int(tg[k])
		if w[k] < 0 {
			idx += inhOff
		}
		ring[idx] += units(float64(w[k]), scale)
	}
}
