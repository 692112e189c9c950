package comm

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
)

// world is the state shared by the goroutine ranks of one in-process job.
type world struct {
	size    int
	mu      sync.Mutex
	cond    *sync.Cond
	arrived int
	gen     uint64
	aborted error
	slots   [][][]byte // slots[rank] is what rank deposited for the current collective
}

// InProc is one goroutine rank of an in-process job; see NewInProc.
type InProc struct {
	w    *world
	rank int
}

// NewInProc returns the communicators of an in-process job of size ranks,
// one per goroutine that will act as that rank.
func NewInProc(size int) ([]*InProc, error) {
	if size < 1 {
		return nil, fmt.Errorf("comm: rank count %d: must be at least 1", size)
	}
	w := &world{size: size, slots: make([][][]byte, size)}
	w.cond = sync.NewCond(&w.mu)
	cs := make([]*InProc, size)
	for r := range cs {
		cs[r] = &InProc{w: w, rank: r}
	}
	return cs, nil
}

// Rank is this rank's index.
func (c *InProc) Rank() int { return c.rank }

// Size is the number of ranks.
func (c *InProc) Size() int { return c.w.size }

// Barrier returns when every rank has entered it, or ErrAborted.
func (c *InProc) Barrier() error {
	w := c.w
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.barrierLocked()
}

func (w *world) barrierLocked() error {
	if w.aborted != nil {
		return fmt.Errorf("%w: %v", ErrAborted, w.aborted)
	}
	gen := w.gen
	w.arrived++
	if w.arrived == w.size {
		w.arrived = 0
		w.gen++
		w.cond.Broadcast()
		return nil
	}
	for gen == w.gen && w.aborted == nil {
		w.cond.Wait()
	}
	if gen == w.gen {
		return fmt.Errorf("%w: %v", ErrAborted, w.aborted)
	}
	return nil
}

// exchange deposits this rank's parts, waits for all ranks, and returns, for
// every rank r, a copy of pick(r, parts of r) (nil where pick returns nil).
// The copies are made before the second barrier: until every rank has
// reached it, no rank has returned and reused the buffers it deposited.
func (c *InProc) exchange(parts [][]byte, pick func(from int, parts [][]byte) []byte) ([][]byte, error) {
	w := c.w
	w.mu.Lock()
	defer w.mu.Unlock()
	w.slots[c.rank] = parts
	if err := w.barrierLocked(); err != nil {
		return nil, err
	}
	out := make([][]byte, w.size)
	for r, p := range w.slots {
		if b := pick(r, p); b != nil {
			out[r] = append([]byte{}, b...)
		}
	}
	if err := w.barrierLocked(); err != nil {
		return nil, err
	}
	return out, nil
}

func first(_ int, parts [][]byte) []byte { return parts[0] }

// Allgather returns every rank's data, indexed by rank.
func (c *InProc) Allgather(data []byte) ([][]byte, error) {
	return c.exchange([][]byte{data}, first)
}

// Alltoall sends send[r] to rank r and returns what each rank sent here.
func (c *InProc) Alltoall(send [][]byte) ([][]byte, error) {
	if len(send) != c.w.size {
		return nil, fmt.Errorf("comm: alltoall with %d parts on %d ranks", len(send), c.w.size)
	}
	return c.exchange(send, func(_ int, parts [][]byte) []byte { return parts[c.rank] })
}

// Bcast returns root's data on every rank.
func (c *InProc) Bcast(data []byte, root int) ([]byte, error) {
	if root < 0 || root >= c.w.size {
		return nil, fmt.Errorf("comm: bcast root %d out of range [0,%d)", root, c.w.size)
	}
	all, err := c.exchange([][]byte{data}, func(r int, parts [][]byte) []byte {
		if r != root {
			return nil
		}
		return parts[0]
	})
	if err != nil {
		return nil, err
	}
	return all[root], nil
}

// AllreduceMaxFloat64 returns the maximum of v over all ranks.
func (c *InProc) AllreduceMaxFloat64(v float64) (float64, error) {
	all, err := c.exchange([][]byte{binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))}, first)
	if err != nil {
		return 0, err
	}
	m := v
	for _, p := range all {
		if x := math.Float64frombits(binary.LittleEndian.Uint64(p)); x > m {
			m = x
		}
	}
	return m, nil
}

// AllreduceSumInt64 returns the sum of v over all ranks.
func (c *InProc) AllreduceSumInt64(v int64) (int64, error) {
	all, err := c.exchange([][]byte{binary.LittleEndian.AppendUint64(nil, uint64(v))}, first)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, p := range all {
		sum += int64(binary.LittleEndian.Uint64(p))
	}
	return sum, nil
}

// Abort makes every pending and future collective call fail with ErrAborted.
func (c *InProc) Abort(reason error) {
	w := c.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.aborted == nil {
		w.aborted = fmt.Errorf("rank %d: %w", c.rank, reason)
	}
	w.cond.Broadcast()
}
