package results

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/arrow/go/v15/parquet/schema"
)

// The store's files are written with the Parquet library of Arrow Go
// (parquet/file), not through its Arrow adapter (pqarrow): the adapter pulls
// in Arrow's compute kernels and Flight (gRPC) (go list -deps
// github.com/apache/arrow/go/v15/parquet/pqarrow | grep -e flight -e grpc),
// about 30 MB more in every binary that imports this package, snn-run
// included (a main that imports parquet/file: 10.5 MB; one that also
// imports pqarrow: 43.6 MB; go build, Arrow Go v15.0.2, go1.26 linux/amd64).

// StoreFormat and StoreFormatVersion name the layout of the store's Parquet
// files; they are in each file's key-value metadata under FormatKey and
// FormatVersionKey, and ReadStore refuses files without them.
const (
	StoreFormat        = "snnkit-results"
	StoreFormatVersion = 1
	FormatKey          = "snnkit.format"
	FormatVersionKey   = "snnkit.format_version"
)

// ParamColumnPrefix starts the column of each model parameter ("param.N").
const ParamColumnPrefix = "param."

// RunIDColumn and RankColumn are the columns of the run's id and the rank.
const (
	RunIDColumn = "run_id"
	RankColumn  = "rank"
)

// colType is a column's value type; each maps to one Parquet type.
type colType int

const (
	colString  colType = iota // BYTE_ARRAY, logical STRING
	colInt64                  // INT64, logical INT(64, signed)
	colUint64                 // INT64, logical INT(64, unsigned)
	colFloat64                // DOUBLE
)

func (t colType) String() string {
	return [...]string{"string (BYTE_ARRAY STRING)", "int64 (INT64)", "uint64 (INT64 UINT_64)", "float64 (DOUBLE)"}[t]
}

// configColumn is a RunConfig field as a column.
type configColumn struct {
	name string
	typ  colType
	get  func(*RunConfig) value
	set  func(*RunConfig, value)
}

// configColumns are the RunConfig fields as columns, in file order.
var configColumns = []configColumn{
	{"benchmark", colString, func(c *RunConfig) value { return value{s: c.Benchmark} }, func(c *RunConfig, v value) { c.Benchmark = v.s }},
	{"machine", colString, func(c *RunConfig) value { return value{s: c.Machine} }, func(c *RunConfig, v value) { c.Machine = v.s }},
	{"model", colString, func(c *RunConfig) value { return value{s: c.Model} }, func(c *RunConfig, v value) { c.Model = v.s }},
	{"seed", colUint64, func(c *RunConfig) value { return value{i: int64(c.Seed)} }, func(c *RunConfig, v value) { c.Seed = uint64(v.i) }},
	{"ranks", colInt64, func(c *RunConfig) value { return value{i: int64(c.Ranks)} }, func(c *RunConfig, v value) { c.Ranks = int(v.i) }},
	{"threads", colInt64, func(c *RunConfig) value { return value{i: int64(c.Threads)} }, func(c *RunConfig, v value) { c.Threads = int(v.i) }},
	{"backend", colString, func(c *RunConfig) value { return value{s: c.Backend} }, func(c *RunConfig, v value) { c.Backend = v.s }},
	{"comm", colString, func(c *RunConfig) value { return value{s: c.Comm} }, func(c *RunConfig, v value) { c.Comm = v.s }},
	{"scaling", colString, func(c *RunConfig) value { return value{s: c.Scaling} }, func(c *RunConfig, v value) { c.Scaling = v.s }},
	{"t_presim", colFloat64, func(c *RunConfig) value { return value{f: c.TPresim} }, func(c *RunConfig, v value) { c.TPresim = v.f }},
	{"t_sim", colFloat64, func(c *RunConfig) value { return value{f: c.TSim} }, func(c *RunConfig, v value) { c.TSim = v.f }},
}

// value is one cell; which field holds it depends on the column's type.
type value struct {
	s     string
	i     int64
	f     float64
	valid bool
}

// column kinds of a store file
type colKind int

const (
	kindRunID colKind = iota
	kindConfig
	kindParam
	kindRank
	kindMetric
	kindMeta
)

// column is one column of a store file with its cells.
type column struct {
	name   string
	typ    colType
	kind   colKind
	config int // index in configColumns for kindConfig
	key    string
	cells  []value
}

func (c *column) optional() bool {
	return c.kind == kindParam || c.kind == kindMetric || c.kind == kindMeta
}

// reserved reports whether name is a fixed column or a parameter column,
// which a metric or metadata key may not be.
func reserved(name string) bool {
	if name == RunIDColumn || name == RankColumn || strings.HasPrefix(name, ParamColumnPrefix) {
		return true
	}
	return slices.ContainsFunc(configColumns, func(c configColumn) bool { return c.name == name })
}

// configNames are the names of configColumns, in file order.
func configNames() []string {
	s := make([]string, len(configColumns))
	for i, c := range configColumns {
		s[i] = c.name
	}
	return s
}

// fixedNames lists the fixed columns in file order, for error messages.
func fixedNames() string {
	names := append(append([]string{RunIDColumn}, configNames()...), RankColumn)
	return strings.Join(names, ", ")
}

// WriteParquet writes records as one Parquet file in the store's layout
// (see the package comment): one row per record, the union of the records'
// parameter, metric and metadata names as columns, null where a record
// lacks one. Metric and metadata names must be non-empty, distinct from
// each other and from the fixed columns, and may not start with "param.".
func WriteParquet(w io.Writer, recs []Record) error {
	return writeParquet(w, recs, StoreFormat, strconv.Itoa(StoreFormatVersion))
}

// writeParquet writes records with the given format metadata.
func writeParquet(w io.Writer, recs []Record, format, version string) error {
	cols, err := columns(recs)
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	fields := make(schema.FieldList, len(cols))
	for i, c := range cols {
		if fields[i], err = parquetNode(c); err != nil {
			return fmt.Errorf("write parquet: column %q: %w", c.name, err)
		}
	}
	root, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithCreatedBy("snnkit "+StoreFormat+" v"+strconv.Itoa(StoreFormatVersion)))
	kv := metadata.KeyValueMetadata{}
	kv.Append(FormatKey, format)
	kv.Append(FormatVersionKey, version)
	// struct{ io.Writer } keeps the writer's Close from closing w.
	fw := file.NewParquetWriter(struct{ io.Writer }{w}, root, file.WithWriterProps(props), file.WithWriteMetadata(kv))
	rg := fw.AppendRowGroup()
	for _, c := range cols {
		cw, err := rg.NextColumn()
		if err == nil {
			err = writeColumn(cw, c)
		}
		if err != nil {
			fw.Close()
			return fmt.Errorf("write parquet: column %q: %w", c.name, err)
		}
	}
	if err := rg.Close(); err != nil {
		fw.Close()
		return fmt.Errorf("write parquet: %w", err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	return nil
}

// columns lays records out column by column, in file order.
func columns(recs []Record) ([]*column, error) {
	params, metrics, metas := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, r := range recs {
		where := fmt.Sprintf("record %d (run %s rank %d)", i, r.RunID, r.Rank)
		if r.Rank < 0 {
			return nil, fmt.Errorf("%s: rank %d, expected ≥ 0", where, r.Rank)
		}
		for k := range r.Config.Params {
			if k == "" {
				return nil, fmt.Errorf("%s: empty parameter name", where)
			}
			params[k] = true
		}
		for k := range r.Metrics {
			if k == "" || reserved(k) {
				return nil, fmt.Errorf("%s: metric name %q is empty, a fixed column (%s) or starts with %q", where, k, fixedNames(), ParamColumnPrefix)
			}
			metrics[k] = true
		}
		for k := range r.Meta {
			if k == "" || reserved(k) {
				return nil, fmt.Errorf("%s: metadata key %q is empty, a fixed column (%s) or starts with %q", where, k, fixedNames(), ParamColumnPrefix)
			}
			metas[k] = true
		}
	}
	for k := range metrics {
		if metas[k] {
			return nil, fmt.Errorf("%q is both a metric and a metadata key", k)
		}
	}
	n := len(recs)
	cols := []*column{{name: RunIDColumn, typ: colString, kind: kindRunID, cells: make([]value, n)}}
	for i, r := range recs {
		cols[0].cells[i] = value{s: r.RunID, valid: true}
	}
	for j, cc := range configColumns {
		c := &column{name: cc.name, typ: cc.typ, kind: kindConfig, config: j, cells: make([]value, n)}
		for i := range recs {
			c.cells[i] = cc.get(&recs[i].Config)
			c.cells[i].valid = true
		}
		cols = append(cols, c)
	}
	for _, k := range slices.Sorted(maps.Keys(params)) {
		c := &column{name: ParamColumnPrefix + k, typ: colString, kind: kindParam, key: k, cells: make([]value, n)}
		for i, r := range recs {
			v, ok := r.Config.Params[k]
			c.cells[i] = value{s: v, valid: ok}
		}
		cols = append(cols, c)
	}
	rank := &column{name: RankColumn, typ: colInt64, kind: kindRank, cells: make([]value, n)}
	for i, r := range recs {
		rank.cells[i] = value{i: int64(r.Rank), valid: true}
	}
	cols = append(cols, rank)
	for _, k := range slices.Sorted(maps.Keys(metrics)) {
		c := &column{name: k, typ: colFloat64, kind: kindMetric, key: k, cells: make([]value, n)}
		for i, r := range recs {
			v, ok := r.Metrics[k]
			c.cells[i] = value{f: v, valid: ok}
		}
		cols = append(cols, c)
	}
	for _, k := range slices.Sorted(maps.Keys(metas)) {
		c := &column{name: k, typ: colString, kind: kindMeta, key: k, cells: make([]value, n)}
		for i, r := range recs {
			v, ok := r.Meta[k]
			c.cells[i] = value{s: v, valid: ok}
		}
		cols = append(cols, c)
	}
	return cols, nil
}

func parquetNode(c *column) (schema.Node, error) {
	rep := parquet.Repetitions.Required
	if c.optional() {
		rep = parquet.Repetitions.Optional
	}
	switch c.typ {
	case colString:
		return schema.NewPrimitiveNodeLogical(c.name, rep, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
	case colInt64:
		return schema.NewPrimitiveNodeLogical(c.name, rep, schema.NewIntLogicalType(64, true), parquet.Types.Int64, -1, -1)
	case colUint64:
		return schema.NewPrimitiveNodeLogical(c.name, rep, schema.NewIntLogicalType(64, false), parquet.Types.Int64, -1, -1)
	default:
		return schema.NewFloat64Node(c.name, rep, -1), nil
	}
}

func writeColumn(cw file.ColumnChunkWriter, c *column) error {
	var def []int16
	if c.optional() {
		def = make([]int16, len(c.cells))
	}
	present := 0
	for i, v := range c.cells {
		if v.valid {
			present++
			if def != nil {
				def[i] = 1
			}
		}
	}
	var err error
	switch w := cw.(type) {
	case *file.ByteArrayColumnChunkWriter:
		_, err = w.WriteBatch(presentValues(c.cells, present, func(v value) parquet.ByteArray { return parquet.ByteArray(v.s) }), def, nil)
	case *file.Int64ColumnChunkWriter:
		_, err = w.WriteBatch(presentValues(c.cells, present, func(v value) int64 { return v.i }), def, nil)
	case *file.Float64ColumnChunkWriter:
		_, err = w.WriteBatch(presentValues(c.cells, present, func(v value) float64 { return v.f }), def, nil)
	default:
		err = fmt.Errorf("unexpected column writer %T", cw)
	}
	if cerr := cw.Close(); err == nil {
		err = cerr
	}
	return err
}

// presentValues is get of each valid cell, in order; n is their count.
func presentValues[T any](cells []value, n int, get func(value) T) []T {
	vals := make([]T, 0, n)
	for _, v := range cells {
		if v.valid {
			vals = append(vals, get(v))
		}
	}
	return vals
}
