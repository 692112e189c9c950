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
// synapses, which come last as parts are ordered by delay) are not added
// with the spike but farShift steps later, once their arrival steps are
// within the ring; packRows encodes their offsets relative to that later
// step. Sums are integers, so when a synapse is added does not change
// them.

// farQueue holds a thread's far synapses in the order they are due, copied
// when their spike is delivered (while their lines are in the cache) as
// ring entries and weights: batch k, synapses up to batches[k].end, is due
// at the first exchange at or after step batches[k].due. Batches before
// head, synapses before pos, are delivered.
type farQueue struct {
	entry   []uint32
	w       []int32
	batches []farBatch
	head    int
	pos     int
}

// farBatch is the far synapses queued at one exchange.
type farBatch struct {
	due int64
	end int
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
	e.far = make([]farQueue, len(e.chunks))
}

// queueFar queues synapses [a, b) of thread t's part of a packed row, the
// far ones, of a spike in step step. They are due at the first exchange at
// or after P−1+farShift, P being the step after this interval (e.step, as
// deliver runs), into the ring slot of step step+farShift.
func (e *Engine) queueFar(t int, a, b, step int64) {
	q := &e.far[t]
	start := int((step+int64(e.farShift))%int64(e.ringLen)) * e.slotLen
	size := len(e.ring)
	w := e.packedW[a:b]
	for k, o := range e.packedOff[a:b] {
		i := start + int(o)
		if i >= size {
			i -= size
		}
		q.entry = append(q.entry, uint32(i))
		q.w = append(q.w, w[k])
	}
	due := e.step - 1 + int64(e.farShift)
	if n := len(q.batches); n > q.head && q.batches[n-1].due == due {
		q.batches[n-1].end = len(q.entry)
	} else {
		q.batches = append(q.batches, farBatch{due: due, end: len(q.entry)})
	}
}

// deliverFar delivers thread t's far synapses that are due at this
// exchange (e.step is the next step to update) and drops them from the
// queue.
func (e *Engine) deliverFar(t int) {
	q := &e.far[t]
	for q.head < len(q.batches) && q.batches[q.head].due <= e.step {
		end := q.batches[q.head].end
		// Entries are below len(e.ring): nothing wraps from start 0.
		deliverPacked(e.ring, q.entry[q.pos:end], q.w[q.pos:end], 0)
		q.pos = end
		q.head++
	}
	switch {
	case q.head == len(q.batches):
		q.entry, q.w, q.batches, q.head, q.pos = q.entry[:0], q.w[:0], q.batches[:0], 0, 0
	case q.pos > len(q.entry)/2:
		// Move what is queued to the front, so that the queue stays as
		// long as the synapses in flight.
		n := copy(q.entry, q.entry[q.pos:])
		copy(q.w, q.w[q.pos:])
		q.entry, q.w = q.entry[:n], q.w[:n]
		m := copy(q.batches, q.batches[q.head:])
		q.batches = q.batches[:m]
		for k := range q.batches {
			q.batches[k].end -= q.pos
		}
		q.head, q.pos = 0, 0
	}
}
