package results

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/schema"
)

// maxStoreRows bounds the rows of one store file (a run has one per rank),
// so that a corrupt row count cannot make the reader allocate without end.
const maxStoreRows = 1 << 24

// ReadParquetFile reads a Parquet file in the store's layout (one written by
// WriteRun or WriteParquet). A file that is not Parquet, lacks the format
// metadata, has another format or version, or lacks a fixed column is an
// error naming the file and what was expected.
func ReadParquetFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read store file: %w", err)
	}
	defer f.Close()
	recs, err := readParquet(f)
	if err != nil {
		return nil, fmt.Errorf("read store file %s: %w", path, err)
	}
	return recs, nil
}

// readParquet reads a store file; errors do not name it.
func readParquet(r parquet.ReaderAtSeeker) (recs []Record, err error) {
	// The Parquet reader may panic on some malformed files; a bad file is
	// an error here, not a crash.
	defer func() {
		if p := recover(); p != nil {
			recs, err = nil, fmt.Errorf("not a readable Parquet file (%v); expected a %s file written by snn-bench", p, StoreFormat)
		}
	}()
	pf, err := file.NewParquetReader(r)
	if err != nil {
		return nil, fmt.Errorf("not a readable Parquet file (%w); expected a %s file written by snn-bench", err, StoreFormat)
	}
	defer pf.Close()
	md := pf.MetaData()
	kv := md.KeyValueMetadata()
	format, version := kv.FindValue(FormatKey), kv.FindValue(FormatVersionKey)
	if format == nil || *format != StoreFormat {
		return nil, fmt.Errorf("metadata %s is %s, expected %q (a results store file written by snn-bench)", FormatKey, quoteOrNone(format), StoreFormat)
	}
	if version == nil || *version != strconv.Itoa(StoreFormatVersion) {
		return nil, fmt.Errorf("metadata %s is %s, expected %q (this snnkit reads version %d)", FormatVersionKey, quoteOrNone(version), strconv.Itoa(StoreFormatVersion), StoreFormatVersion)
	}
	cols, err := readColumns(md.Schema)
	if err != nil {
		return nil, err
	}
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if err := checkPages(r, size, md); err != nil {
		return nil, fmt.Errorf("corrupt Parquet file: %w", err)
	}
	if n := pf.NumRows(); n < 0 || n > maxStoreRows {
		return nil, fmt.Errorf("%d rows, expected 0 to %d", n, maxStoreRows)
	}
	for g := 0; g < pf.NumRowGroups(); g++ {
		rg := pf.RowGroup(g)
		n := rg.NumRows()
		if n < 0 || n > maxStoreRows {
			return nil, fmt.Errorf("row group %d: %d rows, expected 0 to %d", g, n, maxStoreRows)
		}
		for j, c := range cols {
			cr, err := rg.Column(j)
			if err != nil {
				return nil, fmt.Errorf("row group %d column %q: %w", g, c.name, err)
			}
			cells, err := readCells(cr, int(n))
			if err != nil {
				return nil, fmt.Errorf("row group %d column %q: %w", g, c.name, err)
			}
			c.cells = append(c.cells, cells...)
		}
	}
	return assemble(cols)
}

func quoteOrNone(s *string) string {
	if s == nil {
		return "missing"
	}
	return strconv.Quote(*s)
}

// readColumns classifies the file's columns by name and type.
func readColumns(sc *schema.Schema) ([]*column, error) {
	root := sc.Root()
	if root.NumFields() != sc.NumColumns() {
		return nil, fmt.Errorf("nested columns, expected a flat table")
	}
	cols := make([]*column, sc.NumColumns())
	seen := map[string]bool{}
	for j := range cols {
		sc := sc.Column(j)
		name := sc.Name()
		if seen[name] {
			return nil, fmt.Errorf("column %q appears twice", name)
		}
		seen[name] = true
		typ, ok := typeOf(sc)
		if !ok || sc.MaxRepetitionLevel() != 0 {
			return nil, fmt.Errorf("column %q: type %s, expected a single float64 (metric) or string (metadata) value", name, sc)
		}
		c := &column{name: name, typ: typ, key: name}
		want, fixed := colString, true
		switch {
		case name == RunIDColumn:
			c.kind = kindRunID
		case name == RankColumn:
			c.kind, want = kindRank, colInt64
		case strings.HasPrefix(name, ParamColumnPrefix):
			c.kind, c.key = kindParam, strings.TrimPrefix(name, ParamColumnPrefix)
		default:
			c.kind = -1
			for k, cc := range configColumns {
				if cc.name == name {
					c.kind, c.config, want = kindConfig, k, cc.typ
				}
			}
			if c.kind >= 0 {
				break
			}
			fixed = false
			switch typ {
			case colFloat64:
				c.kind = kindMetric
			case colString:
				c.kind = kindMeta
			default:
				return nil, fmt.Errorf("column %q: type %s, expected float64 (a metric) or string (metadata)", name, typ)
			}
		}
		if fixed && typ != want {
			return nil, fmt.Errorf("column %q: type %s, expected %s", name, typ, want)
		}
		cols[j] = c
	}
	for _, name := range append([]string{RunIDColumn, RankColumn}, configNames()...) {
		if !seen[name] {
			return nil, fmt.Errorf("missing column %q (expected columns %s, then param.NAME, metric and metadata columns)", name, fixedNames())
		}
	}
	return cols, nil
}

// typeOf maps a Parquet column's type to a colType.
func typeOf(c *schema.Column) (colType, bool) {
	switch c.PhysicalType() {
	case parquet.Types.ByteArray:
		if c.LogicalType().Equals(schema.StringLogicalType{}) || c.ConvertedType() == schema.ConvertedTypes.UTF8 {
			return colString, true
		}
	case parquet.Types.Int64:
		if lt, ok := c.LogicalType().(*schema.IntLogicalType); ok && !lt.IsSigned() {
			return colUint64, true
		}
		if c.ConvertedType() == schema.ConvertedTypes.Uint64 {
			return colUint64, true
		}
		return colInt64, true
	case parquet.Types.Double:
		return colFloat64, true
	}
	return 0, false
}

// readCells reads n cells of a column chunk; nulls are invalid cells.
func readCells(cr file.ColumnChunkReader, n int) ([]value, error) {
	maxDef := cr.Descriptor().MaxDefinitionLevel()
	cells := make([]value, n)
	switch r := cr.(type) {
	case *file.ByteArrayColumnChunkReader:
		// The values may point into the reader's page buffers: copy them
		// out batch by batch.
		vals, def, err := readLevels(n, r.ReadBatch, func(b []parquet.ByteArray) {
			for i := range b {
				b[i] = append(parquet.ByteArray(nil), b[i]...)
			}
		})
		if err != nil {
			return nil, err
		}
		return cells, fill(cells, def, maxDef, len(vals), func(c *value, k int) { c.s = string(vals[k]) })
	case *file.Int64ColumnChunkReader:
		vals, def, err := readLevels(n, r.ReadBatch, nil)
		if err != nil {
			return nil, err
		}
		return cells, fill(cells, def, maxDef, len(vals), func(c *value, k int) { c.i = vals[k] })
	case *file.Float64ColumnChunkReader:
		vals, def, err := readLevels(n, r.ReadBatch, nil)
		if err != nil {
			return nil, err
		}
		return cells, fill(cells, def, maxDef, len(vals), func(c *value, k int) { c.f = vals[k] })
	}
	return nil, fmt.Errorf("unexpected column reader %T", cr)
}

// readLevels reads n levels of a column chunk with its ReadBatch: the
// values of the non-null cells and every cell's definition level. own, if
// not nil, is called on each batch of values as it is read.
func readLevels[T any](n int, readBatch func(int64, []T, []int16, []int16) (int64, int, error), own func([]T)) ([]T, []int16, error) {
	vals, def := make([]T, n), make([]int16, n)
	var total int64
	nv := 0
	for total < int64(n) {
		t, v, err := readBatch(int64(n)-total, vals[nv:], def[total:], nil)
		if err != nil {
			return nil, nil, err
		}
		if t <= 0 || v < 0 || nv+v > n {
			break
		}
		if own != nil {
			own(vals[nv : nv+v])
		}
		total += t
		nv += v
	}
	if total != int64(n) {
		return nil, nil, fmt.Errorf("%d of %d values (file truncated or corrupt)", total, n)
	}
	return vals[:nv], def, nil
}

// fill marks cells valid where their definition level is the maximum and
// sets them from the k-th of nv values read.
func fill(cells []value, def []int16, maxDef int16, nv int, set func(*value, int)) error {
	k := 0
	for i := range cells {
		if maxDef == 0 || def[i] == maxDef {
			if k >= nv {
				return fmt.Errorf("%d values for more non-null cells (file corrupt)", nv)
			}
			cells[i].valid = true
			set(&cells[i], k)
			k++
		}
	}
	return nil
}

// assemble turns columns back into records.
func assemble(cols []*column) ([]Record, error) {
	n := len(cols[0].cells)
	recs := make([]Record, n)
	for i := range recs {
		recs[i].Metrics, recs[i].Meta = map[string]float64{}, map[string]string{}
	}
	for _, c := range cols {
		if len(c.cells) != n {
			return nil, fmt.Errorf("column %q: %d values, expected %d", c.name, len(c.cells), n)
		}
		for i, v := range c.cells {
			r := &recs[i]
			if !v.valid {
				if c.optional() {
					continue
				}
				return nil, fmt.Errorf("column %q row %d: null, expected a value", c.name, i)
			}
			switch c.kind {
			case kindRunID:
				if v.s == "" {
					return nil, fmt.Errorf("column %q row %d: empty run id", c.name, i)
				}
				r.RunID = v.s
			case kindRank:
				if v.i < 0 || v.i > 1<<31-1 {
					return nil, fmt.Errorf("column %q row %d: rank %d, expected 0 to %d", c.name, i, v.i, 1<<31-1)
				}
				r.Rank = int(v.i)
			case kindConfig:
				configColumns[c.config].set(&r.Config, v)
			case kindParam:
				if r.Config.Params == nil {
					r.Config.Params = map[string]string{}
				}
				r.Config.Params[c.key] = v.s
			case kindMetric:
				r.Metrics[c.key] = v.f
			case kindMeta:
				r.Meta[c.key] = v.s
			}
		}
	}
	return recs, nil
}
