package sim

import (
	"slices"

	"github.com/snnkit/snnkit/pkg/netfile"
)

// Static rows whose synapses differ in weight or delay are delivered slot by
// slot: setup orders each row's synapses by (thread's target range, delay,
// target), and deliver walks the rows of all spikes of an interval one delay
// at a time, so that the writes of each pass go to one ring slot instead of
// all of them. Input sums are integers, so the order gives the same bits.

// cursor is the next synapse k of a row segment [k, end) still to deliver;
// base is the ring slot of the spike's step and inhOff the offset of the
// inhibitory half (0 for delta targets, which sum both).
type cursor struct {
	k, end       int64
	base, inhOff int
}

// orderRowsByDelay reorders the synapses of the rows deliver walks with
// cursors (static, not constant) and records where each thread's targets
// start in them (rowSplit, with more than one thread).
func (e *Engine) orderRowsByDelay() {
	p := e.p
	threads := len(e.chunks)
	if threads > 1 {
		e.rowSplit = make([]int64, p.Rows()*(threads+1))
	}
	var o orderScratch
	for r := 0; r < p.Rows(); r++ {
		if !e.byDelay(r) {
			continue
		}
		a, b := p.RowStart[r], p.RowStart[r+1]
		cuts := []int64{a}
		for t := 1; t < threads; t++ {
			x, _ := e.segment(a, b, e.chunks[t][0], e.n)
			cuts = append(cuts, x)
		}
		cuts = append(cuts, b)
		if threads > 1 {
			copy(e.rowSplit[r*(threads+1):], cuts)
		}
		for c := 0; c+1 < len(cuts); c++ {
			o.order(p, cuts[c], cuts[c+1])
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

// byDelay reports whether row r is delivered with cursors.
func (e *Engine) byDelay(r int) bool {
	p := e.p
	return p.RowStart[r] < p.RowStart[r+1] && !e.rowConst[r] && !e.isStruct[p.RowProjection[r]] &&
		(e.pl == nil || e.pl.rowPl[r] < 0)
}

// rowPart returns the synapses of row r onto thread t's targets.
func (e *Engine) rowPart(r, t int) (int64, int64) {
	if e.rowSplit == nil {
		return e.p.RowStart[r], e.p.RowStart[r+1]
	}
	i := r*(len(e.chunks)+1) + t
	return e.rowSplit[i], e.rowSplit[i+1]
}

// deliverCursors delivers the row segments cur delay by delay.
func (e *Engine) deliverCursors(cur []cursor) {
	p := e.p
	switch {
	case p.TargetWidth == 2 && p.DelayWidth == 1:
		deliverByDelay(e.ring, p.Target16(), p.Delay, p.Weight, cur, e.ringLen, 2*e.n)
	case p.TargetWidth == 2:
		deliverByDelay(e.ring, p.Target16(), p.Delay16(), p.Weight, cur, e.ringLen, 2*e.n)
	case p.DelayWidth == 1:
		deliverByDelay(e.ring, p.Target32(), p.Delay, p.Weight, cur, e.ringLen, 2*e.n)
	default:
		deliverByDelay(e.ring, p.Target32(), p.Delay16(), p.Weight, cur, e.ringLen, 2*e.n)
	}
}

// deliverByDelay adds the weights of the cursors' synapses (each segment
// ordered by delay) to the ring slots of their arrival steps, one delay at
// a time across all segments.
func deliverByDelay[T uint16 | uint32, D uint8 | uint16](ring []int64, tg []T, dl []D, w []float32, cur []cursor, ringLen, n2 int) {
	d := 1 << 16
	for _, c := range cur {
		d = min(d, int(dl[c.k]))
	}
	for len(cur) > 0 {
		next := 1 << 16
		live := cur[:0]
		for _, c := range cur {
			if int(dl[c.k]) == d {
				slot := c.base + d
				if slot >= ringLen {
					slot -= ringLen
				}
				row := ring[slot*n2 : (slot+1)*n2]
				for {
					idx := int(tg[c.k])
					if w[c.k] < 0 {
						idx += c.inhOff
					}
					row[idx] += int64(float64(w[c.k]) * fix)
					if c.k++; c.k == c.end || int(dl[c.k]) != d {
						break
					}
				}
				if c.k == c.end {
					continue
				}
			}
			next = min(next, int(dl[c.k]))
			live = append(live, c)
		}
		cur, d = live, next
	}
}
