package netfile

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/ipc"
)

// ReadRank loads rank r's partition from dir, checking each file's size
// against the manifest and its schema metadata against the network.
func ReadRank(dir string, m *Manifest, r int) (*Partition, error) {
	p := &Partition{Rank: r, Ranks: m.Ranks}
	want := m.Header(r)
	ne, err := m.File(r, TableNeurons)
	if err != nil {
		return nil, err
	}
	se, err := m.File(r, TableSynapses)
	if err != nil {
		return nil, err
	}
	if err := readTable(dir, ne, want, TableNeurons, func(s *arrow.Schema, rec arrow.Record) error { return p.appendNeurons(s, rec) }); err != nil {
		return nil, err
	}
	syn := m.RankEntries[r].Synapses
	p.RowStart = append(make([]int64, 0, se.Rows+1), 0)
	p.RowProjection = make([]uint16, 0, se.Rows)
	p.RowSource = make([]uint32, 0, se.Rows)
	first := true
	if err := readTable(dir, se, want, TableSynapses, func(s *arrow.Schema, rec arrow.Record) error {
		if first {
			st := s.Field(2).Type.(*arrow.ListType).Elem().(*arrow.StructType)
			p.Alloc(syn, widthOf(st.Field(0).Type), widthOf(st.Field(2).Type))
			p.Weight = p.Weight[:0]
			p.Target, p.Delay = p.Target[:0], p.Delay[:0]
			first = false
		}
		return p.appendSynapses(rec)
	}); err != nil {
		return nil, err
	}
	if first { // no batches: an empty partition
		p.Alloc(0, 2, 1)
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("read rank %d from %s: %w", r, dir, err)
	}
	return p, nil
}

func widthOf(t arrow.DataType) int {
	switch t.ID() {
	case arrow.UINT8:
		return 1
	case arrow.UINT16:
		return 2
	}
	return 4
}

// openTable opens one partition file after checking its size against the
// manifest and its schema metadata against want.
func openTable(dir string, fe FileEntry, want Header) (*os.File, *ipc.FileReader, error) {
	path := filepath.Join(dir, fe.Name)
	if err := fe.verify(dir, false); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	rd, err := ipc.NewFileReader(f)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("read %s: not an Arrow IPC file: %w", path, err)
	}
	if err := checkSchema(rd.Schema(), want, fe.Table); err != nil {
		rd.Close()
		f.Close()
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	return f, rd, nil
}

func readTable(dir string, fe FileEntry, want Header, table string, each func(*arrow.Schema, arrow.Record) error) error {
	if fe.Table != table {
		return fmt.Errorf("read %s: the manifest lists it as %q, want %q", fe.Name, fe.Table, table)
	}
	f, rd, err := openTable(dir, fe, want)
	if err != nil {
		return err
	}
	defer f.Close()
	defer rd.Close()
	for i := 0; i < rd.NumRecords(); i++ {
		rec, err := rd.RecordAt(i)
		if err != nil {
			return fmt.Errorf("read %s: batch %d: %w", fe.Name, i, err)
		}
		err = each(rd.Schema(), rec)
		rec.Release()
		if err != nil {
			return fmt.Errorf("read %s: batch %d: %w", fe.Name, i, err)
		}
		if table == TableSynapses {
			// The batch has been copied into the partition: collect it now,
			// so loading needs about one batch beyond the partition.
			runtime.GC()
		}
	}
	return nil
}

// checkSchema compares a file's metadata with what the manifest expects.
func checkSchema(s *arrow.Schema, want Header, table string) error {
	md := s.Metadata()
	get := func(k string) string {
		if i := md.FindKey(k); i >= 0 {
			return md.Values()[i]
		}
		return ""
	}
	checks := []struct{ key, want string }{
		{MetaFormatVersion, strconv.Itoa(FormatVersion)},
		{MetaTable, table},
		{MetaModelDigest, want.ModelDigest},
		{MetaSeed, strconv.FormatUint(want.Seed, 10)},
		{MetaRank, strconv.Itoa(want.Rank)},
		{MetaRanks, strconv.Itoa(want.Ranks)},
	}
	for _, c := range checks {
		if got := get(c.key); got != c.want {
			return fmt.Errorf("schema metadata %s is %q, the manifest expects %q: the file belongs to another network or rank", c.key, got, c.want)
		}
	}
	return nil
}

func (p *Partition) appendNeurons(s *arrow.Schema, rec arrow.Record) error {
	nc := int(rec.NumCols())
	if nc < 3 || s.Field(0).Name != "gid" || s.Field(1).Name != "population" || s.Field(nc-1).Name != "send_mask" {
		return fmt.Errorf("unexpected neuron columns %v", s.Fields())
	}
	gid, ok1 := rec.Column(0).(*array.Uint32)
	pop, ok2 := rec.Column(1).(*array.Uint16)
	mask, ok3 := rec.Column(nc - 1).(*array.FixedSizeBinary)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("unexpected neuron column types %v", s.Fields())
	}
	if w := mask.DataType().(*arrow.FixedSizeBinaryType).ByteWidth; w != p.MaskWidth() {
		return fmt.Errorf("send_mask is %d bytes wide, %d ranks need %d", w, p.Ranks, p.MaskWidth())
	}
	p.GID = append(p.GID, gid.Uint32Values()...)
	p.Population = append(p.Population, pop.Uint16Values()...)
	if p.StateNames == nil {
		for i := 2; i < nc-1; i++ {
			p.StateNames = append(p.StateNames, s.Field(i).Name)
		}
		p.State = make([][]float64, len(p.StateNames))
	}
	for v := range p.StateNames {
		col, ok := rec.Column(2 + v).(*array.Float64)
		if !ok {
			return fmt.Errorf("state column %s is %s, want float64", p.StateNames[v], rec.Column(2+v).DataType())
		}
		p.State[v] = append(p.State[v], col.Float64Values()...)
	}
	for i := 0; i < mask.Len(); i++ {
		p.SendMask = append(p.SendMask, mask.Value(i)...)
	}
	return nil
}

func (p *Partition) appendSynapses(rec arrow.Record) error {
	proj, ok1 := rec.Column(0).(*array.Uint16)
	src, ok2 := rec.Column(1).(*array.Uint32)
	list, ok3 := rec.Column(2).(*array.List)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("unexpected synapse columns %v", rec.Schema().Fields())
	}
	st, ok := list.ListValues().(*array.Struct)
	if !ok || st.NumField() != 3 {
		return fmt.Errorf("synapses column is %s, want list<struct<target, weight, delay>>", list.DataType())
	}
	w, ok := st.Field(1).(*array.Float32)
	if !ok {
		return fmt.Errorf("weight column is %s, want float32", st.Field(1).DataType())
	}
	offsets := list.Offsets()
	base := p.RowStart[len(p.RowStart)-1]
	p.RowProjection = append(p.RowProjection, proj.Uint16Values()...)
	p.RowSource = append(p.RowSource, src.Uint32Values()...)
	for _, o := range offsets[1:] {
		p.RowStart = append(p.RowStart, base+int64(o-offsets[0]))
	}
	lo, hi := int(offsets[0]), int(offsets[len(offsets)-1])
	p.Weight = append(p.Weight, w.Float32Values()[lo:hi]...)
	var err error
	if p.Target, err = appendUint(p.Target, st.Field(0), p.TargetWidth, lo, hi); err != nil {
		return fmt.Errorf("target: %w", err)
	}
	if p.Delay, err = appendUint(p.Delay, st.Field(2), p.DelayWidth, lo, hi); err != nil {
		return fmt.Errorf("delay: %w", err)
	}
	return nil
}

func appendUint(dst []byte, a arrow.Array, width, lo, hi int) ([]byte, error) {
	switch c := a.(type) {
	case *array.Uint8:
		if width == 1 {
			return append(dst, c.Uint8Values()[lo:hi]...), nil
		}
	case *array.Uint16:
		if width == 2 {
			return append(dst, asBytes(c.Uint16Values()[lo:hi])...), nil
		}
	case *array.Uint32:
		if width == 4 {
			return append(dst, asBytes(c.Uint32Values()[lo:hi])...), nil
		}
	}
	return nil, fmt.Errorf("column type %s changed between batches (want %d-byte unsigned)", a.DataType(), width)
}
