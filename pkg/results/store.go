package results

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// StoreDir is the results store's folder inside a results directory.
const StoreDir = "store"

// StoreExt is the extension of the store's files.
const StoreExt = ".parquet"

// WriteRun adds a run to the store in storeDir (created if missing) as the
// file RUNID.parquet, one row per rank (Flatten's records). The file is
// written under a temporary name and then linked into place, so readers
// never see half a file and two writers of the same run do not both add
// it; where the file system has no hard links it is renamed instead. When
// the run's file already exists, WriteRun writes nothing and returns
// added=false.
func WriteRun(storeDir string, cfg RunConfig, res *Result) (path string, added bool, err error) {
	if res == nil {
		return "", false, fmt.Errorf("write run to store %s: no result", storeDir)
	}
	recs := Flatten(cfg, res)
	if len(recs) == 0 {
		return "", false, fmt.Errorf("write run to store %s: result of %s (seed %d) has no ranks; nothing to store", storeDir, res.Model, res.Seed)
	}
	id := recs[0].RunID
	path = filepath.Join(storeDir, id+StoreExt)
	if _, err := os.Stat(path); err == nil {
		return path, false, nil
	}
	var buf bytes.Buffer
	if err := WriteParquet(&buf, recs); err != nil {
		return "", false, fmt.Errorf("write run %s to store %s: %w", id, storeDir, err)
	}
	if err := os.MkdirAll(storeDir, 0o755); err != nil {
		return "", false, fmt.Errorf("write run %s to store: %w", id, err)
	}
	// The temporary name does not end in .parquet, so ReadStore skips it.
	tmp, err := os.CreateTemp(storeDir, "."+id+".*.tmp")
	if err != nil {
		return "", false, fmt.Errorf("write run %s to store: %w", id, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return "", false, fmt.Errorf("write run %s to store: %w", id, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", false, fmt.Errorf("write run %s to store: %w", id, err)
	}
	if err := tmp.Close(); err != nil {
		return "", false, fmt.Errorf("write run %s to store: %w", id, err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return path, false, nil
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return "", false, fmt.Errorf("write run %s to store: %w", id, err)
		}
	}
	return path, true, nil
}

// ReadStore reads every record of the store under resultsDir: the
// *.parquet files of resultsDir/store, or of resultsDir itself when it has
// no store folder, in the order of their file names. An empty store, a
// file that is not Parquet, and a file of another format or version are
// errors naming the file and what was expected.
func ReadStore(resultsDir string) ([]Record, error) {
	dir := filepath.Join(resultsDir, StoreDir)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = resultsDir
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read results store: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && filepath.Ext(e.Name()) == StoreExt {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("read results store %s: no *%s files (expected the store that snn-bench run or collect writes to RESULTS/%s/)", dir, StoreExt, StoreDir)
	}
	sort.Strings(names)
	var recs []Record
	for _, n := range names {
		r, err := ReadParquetFile(filepath.Join(dir, n))
		if err != nil {
			return nil, err
		}
		recs = append(recs, r...)
	}
	return recs, nil
}
