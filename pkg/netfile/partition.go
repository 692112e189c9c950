// Package netfile holds the on-disk network format that snn-build writes and
// snn-run reads: per rank, an Arrow IPC file of local neurons and one of
// their incoming synapses grouped by source; and a manifest.json listing
// every file with its size and SHA-256 checksum.
package netfile

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

// FormatVersion is the version of the partition format; readers refuse others.
const FormatVersion = 1

// Partition is one rank's part of a network, in the layout the engine
// loads: local neurons in local-index order, and their incoming synapses in
// rows, one row per (projection, source neuron) with at least one synapse
// here, ordered by projection then source gid; within a row synapses are
// ordered by target.
type Partition struct {
	Rank, Ranks int

	// GID and Population of each local neuron.
	GID        []uint32
	Population []uint16
	// StateNames are the state variables with initial values in State
	// (State[v][i] is variable v of local neuron i).
	StateNames []string
	State      [][]float64
	// SendMask holds, per local neuron, a bitset of the ranks that need its
	// spikes: bit r of byte r/8 of SendMask[i*w:(i+1)*w], w = MaskWidth().
	SendMask []byte

	// Rows: RowProjection and RowSource name each row's projection and
	// source gid; row k's synapses are RowStart[k]:RowStart[k+1].
	RowProjection []uint16
	RowSource     []uint32
	RowStart      []int64

	// Synapses: Target is the local index of the target neuron (TargetWidth
	// 2 or 4 bytes, little endian), Weight in pA (mV for iaf_psc_delta),
	// Delay in steps (DelayWidth 1 or 2 bytes).
	TargetWidth int
	Target      []byte
	Weight      []float32
	DelayWidth  int
	Delay       []byte
}

// MaskWidth is the number of bytes per neuron in SendMask.
func (p *Partition) MaskWidth() int { return MaskWidth(p.Ranks) }

// MaskWidth is the number of bytes of a send mask over ranks ranks.
func MaskWidth(ranks int) int { return (ranks + 7) / 8 }

// Neurons is the number of local neurons.
func (p *Partition) Neurons() int { return len(p.GID) }

// Synapses is the number of local synapses.
func (p *Partition) Synapses() int64 { return int64(len(p.Weight)) }

// Rows is the number of (projection, source) rows.
func (p *Partition) Rows() int { return len(p.RowSource) }

// TargetAt returns the local target index of synapse k.
func (p *Partition) TargetAt(k int64) uint32 {
	if p.TargetWidth == 2 {
		return uint32(binary.LittleEndian.Uint16(p.Target[2*k:]))
	}
	return binary.LittleEndian.Uint32(p.Target[4*k:])
}

// DelayAt returns the delay in steps of synapse k.
func (p *Partition) DelayAt(k int64) uint16 {
	if p.DelayWidth == 1 {
		return uint16(p.Delay[k])
	}
	return binary.LittleEndian.Uint16(p.Delay[2*k:])
}

// Needs reports whether rank r needs the spikes of local neuron i.
func (p *Partition) Needs(i, r int) bool {
	w := p.MaskWidth()
	return p.SendMask[i*w+r/8]&(1<<(r%8)) != 0
}

// TargetWidthFor is the target index width in bytes for n local neurons.
func TargetWidthFor(n int64) int {
	if n <= 1<<16 {
		return 2
	}
	return 4
}

// DelayWidthFor is the delay width in bytes for delays up to maxSteps.
func DelayWidthFor(maxSteps int64) int {
	if maxSteps <= 255 {
		return 1
	}
	return 2
}

// Alloc sizes the synapse arrays for n synapses with the given widths.
func (p *Partition) Alloc(n int64, targetWidth, delayWidth int) {
	p.TargetWidth, p.DelayWidth = targetWidth, delayWidth
	p.Target = make([]byte, n*int64(targetWidth))
	p.Weight = make([]float32, n)
	p.Delay = make([]byte, n*int64(delayWidth))
	adviseHuge(p.Target)
	adviseHuge(asBytes(p.Weight))
	adviseHuge(p.Delay)
}

// Target16 views Target as uint16 (TargetWidth 2).
func (p *Partition) Target16() []uint16 { return castSlice[uint16](p.Target) }

// Target32 views Target as uint32 (TargetWidth 4).
func (p *Partition) Target32() []uint32 { return castSlice[uint32](p.Target) }

// Delay16 views Delay as uint16 (DelayWidth 2).
func (p *Partition) Delay16() []uint16 { return castSlice[uint16](p.Delay) }

// check verifies the internal consistency of p.
func (p *Partition) check() error {
	n := len(p.GID)
	if len(p.Population) != n || len(p.SendMask) != n*p.MaskWidth() {
		return fmt.Errorf("rank %d: neuron columns of different lengths", p.Rank)
	}
	for v, s := range p.State {
		if len(s) != n {
			return fmt.Errorf("rank %d: state %s has %d values for %d neurons", p.Rank, p.StateNames[v], len(s), n)
		}
	}
	rows := len(p.RowSource)
	if len(p.RowProjection) != rows || len(p.RowStart) != rows+1 || p.RowStart[0] != 0 || p.RowStart[rows] != p.Synapses() {
		return fmt.Errorf("rank %d: row index does not cover the %d synapses", p.Rank, p.Synapses())
	}
	if int64(len(p.Target)) != p.Synapses()*int64(p.TargetWidth) || int64(len(p.Delay)) != p.Synapses()*int64(p.DelayWidth) {
		return fmt.Errorf("rank %d: synapse columns of different lengths", p.Rank)
	}
	return nil
}

// castSlice reinterprets a little-endian byte slice as a slice of T.
func castSlice[T any](b []byte) []T {
	var zero T
	size := int(unsafe.Sizeof(zero))
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), len(b)/size)
}

// asBytes views a slice as its bytes (little endian on every supported platform).
func asBytes[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var zero T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(zero)))
}
