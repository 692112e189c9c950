package netfile

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Table names, stored under the schema metadata key snnkit.table.
const (
	TableNeurons  = "neurons"
	TableSynapses = "synapses"
)

// Schema metadata keys.
const (
	MetaFormatVersion = "snnkit.format_version"
	MetaTable         = "snnkit.table"
	MetaModelDigest   = "snnkit.model_digest"
	MetaSeed          = "snnkit.seed"
	MetaRank          = "snnkit.rank"
	MetaRanks         = "snnkit.ranks"
)

// Header identifies the network a partition file belongs to.
type Header struct {
	ModelDigest string
	Seed        uint64
	Rank, Ranks int
}

func (h Header) metadata(table string) arrow.Metadata {
	return arrow.NewMetadata(
		[]string{MetaFormatVersion, MetaTable, MetaModelDigest, MetaSeed, MetaRank, MetaRanks},
		[]string{strconv.Itoa(FormatVersion), table, h.ModelDigest, strconv.FormatUint(h.Seed, 10), strconv.Itoa(h.Rank), strconv.Itoa(h.Ranks)})
}

// FileName returns the name of rank's file holding table.
func FileName(rank int, table string) string { return fmt.Sprintf("rank-%05d.%s.arrow", rank, table) }

func uintType(width int) arrow.DataType {
	switch width {
	case 1:
		return arrow.PrimitiveTypes.Uint8
	case 2:
		return arrow.PrimitiveTypes.Uint16
	}
	return arrow.PrimitiveTypes.Uint32
}

// NeuronSchema is the schema of a neurons file: gid (uint32), population
// (uint16, index into the manifest's populations), one float64 column per
// state variable with its initial value, and send_mask (fixed-size binary:
// bit r set when rank r needs the neuron's spikes).
func NeuronSchema(h Header, stateNames []string) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "gid", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "population", Type: arrow.PrimitiveTypes.Uint16},
	}
	for _, s := range stateNames {
		fields = append(fields, arrow.Field{Name: s, Type: arrow.PrimitiveTypes.Float64})
	}
	fields = append(fields, arrow.Field{Name: "send_mask", Type: &arrow.FixedSizeBinaryType{ByteWidth: MaskWidth(h.Ranks)}})
	md := h.metadata(TableNeurons)
	return arrow.NewSchema(fields, &md)
}

// SynapseSchema is the schema of a synapses file: one row per (projection,
// source) with projection (uint16, index into the manifest's projections),
// source (uint32 gid) and synapses: a list of {target (local index, uint16
// or uint32), weight (float32), delay (steps, uint8 or uint16)}.
func SynapseSchema(h Header, targetWidth, delayWidth int) *arrow.Schema {
	syn := arrow.StructOf(
		arrow.Field{Name: "target", Type: uintType(targetWidth)},
		arrow.Field{Name: "weight", Type: arrow.PrimitiveTypes.Float32},
		arrow.Field{Name: "delay", Type: uintType(delayWidth)},
	)
	md := h.metadata(TableSynapses)
	return arrow.NewSchema([]arrow.Field{
		{Name: "projection", Type: arrow.PrimitiveTypes.Uint16},
		{Name: "source", Type: arrow.PrimitiveTypes.Uint32},
		{Name: "synapses", Type: arrow.ListOfNonNullable(syn)},
	}, &md)
}

// WriteOptions tune how partition files are written.
type WriteOptions struct {
	// Compression is "", "none", "zstd" or "lz4" (Arrow IPC buffer compression).
	Compression string
	// BatchSynapses bounds the synapses per record batch (default 1<<22),
	// which bounds the memory a reader needs beyond the partition itself.
	BatchSynapses int64
}

// Compressions lists the accepted WriteOptions.Compression values.
var Compressions = []string{"none", "zstd", "lz4"}

func (o WriteOptions) ipcOptions(schema *arrow.Schema) ([]ipc.Option, error) {
	opts := []ipc.Option{ipc.WithSchema(schema)}
	switch o.Compression {
	case "", "none":
	case "zstd":
		opts = append(opts, ipc.WithZstd())
	case "lz4":
		opts = append(opts, ipc.WithLZ4())
	default:
		return nil, fmt.Errorf("unknown compression %q (accepted: none, zstd, lz4)", o.Compression)
	}
	return opts, nil
}

// WriteRank writes p's two files into dir and returns their manifest entries.
func WriteRank(dir string, p *Partition, h Header, o WriteOptions) ([]FileEntry, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	h.Rank, h.Ranks = p.Rank, p.Ranks
	ne, err := writeFile(filepath.Join(dir, FileName(p.Rank, TableNeurons)), NeuronSchema(h, p.StateNames), o, func(emit func(arrow.Record) error) error {
		return emit(neuronRecord(NeuronSchema(h, p.StateNames), p))
	})
	if err != nil {
		return nil, err
	}
	ne.Rows = int64(p.Neurons())
	schema := SynapseSchema(h, p.TargetWidth, p.DelayWidth)
	se, err := writeFile(filepath.Join(dir, FileName(p.Rank, TableSynapses)), schema, o, func(emit func(arrow.Record) error) error {
		return synapseRecords(schema, p, o.BatchSynapses, emit)
	})
	if err != nil {
		return nil, err
	}
	se.Rows = int64(p.Rows())
	return []FileEntry{ne, se}, nil
}

// hashWriter counts and hashes what passes through to w; the Arrow file
// writer only asks it for its current position.
type hashWriter struct {
	w   *bufio.Writer
	h   hash.Hash
	pos int64
}

func (hw *hashWriter) Write(b []byte) (int, error) {
	n, err := hw.w.Write(b)
	hw.h.Write(b[:n])
	hw.pos += int64(n)
	return n, err
}

func (hw *hashWriter) Seek(offset int64, whence int) (int64, error) {
	if offset == 0 && whence == io.SeekCurrent {
		return hw.pos, nil
	}
	return 0, errors.New("netfile: hashWriter only reports its position")
}

func writeFile(path string, schema *arrow.Schema, o WriteOptions, records func(emit func(arrow.Record) error) error) (FileEntry, error) {
	fail := func(err error) (FileEntry, error) { return FileEntry{}, fmt.Errorf("write %s: %w", path, err) }
	opts, err := o.ipcOptions(schema)
	if err != nil {
		return fail(err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	hw := &hashWriter{w: bufio.NewWriterSize(f, 1<<20), h: sha256.New()}
	fw, err := ipc.NewFileWriter(hw, opts...)
	if err != nil {
		return fail(err)
	}
	if err := records(func(r arrow.Record) error { defer r.Release(); return fw.Write(r) }); err != nil {
		return fail(err)
	}
	if err := fw.Close(); err != nil {
		return fail(err)
	}
	if err := hw.w.Flush(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		return fail(err)
	}
	return FileEntry{Name: filepath.Base(path), Bytes: hw.pos, SHA256: hex.EncodeToString(hw.h.Sum(nil))}, nil
}

func buf(b []byte) *memory.Buffer { return memory.NewBufferBytes(b) }

func primitive(t arrow.DataType, n int, b []byte) arrow.ArrayData {
	return array.NewData(t, n, []*memory.Buffer{nil, buf(b)}, nil, 0, 0)
}

func neuronRecord(schema *arrow.Schema, p *Partition) arrow.Record {
	n := p.Neurons()
	data := []arrow.ArrayData{
		primitive(arrow.PrimitiveTypes.Uint32, n, asBytes(p.GID)),
		primitive(arrow.PrimitiveTypes.Uint16, n, asBytes(p.Population)),
	}
	for _, s := range p.State {
		data = append(data, primitive(arrow.PrimitiveTypes.Float64, n, asBytes(s)))
	}
	data = append(data, primitive(&arrow.FixedSizeBinaryType{ByteWidth: p.MaskWidth()}, n, p.SendMask))
	return record(schema, data, n)
}

func record(schema *arrow.Schema, data []arrow.ArrayData, n int) arrow.Record {
	cols := make([]arrow.Array, len(data))
	for i, d := range data {
		cols[i] = array.MakeFromData(d)
	}
	rec := array.NewRecord(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// synapseRecords emits p's rows in batches of about batch synapses, split at
// row boundaries, each with its own zero-based list offsets; the synapse
// columns are handed to Arrow without copying.
func synapseRecords(schema *arrow.Schema, p *Partition, batch int64, emit func(arrow.Record) error) error {
	if batch <= 0 {
		batch = 1 << 22
	}
	listType := schema.Field(2).Type.(*arrow.ListType)
	structType := listType.Elem().(*arrow.StructType)
	rows := p.Rows()
	for lo := 0; lo < rows || (lo == 0 && rows == 0); {
		hi := lo
		for hi < rows && (hi == lo || p.RowStart[hi+1]-p.RowStart[lo] <= batch) {
			hi++
		}
		s0, s1 := p.RowStart[lo], p.RowStart[hi]
		if s1-s0 > 1<<31-1 {
			return fmt.Errorf("row of source %d has %d synapses on one rank: more than a list can hold", p.RowSource[lo], s1-s0)
		}
		offsets := make([]int32, hi-lo+1)
		for k := lo; k <= hi; k++ {
			offsets[k-lo] = int32(p.RowStart[k] - s0)
		}
		n := int(s1 - s0)
		tw, dw := int64(p.TargetWidth), int64(p.DelayWidth)
		st := array.NewData(structType, n, []*memory.Buffer{nil}, []arrow.ArrayData{
			primitive(uintType(p.TargetWidth), n, p.Target[s0*tw:s1*tw]),
			primitive(arrow.PrimitiveTypes.Float32, n, asBytes(p.Weight[s0:s1])),
			primitive(uintType(p.DelayWidth), n, p.Delay[s0*dw:s1*dw]),
		}, 0, 0)
		list := array.NewData(listType, hi-lo, []*memory.Buffer{nil, buf(asBytes(offsets))}, []arrow.ArrayData{st}, 0, 0)
		data := []arrow.ArrayData{
			primitive(arrow.PrimitiveTypes.Uint16, hi-lo, asBytes(p.RowProjection[lo:hi])),
			primitive(arrow.PrimitiveTypes.Uint32, hi-lo, asBytes(p.RowSource[lo:hi])),
			list,
		}
		if err := emit(record(schema, data, hi-lo)); err != nil {
			return err
		}
		if rows == 0 {
			break
		}
		lo = hi
	}
	return nil
}
