package sim

import (
	"math"
	"slices"
	"sort"
	"unsafe"

	"github.com/snnkit/snnkit/pkg/netfile"
)

// Static rows whose synapses differ in weight or delay are ordered at load
// by (thread's target range, delay, target): delivering such a row then
// writes the ring slot by slot, in order, rather than all over the ring.
// Input sums are integers, so the order gives the same bits.

// splitRows records where each thread's targets start in each row, with
// more than one thread (rowSplit).
func (e *Engine) splitRows() {
	threads := len(e.chunks)
	if threads == 1 {
		return
	}
	p := e.p
	e.rowSplit = make([]int64, p.Rows()*(threads+1))
	for r := 0; r < p.Rows(); r++ {
		a, b := p.RowStart[r], p.RowStart[r+1]
		cuts := e.rowSplit[r*(threads+1) : (r+1)*(threads+1)]
		cuts[0], cuts[threads] = a, b
		for t := 1; t < threads; t++ {
			// Rows are ordered by target when they are read.
			lo := e.chunks[t][0]
			cuts[t] = a + int64(sort.Search(int(b-a), func(k int) bool { return int(p.TargetAt(a+int64(k))) >= lo }))
		}
	}
}

// orderRowsByDelay orders each thread's part of the rows that deliverRow
// walks (static, not constant) by delay; rowSplit stays valid.
func (e *Engine) orderRowsByDelay() {
	var o orderScratch
	for r := 0; r < e.p.Rows(); r++ {
		if !e.byDelay(r) {
			continue
		}
		for t := range e.chunks {
			a, b := e.rowPart(r, t)
			o.order(e.p, a, b)
		}
	}
}

// orderScratch holds the buffers of order between rows.
type orderScratch struct {
	delay []uint16
	perm  []int32
	count []int32
	t16   []uint16
	t32   []uint32
	d8    []uint8
	d16   []uint16
	w     []float32
}

// order sorts synapses [x, y) of p stably by delay (a counting sort), so
// that targets stay in order within a delay.
func (o *orderScratch) order(p *netfile.Partition, x, y int64) {
	if y-x < 2 {
		return
	}
	o.delay = o.delay[:0]
	lo, hi := uint16(1<<16-1), uint16(0)
	for k := x; k < y; k++ {
		d := p.DelayAt(k)
		o.delay = append(o.delay, d)
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo == hi {
		return
	}
	o.count = slices.Grow(o.count[:0], int(hi-lo)+2)[:int(hi-lo)+2]
	clear(o.count)
	for _, d := range o.delay {
		o.count[d-lo+1]++
	}
	for i := 1; i < len(o.count); i++ {
		o.count[i] += o.count[i-1]
	}
	o.perm = slices.Grow(o.perm[:0], len(o.delay))[:len(o.delay)]
	for i, d := range o.delay {
		o.perm[o.count[d-lo]] = int32(i)
		o.count[d-lo]++
	}
	if p.TargetWidth == 2 {
		o.t16 = permute(p.Target16()[x:y], o.perm, o.t16)
	} else {
		o.t32 = permute(p.Target32()[x:y], o.perm, o.t32)
	}
	if p.DelayWidth == 1 {
		o.d8 = permute(p.Delay[x:y], o.perm, o.d8)
	} else {
		o.d16 = permute(p.Delay16()[x:y], o.perm, o.d16)
	}
	o.w = permute(p.Weight[x:y], o.perm, o.w)
}

// permute rearranges s so that its i-th element is the former s[perm[i]],
// using (and returning) buf as scratch.
func permute[T any](s []T, perm []int32, buf []T) []T {
	buf = append(buf[:0], s...)
	for i, k := range perm {
		s[i] = buf[k]
	}
	return buf
}

// byDelay reports whether row r is ordered by delay.
func (e *Engine) byDelay(r int) bool {
	return e.p.RowStart[r] < e.p.RowStart[r+1] && e.static(r) && !e.rowConst[r]
}

// rowPart returns the synapses of row r onto thread t's targets, until
// listParts lists them (srcParts) and drops rowSplit.
func (e *Engine) rowPart(r, t int) (int64, int64) {
	if e.rowSplit == nil {
		return e.p.RowStart[r], e.p.RowStart[r+1]
	}
	i := r*(len(e.chunks)+1) + t
	return e.rowSplit[i], e.rowSplit[i+1]
}

// packRows re-encodes in place, with 32-bit targets, the synapses of the
// rows that deliverRow walks: each target becomes its ring entry's offset
// from the first entry of the spike's slot (delay·slotLen + target, + n
// for inhibitory input kept apart) and each weight its value in ring
// units, so that delivering a synapse is one addition. With a short ring
// (far.go), far synapses' offsets count from their delivery, farShift
// steps after the spike, and it returns, for listParts, the number of near
// synapses that start each thread's part of each row (near[r·threads+t];
// nil without far synapses). The partition's targets and weights of those
// rows mean nothing else afterwards; nothing reads them but deliverRow.
func (e *Engine) packRows() (near []uint32) {
	p := e.p
	if p.TargetWidth != 4 || p.Synapses() == 0 {
		return nil
	}
	// Offsets index the ring the rows are packed for: the short one where
	// it may be used (far.go).
	ringLen, short := e.shortRingLen()
	if !short {
		ringLen = e.ringLen
	}
	if uint64(ringLen)*uint64(e.slotLen) > math.MaxUint32 {
		return nil
	}
	threads := len(e.chunks)
	if short {
		e.useShortRing(ringLen)
		near = make([]uint32, p.Rows()*threads)
	}
	tg, w := p.Target32(), p.Weight
	// The weights' storage holds int32 units from here on.
	wq := unsafe.Slice((*int32)(unsafe.Pointer(&w[0])), len(w))
	for r := 0; r < p.Rows(); r++ {
		if !e.byDelay(r) {
			continue
		}
		inhOff := e.n
		if e.rowOne[r] {
			inhOff = 0
		}
		for t := 0; t < threads; t++ {
			a, b := e.rowPart(r, t)
			for k := a; k < b; k++ {
				d := int(p.DelayAt(k))
				switch {
				case e.farShift == 0:
				case d >= e.ringLen:
					d -= e.farShift
				default:
					near[r*threads+t]++ // near synapses come first
				}
				off := d*e.slotLen + int(tg[k])
				if w[k] < 0 {
					off += inhOff
				}
				u := units(float64(w[k]), e.scale)
				tg[k], wq[k] = uint32(off), u
			}
		}
	}
	e.packedOff, e.packedW = tg, wq
	return near
}

// deliverRow adds the weights of synapses [a, b) of row r, thread t's
// part of it, of a spike in step step (ring slot base) to the ring slots
// of their arrival steps; in a packed row, those from k on are far
// synapses (far.go), which it queues.
func (e *Engine) deliverRow(r int32, t int, a, k, b, step int64, base int) {
	if e.packedOff != nil {
		deliverPacked(e.ring, e.packedOff[a:k], e.packedW[a:k], base*e.slotLen)
		if k < b {
			e.queueFar(t, k, b, step)
		}
		return
	}
	p := e.p
	inhOff := e.n
	if e.rowOne[r] {
		inhOff = 0
	}
	switch {
	case p.TargetWidth == 2 && p.DelayWidth == 1:
		deliverSynapses(e.ring, p.Target16()[a:b], p.Delay[a:b], p.Weight[a:b], base, e.ringLen, e.slotLen, inhOff, e.scale)
	case p.TargetWidth == 2:
		deliverSynapses(e.ring, p.Target16()[a:b], p.Delay16()[a:b], p.Weight[a:b], base, e.ringLen, e.slotLen, inhOff, e.scale)
	case p.DelayWidth == 1:
		deliverSynapses(e.ring, p.Target32()[a:b], p.Delay[a:b], p.Weight[a:b], base, e.ringLen, e.slotLen, inhOff, e.scale)
	default:
		deliverSynapses(e.ring, p.Target32()[a:b], p.Delay16()[a:b], p.Weight[a:b], base, e.ringLen, e.slotLen, inhOff, e.scale)
	}
}
