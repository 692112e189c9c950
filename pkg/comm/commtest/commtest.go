// Package commtest is a conformance suite for comm.Comm implementations. It
// is an ordinary package (not a _test file) so that the in-process tests of
// pkg/comm and the MPI tests of pkg/comm/mpi, run under mpirun, share it.
//
// Every rank of a job calls Run with its own communicator; Run makes the
// same sequence of collective calls on every rank and checks every value it
// gets back against what each rank must have sent.
package commtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/comm"
)

// BarrierDelay is how long rank 0 waits before entering the barrier that
// checks that nobody leaves a barrier early: the other ranks must spend at
// least a quarter of it in that barrier.
var BarrierDelay = 200 * time.Millisecond

// maxReports caps the discrepancies one rank reports.
const maxReports = 20

// Run checks c against the comm.Comm contract on whatever number of ranks
// the job has. Every rank must call it, with its own communicator; it may be
// called from any goroutine (it uses only t.Errorf, never t.Fatal).
//
// It checks Allgather with different lengths per rank, empty ones included;
// Alltoall with a different payload for every (sender, receiver) pair, empty
// ones included; Bcast from every root, with the non-roots' data ignored;
// both reductions; that Barrier waits for the last rank; that long runs of
// collectives in a row, without barriers, never mix up rounds; messages of
// hundreds of KiB; that results do not alias the caller's buffers; and that
// bad arguments (Alltoall with Size()+1 parts, a Bcast root out of range)
// are errors that leave the job in step.
//
// A wrong value is reported with t.Errorf and Run goes on, so that all ranks
// keep making the same calls. A collective call that fails ends Run, which
// returns that error: the ranks are then out of step, and the caller must
// end the job (return the error from a comm.RunInProc rank function, which
// aborts the others; Abort an MPI job).
func Run(t testing.TB, c comm.Comm) error {
	s := &suite{t: t, c: c, me: c.Rank(), size: c.Size()}
	if s.size < 1 || s.me < 0 || s.me >= s.size {
		err := fmt.Errorf("rank %d of %d: Rank or Size out of range", s.me, s.size)
		t.Errorf("%v", err)
		return err
	}
	steps := []struct {
		name string
		run  func() error
	}{
		{"barrier", func() error { return s.barrier("first barrier") }},
		{"allgather", s.allgather},
		{"alltoall", s.alltoall},
		{"bcast", s.bcast},
		{"reductions", s.reductions},
		{"barrier waits", s.barrierWaits},
		{"rounds in a row", s.inARow},
		{"large messages", s.large},
		{"bad arguments", s.badArguments},
		{"last barrier", func() error { return s.barrier("last barrier") }},
	}
	for _, st := range steps {
		if err := st.run(); err != nil {
			err = fmt.Errorf("rank %d of %d: %s: %w", s.me, s.size, st.name, err)
			t.Errorf("%v", err)
			return err
		}
	}
	return nil
}

type suite struct {
	t        testing.TB
	c        comm.Comm
	me, size int

	mu      sync.Mutex
	reports int
}

// errorf reports a wrong value, prefixed with the rank.
func (s *suite) errorf(format string, args ...any) {
	s.mu.Lock()
	s.reports++
	n := s.reports
	s.mu.Unlock()
	switch {
	case n < maxReports:
		s.t.Errorf("rank %d of %d: "+format, append([]any{s.me, s.size}, args...)...)
	case n == maxReports:
		s.t.Errorf("rank %d of %d: more discrepancies not shown", s.me, s.size)
	}
}

// Payload kinds: each collective's data says which collective it is for.
const (
	kindGather = iota + 1
	kindToAll
	kindBcast
	kindJunk // what non-roots pass to Bcast
)

// Length classes for payloadLen.
const (
	sizeMixed = iota // 0, short, or up to a few hundred bytes, by pair
	sizeEmpty        // always 0
	sizeLarge        // 64 KiB to 320 KiB, or 0 for some pairs
)

const headerLen = 8

// payload is what rank from sends to rank to (to is from for Allgather and
// the root for Bcast) in round i of collective kind: an 8-byte header
// (kind, from, to, round) then bytes that depend on all of them and on the
// position, cut to n bytes (so short payloads carry part of the header).
func payload(kind, from, to, round, n int) []byte {
	b := make([]byte, max(n, headerLen))
	b[0] = byte(kind)
	binary.LittleEndian.PutUint16(b[1:], uint16(from))
	binary.LittleEndian.PutUint16(b[3:], uint16(to))
	binary.LittleEndian.PutUint16(b[5:], uint16(round))
	b[7] = 0xA5
	h := mix(uint64(kind), uint64(from), uint64(to), uint64(round))
	for k := headerLen; k < len(b); k++ {
		if k%8 == 0 {
			h = mix(h, uint64(k))
		}
		b[k] = byte(h >> (8 * (k % 8)))
	}
	return b[:n]
}

// payloadLen is the length of payload(kind, from, to, round, ·) in a round
// of the given length class.
func payloadLen(class, kind, from, to, round int) int {
	h := mix(uint64(kind), uint64(from), uint64(to), uint64(round), 7)
	switch class {
	case sizeEmpty:
		return 0
	case sizeLarge:
		if h%4 == 0 {
			return 0
		}
		return 64<<10 + int(h>>8)%(256<<10)
	}
	switch h % 5 {
	case 0:
		return 0
	case 1:
		return 1 + int(h>>8)%(headerLen-1) // shorter than the header
	default:
		return headerLen + int(h>>8)%400
	}
}

// mix is a small integer hash (splitmix64 steps).
func mix(xs ...uint64) uint64 {
	h := uint64(0x9E3779B97F4A7C15)
	for _, x := range xs {
		h ^= x + 0x9E3779B97F4A7C15 + h<<6 + h>>2
		h ^= h >> 30
		h *= 0xBF58476D1CE4E5B9
		h ^= h >> 27
		h *= 0x94D049BB133111EB
		h ^= h >> 31
	}
	return h
}

// describe says what a payload looks like, for failure messages.
func describe(b []byte) string {
	if len(b) < headerLen {
		return fmt.Sprintf("%d bytes %x", len(b), b)
	}
	return fmt.Sprintf("%d bytes (kind %d, from %d, to %d, round %d)", len(b), b[0],
		binary.LittleEndian.Uint16(b[1:]), binary.LittleEndian.Uint16(b[3:]), binary.LittleEndian.Uint16(b[5:]))
}

func (s *suite) expect(what string, got, want []byte) {
	if !bytes.Equal(got, want) {
		s.errorf("%s: got %s, want %s", what, describe(got), describe(want))
	}
}

func (s *suite) barrier(what string) error {
	if err := s.c.Barrier(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// gatherRound runs one Allgather and checks it; it also overwrites the
// data passed in afterwards and checks that the result does not change.
func (s *suite) gatherRound(class, round int) error {
	what := fmt.Sprintf("allgather round %d", round)
	data := payload(kindGather, s.me, s.me, round, payloadLen(class, kindGather, s.me, s.me, round))
	got, err := s.c.Allgather(data)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if len(got) != s.size {
		s.errorf("%s: %d parts on %d ranks", what, len(got), s.size)
		return nil
	}
	for i := range data {
		data[i] ^= 0xFF
	}
	for r := range got {
		want := payload(kindGather, r, r, round, payloadLen(class, kindGather, r, r, round))
		s.expect(fmt.Sprintf("%s: part of rank %d", what, r), got[r], want)
	}
	return nil
}

// toAllRound runs one Alltoall and checks it, as gatherRound does.
func (s *suite) toAllRound(class, round int) error {
	what := fmt.Sprintf("alltoall round %d", round)
	send := make([][]byte, s.size)
	for to := range send {
		send[to] = payload(kindToAll, s.me, to, round, payloadLen(class, kindToAll, s.me, to, round))
	}
	got, err := s.c.Alltoall(send)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if len(got) != s.size {
		s.errorf("%s: %d parts on %d ranks", what, len(got), s.size)
		return nil
	}
	for _, b := range send {
		for i := range b {
			b[i] ^= 0xFF
		}
	}
	for from := range got {
		want := payload(kindToAll, from, s.me, round, payloadLen(class, kindToAll, from, s.me, round))
		s.expect(fmt.Sprintf("%s: from rank %d", what, from), got[from], want)
	}
	return nil
}

// bcastRound broadcasts from root; the other ranks pass junk of their own.
func (s *suite) bcastRound(class, root, round int) error {
	what := fmt.Sprintf("bcast from rank %d round %d", root, round)
	n := payloadLen(class, kindBcast, root, root, round)
	var data []byte
	if s.me == root {
		data = payload(kindBcast, root, root, round, n)
	} else {
		data = payload(kindJunk, s.me, root, round, payloadLen(sizeMixed, kindJunk, s.me, root, round))
	}
	got, err := s.c.Bcast(data, root)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	for i := range data {
		data[i] ^= 0xFF
	}
	s.expect(what, got, payload(kindBcast, root, root, round, n))
	return nil
}

// maxValue and sumValue are what rank r contributes to the reductions in
// round i: spread out, negative ones included, sums beyond 32 bits.
func maxValue(r, size, i int) float64 {
	if i%3 == 2 {
		return -1e300 + float64(r) // all negative
	}
	return float64((r*7+i*3)%(size+2))*1.25 - float64(size) + 0.125*float64(i)
}

func sumValue(r, i int) int64 {
	v := int64(r+1)<<33 + int64(r*r) + int64(i)
	if (r+i)%2 == 1 {
		v = -v / 3
	}
	return v
}

func (s *suite) maxRound(i int) error {
	got, err := s.c.AllreduceMaxFloat64(maxValue(s.me, s.size, i))
	if err != nil {
		return fmt.Errorf("allreduce max round %d: %w", i, err)
	}
	want := math.Inf(-1)
	for r := 0; r < s.size; r++ {
		want = math.Max(want, maxValue(r, s.size, i))
	}
	if got != want {
		s.errorf("allreduce max round %d: got %v, want %v", i, got, want)
	}
	return nil
}

func (s *suite) sumRound(i int) error {
	got, err := s.c.AllreduceSumInt64(sumValue(s.me, i))
	if err != nil {
		return fmt.Errorf("allreduce sum round %d: %w", i, err)
	}
	var want int64
	for r := 0; r < s.size; r++ {
		want += sumValue(r, i)
	}
	if got != want {
		s.errorf("allreduce sum round %d: got %d, want %d", i, got, want)
	}
	return nil
}

func (s *suite) allgather() error {
	for i, class := range []int{sizeMixed, sizeEmpty, sizeMixed, sizeMixed} {
		if err := s.gatherRound(class, i); err != nil {
			return err
		}
	}
	return nil
}

func (s *suite) alltoall() error {
	for i, class := range []int{sizeMixed, sizeEmpty, sizeMixed, sizeMixed} {
		if err := s.toAllRound(class, i); err != nil {
			return err
		}
	}
	return nil
}

func (s *suite) bcast() error {
	for i, class := range []int{sizeMixed, sizeEmpty, sizeMixed} {
		for root := 0; root < s.size; root++ {
			if err := s.bcastRound(class, root, i); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *suite) reductions() error {
	for i := 0; i < 4; i++ {
		if err := s.maxRound(i); err != nil {
			return err
		}
		if err := s.sumRound(i); err != nil {
			return err
		}
	}
	return nil
}

// barrierWaits: after a first barrier, rank 0 sleeps before the second; the
// others must not leave the second barrier before rank 0 has entered it.
func (s *suite) barrierWaits() error {
	if err := s.barrier("barrier before the wait"); err != nil {
		return err
	}
	start := time.Now()
	if s.me == 0 {
		time.Sleep(BarrierDelay)
	}
	if err := s.barrier("barrier with rank 0 late"); err != nil {
		return err
	}
	if d := time.Since(start); s.me != 0 && d < BarrierDelay/4 {
		s.errorf("barrier returned after %v, before rank 0 entered it (%v late)", d, BarrierDelay)
	}
	return nil
}

// inARow runs every collective many times back to back, without barriers
// in between, each round with its own payloads and values.
func (s *suite) inARow() error {
	for i := 100; i < 112; i++ {
		class := sizeMixed
		if i%5 == 0 {
			class = sizeEmpty
		}
		if err := s.gatherRound(class, i); err != nil {
			return err
		}
		if err := s.toAllRound(class, i); err != nil {
			return err
		}
		if err := s.bcastRound(class, i%s.size, i); err != nil {
			return err
		}
		if err := s.sumRound(i); err != nil {
			return err
		}
		if err := s.toAllRound(class, i+1000); err != nil {
			return err
		}
		if err := s.maxRound(i); err != nil {
			return err
		}
	}
	// The same collective several times in a row.
	for i := 200; i < 205; i++ {
		if err := s.gatherRound(sizeMixed, i); err != nil {
			return err
		}
	}
	for i := 300; i < 305; i++ {
		if err := s.toAllRound(sizeMixed, i); err != nil {
			return err
		}
	}
	return nil
}

// large sends hundreds of KiB per pair (past MPI's eager limits).
func (s *suite) large() error {
	for i := 400; i < 402; i++ {
		if err := s.gatherRound(sizeLarge, i); err != nil {
			return err
		}
		if err := s.toAllRound(sizeLarge, i); err != nil {
			return err
		}
		if err := s.bcastRound(sizeLarge, (i+1)%s.size, i); err != nil {
			return err
		}
	}
	return nil
}

// badArguments: calls every rank makes wrongly fail on every rank, and the
// next collective still works.
func (s *suite) badArguments() error {
	if _, err := s.c.Alltoall(make([][]byte, s.size+1)); err == nil {
		s.errorf("alltoall with %d parts on %d ranks: no error", s.size+1, s.size)
	}
	for _, root := range []int{-1, s.size} {
		if _, err := s.c.Bcast([]byte("x"), root); err == nil {
			s.errorf("bcast from root %d on %d ranks: no error", root, s.size)
		}
	}
	if err := s.gatherRound(sizeMixed, 500); err != nil {
		return fmt.Errorf("after bad arguments: %w", err)
	}
	return nil
}
