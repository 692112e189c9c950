package results

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/arrow/go/v15/parquet/schema"
)

func TestWriteRunReadStoreRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		runs []struct {
			cfg RunConfig
			res *Result
		}
	}{
		{"one run two ranks", []struct {
			cfg RunConfig
			res *Result
		}{{sampleConfig(2), sampleResult(1, 2)}}},
		{"runs of different shapes", []struct {
			cfg RunConfig
			res *Result
		}{
			{sampleConfig(4), sampleResult(2, 4)},
			{RunConfig{Model: "brunel", Seed: 3, Ranks: 1}, sampleResult(3, 1)}, // no params
			{func() RunConfig {
				c := sampleConfig(3)
				c.Params = map[string]string{"scale": "0.1", "odd name/with space": "x y"}
				return c
			}(),
				func() *Result { r := sampleResult(4, 3); r.Rates = nil; r.Meta.Slurm = nil; return r }()},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			results := t.TempDir()
			store := filepath.Join(results, StoreDir)
			var want []Record
			var ids []string
			for _, r := range tc.runs {
				path, added, err := WriteRun(store, r.cfg, r.res)
				if err != nil || !added {
					t.Fatalf("WriteRun: added %v, err %v", added, err)
				}
				id := RunID(r.res)
				if path != filepath.Join(store, id+".parquet") {
					t.Errorf("WriteRun path %s, want %s", path, filepath.Join(store, id+".parquet"))
				}
				ids = append(ids, id)
			}
			// ReadStore returns the files in the order of their names.
			order := append([]string(nil), ids...)
			sort.Strings(order)
			for _, id := range order {
				for i, r := range tc.runs {
					if ids[i] == id {
						want = append(want, Flatten(r.cfg, r.res)...)
					}
				}
			}
			for _, dir := range []string{results, store} {
				got, err := ReadStore(dir)
				if err != nil {
					t.Fatalf("ReadStore(%s): %v", dir, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("ReadStore(%s) differs from Flatten:\n got %+v\nwant %+v", dir, got, want)
				}
			}
			entries, _ := os.ReadDir(store)
			if len(entries) != len(tc.runs) {
				t.Errorf("store holds %d entries, want %d (no temporary files left)", len(entries), len(tc.runs))
			}
		})
	}
}

func TestWriteParquetMergedRuns(t *testing.T) {
	// Records of several runs in one file (an export): columns are the union,
	// absent cells come back absent.
	a := Flatten(sampleConfig(2), sampleResult(1, 2))
	b := Flatten(RunConfig{Model: "microcircuit", Params: map[string]string{"N_scaling": "0.1"}}, sampleResult(2, 1))
	b[0].Metrics["rate_hz.L23E"] = 2.5
	delete(b[0].Meta, "mpi_library")
	recs := append(a, b...)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, recs); err != nil {
		t.Fatal(err)
	}
	got, err := readParquet(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("merged file differs:\n got %+v\nwant %+v", got, recs)
	}
}

func TestWriteRunIdempotent(t *testing.T) {
	store := t.TempDir()
	res := sampleResult(1, 2)
	p1, added1, err := WriteRun(store, sampleConfig(2), res)
	if err != nil || !added1 {
		t.Fatalf("first WriteRun: added %v, err %v", added1, err)
	}
	st1, _ := os.Stat(p1)
	// The same result read again (as collect does twice) is not added again.
	b, _ := os.ReadFile(p1)
	p2, added2, err := WriteRun(store, sampleConfig(2), sampleResult(1, 2))
	if err != nil || added2 || p2 != p1 {
		t.Fatalf("second WriteRun: path %s added %v err %v, want %s false nil", p2, added2, err, p1)
	}
	st2, _ := os.Stat(p1)
	b2, _ := os.ReadFile(p1)
	if !bytes.Equal(b, b2) || !st1.ModTime().Equal(st2.ModTime()) {
		t.Error("second WriteRun rewrote the file")
	}
	recs, err := ReadStore(store)
	if err != nil || len(recs) != 2 {
		t.Fatalf("ReadStore: %d records, %v; want 2", len(recs), err)
	}
}

func TestWriteRunConcurrent(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	const runs, writersPerRun = 6, 3
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := map[string]int{}
	errs := make(chan error, runs*writersPerRun)
	for i := 0; i < runs; i++ {
		for w := 0; w < writersPerRun; w++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				path, ok, err := WriteRun(store, sampleConfig(2), sampleResult(seed, 2))
				if err != nil {
					errs <- err
					return
				}
				if ok {
					mu.Lock()
					added[path]++
					mu.Unlock()
				}
			}(uint64(10 + i))
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(added) != runs {
		t.Errorf("%d runs added, want %d", len(added), runs)
	}
	for p, n := range added {
		if n != 1 {
			t.Errorf("%s added %d times, want once", p, n)
		}
	}
	recs, err := ReadStore(store)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != runs*2 {
		t.Errorf("ReadStore: %d records, want %d", len(recs), runs*2)
	}
	entries, _ := os.ReadDir(store)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".parquet") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestWriteRunErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		res  *Result
		want string
	}{
		{"nil", nil, "no result"},
		{"no ranks", &Result{Model: "brunel"}, "has no ranks"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, added, err := WriteRun(dir, RunConfig{}, tc.res)
			if err == nil || added || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteRun: added %v err %v, want an error containing %q", added, err, tc.want)
			}
		})
	}
	// A file in the way of the store folder.
	blocker := filepath.Join(dir, "blocked")
	os.WriteFile(blocker, nil, 0o644)
	if _, _, err := WriteRun(filepath.Join(blocker, "store"), RunConfig{}, sampleResult(1, 1)); err == nil {
		t.Error("WriteRun under a file: no error")
	}
}

func TestWriteParquetBadNames(t *testing.T) {
	base := Flatten(sampleConfig(1), sampleResult(1, 1))[0]
	tests := []struct {
		name string
		edit func(*Record)
		want string
	}{
		{"metric named like a config column", func(r *Record) { r.Metrics["seed"] = 1 }, `metric name "seed"`},
		{"metric with param prefix", func(r *Record) { r.Metrics["param.N"] = 1 }, `metric name "param.N"`},
		{"empty metric name", func(r *Record) { r.Metrics[""] = 1 }, `metric name ""`},
		{"meta named rank", func(r *Record) { r.Meta["rank"] = "x" }, `metadata key "rank"`},
		{"meta and metric share a name", func(r *Record) { r.Meta["time_simulate"] = "x" }, `both a metric and a metadata key`},
		{"empty param name", func(r *Record) { r.Config.Params[""] = "x" }, "empty parameter name"},
		{"negative rank", func(r *Record) { r.Rank = -1 }, "rank -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			r.Metrics, r.Meta = maps.Clone(base.Metrics), maps.Clone(base.Meta)
			r.Config.Params = maps.Clone(base.Config.Params)
			tc.edit(&r)
			err := WriteParquet(&bytes.Buffer{}, []Record{r})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WriteParquet: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestReadStoreErrors(t *testing.T) {
	good := func(t *testing.T) []byte {
		var buf bytes.Buffer
		if err := WriteParquet(&buf, Flatten(sampleConfig(2), sampleResult(1, 2))); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	withFormat := func(format, version string) func(*testing.T) []byte {
		return func(t *testing.T) []byte {
			var buf bytes.Buffer
			if err := writeParquet(&buf, Flatten(sampleConfig(2), sampleResult(1, 2)), format, version); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
	}
	tests := []struct {
		name  string
		files map[string]func(*testing.T) []byte
		want  []string // substrings of the error
	}{
		{"empty store", nil, []string{"no *.parquet files", "expected the store"}},
		{"not parquet", map[string]func(*testing.T) []byte{"b.parquet": func(*testing.T) []byte { return []byte("run_id,rank\nx,0\n") }},
			[]string{"b.parquet", "not a readable Parquet file", "expected a snnkit-results file"}},
		{"empty file", map[string]func(*testing.T) []byte{"b.parquet": func(*testing.T) []byte { return nil }},
			[]string{"b.parquet", "not a readable Parquet file"}},
		{"truncated", map[string]func(*testing.T) []byte{"a.parquet": good, "c.parquet": func(t *testing.T) []byte { b := good(t); return b[:len(b)-30] }},
			[]string{"c.parquet", "not a readable Parquet file"}},
		{"corrupt data pages", map[string]func(*testing.T) []byte{"d.parquet": func(t *testing.T) []byte {
			b := good(t)
			for i := 8; i < len(b)/2; i++ {
				b[i] ^= 0x5a
			}
			return b
		}}, []string{"d.parquet"}},
		{"other format", map[string]func(*testing.T) []byte{"e.parquet": withFormat("something-else", "1")},
			[]string{"e.parquet", `snnkit.format is "something-else", expected "snnkit-results"`}},
		{"other version", map[string]func(*testing.T) []byte{"f.parquet": withFormat(StoreFormat, "2")},
			[]string{"f.parquet", `snnkit.format_version is "2", expected "1"`}},
		{"no metadata", map[string]func(*testing.T) []byte{"g.parquet": func(t *testing.T) []byte { return plainParquet(t, nil, "run_id") }},
			[]string{"g.parquet", "snnkit.format is missing", "expected \"snnkit-results\""}},
		{"missing column", map[string]func(*testing.T) []byte{"h.parquet": func(t *testing.T) []byte {
			return plainParquet(t, metadata.KeyValueMetadata{}, "run_id", "model")
		}}, []string{"h.parquet", `missing column "rank"`, "expected columns run_id, benchmark"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			store := filepath.Join(dir, StoreDir)
			os.Mkdir(store, 0o755)
			for name, mk := range tc.files {
				if err := os.WriteFile(filepath.Join(store, name), mk(t), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			recs, err := ReadStore(dir)
			if err == nil {
				t.Fatalf("ReadStore: %d records, no error", len(recs))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	if _, err := ReadStore(filepath.Join(t.TempDir(), "missing")); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("ReadStore of a missing folder: %v", err)
	}
}

// plainParquet writes a Parquet file of string columns holding "x" with the
// given key-value metadata (nil: none), plus the format keys when kv is
// not nil.
func plainParquet(t *testing.T, kv metadata.KeyValueMetadata, names ...string) []byte {
	t.Helper()
	var fields schema.FieldList
	for _, n := range names {
		node, err := schema.NewPrimitiveNodeLogical(n, parquet.Repetitions.Required, schema.StringLogicalType{}, parquet.Types.ByteArray, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		fields = append(fields, node)
	}
	root, err := schema.NewGroupNode("schema", parquet.Repetitions.Required, fields, -1)
	if err != nil {
		t.Fatal(err)
	}
	var opts []file.WriteOption
	if kv != nil {
		kv.Append(FormatKey, StoreFormat)
		kv.Append(FormatVersionKey, fmt.Sprint(StoreFormatVersion))
		opts = append(opts, file.WithWriteMetadata(kv))
	}
	var buf bytes.Buffer
	fw := file.NewParquetWriter(&buf, root, opts...)
	rg := fw.AppendRowGroup()
	for range names {
		cw, err := rg.NextColumn()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cw.(*file.ByteArrayColumnChunkWriter).WriteBatch([]parquet.ByteArray{parquet.ByteArray("x")}, nil, nil); err != nil {
			t.Fatal(err)
		}
		cw.Close()
	}
	rg.Close()
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadStoreSkipsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := WriteRun(dir, sampleConfig(1), sampleResult(1, 1)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".abc.123.tmp"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(dir, "README"), []byte("notes"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub.parquet"), 0o755)
	recs, err := ReadStore(dir)
	if err != nil || len(recs) != 1 {
		t.Errorf("ReadStore: %d records, %v; want 1", len(recs), err)
	}
}

// FuzzReadParquet feeds arbitrary bytes to the store file reader: it must
// return records or an error, never panic or hang, and records it returns
// must write and read back unchanged.
func FuzzReadParquet(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteParquet(&buf, Flatten(sampleConfig(2), sampleResult(1, 2))); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[len(good)/2:])
	f.Add([]byte("PAR1PAR1"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := readParquet(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteParquet(&out, recs); err != nil {
			return // e.g. names a writer refuses
		}
		back, err := readParquet(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("re-read of written records: %v", err)
		}
		if len(back) != len(recs) {
			t.Fatalf("re-read %d records, want %d", len(back), len(recs))
		}
	})
}
