package sim

// Far synapses. The ring must hold every step from the next one to be
// updated up to the latest arrival of the spikes being delivered: with a
// delivery at the end of each exchange interval, maxDelay+minDelay slots.
// Delays have long tails, though (the microcircuit's excitatory delays are
// 1.5 ± 0.75 ms, up to 5.9 ms), and delivery adds to random entries of the
// ring: the smaller it is, the more of it stays in the cache (at full
// scale the ring shrinks from 18.5 to 9.3 MB).
//
// So, for packed rows, the ring holds only ringLen ≈ maxDelay/2+minDelay
// slots. The synapses of a row part whose delay is at least ringLen (far
// synapses, which come last as parts are ordered by delay) are not
// delivered with the spike but farShift steps later, once their arrival
// steps are within the ring; packRows encodes their offsets relative to
// that later step. Sums are integers, so when a synapse is added does not
// change them.

// farPart is the far synapses [a, b) of a packed row part, to be
// delivered at the first exchange at or after step due, into the ring
// slot starting at entry start.
type farPart struct {
	a, b  int64
	due   int64
	start int
}

// farQueue holds a thread's far parts in the order they are due.
type farQueue struct {
	parts []farPart
	head  int
}

// shortRingLen returns the length of the short ring, and whether far
// synapses may be deferred to it: no synapses are plastic or structural
// (which go to ring64 with their own delays) and it is shorter than the
// full ring.
//
// With full = maxDelay+minDelay, a short ring of L slots and far synapses
// (delay d ≥ L) of spikes from an interval ending at step P delivered at
// the first exchange at or after P−1+farShift (farShift = maxDelay−L+1),
// every arrival s+d lies within the L steps from that exchange on when
// 2L ≥ maxDelay+2·minDelay−1: exchanges are at most minDelay steps apart.
func (e *Engine) shortRingLen() (int, bool) {
	maxDelay := e.ringLen - e.minDelay
	short := (maxDelay + 2*e.minDelay) / 2
	return short, e.pl == nil && e.st == nil && short < e.ringLen
}

// useShortRing makes the ring short slots long (shortRingLen) and sets up
// the deferral of far synapses. Constant rows with far delays become
// packed rows (their synapses all have one delay, so they are ordered by
// it), since constant rows are delivered with the spike.
func (e *Engine) useShortRing(short int) {
	for r, c := range e.rowConst {
		if c && int(e.rowDelay[r]) >= short {
			e.rowConst[r] = false
		}
	}
	maxDelay := e.ringLen - e.minDelay
	e.ringLen, e.farShift = short, maxDelay-short+1
	e.partNear = make([]uint32, e.p.Rows()*len(e.chunks))
	e.far = make([]farQueue, len(e.chunks))
}

// queueFar queues synapses [a, b) of thread t's part of a packed row, the
// far ones, of a spike in step step. They are due at the first exchange at
// or after P−1+farShift, P being the step after this interval (e.step, as
// deliver runs), into the ring slot of step step+farShift.
func (e *Engine) queueFar(t int, a, b, step int64) {
	start := int((step+int64(e.farShift))%int64(e.ringLen)) * e.slotLen
	e.far[t].parts = append(e.far[t].parts, farPart{a: a, b: b, due: e.step - 1 + int64(e.farShift), start: start})
}

// deliverFar delivers thread t's far parts that are due at this exchange
// (e.step is the next step to update) and drops them from the queue.
func (e *Engine) deliverFar(t int) {
	q := &e.far[t]
	for q.head < len(q.parts) && q.parts[q.head].due <= e.step {
		f := q.parts[q.head]
		deliverPacked(e.ring, e.packedOff[f.a:f.b], e.packedW[f.a:f.b], f.start)
		q.head++
	}
	if q.head == len(q.parts) {
		q.parts, q.head = q.parts[:0], 0
	} else if q.head > len(q.parts)/2 {
		q.parts = append(q.parts[:0], q.parts[q.head:]...)
		q.head = 0
	}
}
