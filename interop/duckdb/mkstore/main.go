// Command mkstore is a test helper for the DuckDB interop check: it adds
// snn-run results to a results store with results.WriteRun (as snn-bench
// collect does) and writes the same records as JSON lines, which check.mjs
// compares with what DuckDB reads from the Parquet files.
//
// usage: go run ./interop/duckdb/mkstore [-param K=V]... OUTDIR RESULT.json...
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

type params map[string]string

func (p params) String() string { return fmt.Sprint(map[string]string(p)) }

func (p params) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("-param %q: expected KEY=VALUE", s)
	}
	p[k] = v
	return nil
}

func main() {
	ps := params{}
	flag.Var(ps, "param", "model parameter KEY=VALUE recorded in the run configuration (repeatable)")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: mkstore [-param K=V]... OUTDIR RESULT.json...")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), flag.Args()[1:], ps); err != nil {
		fmt.Fprintln(os.Stderr, "mkstore:", err)
		os.Exit(1)
	}
}

func run(out string, files []string, ps params) error {
	var all []results.Record
	for _, f := range files {
		res, err := results.Read(f)
		if err != nil {
			return err
		}
		cfg := results.ConfigFromResult(res)
		cfg.Benchmark, cfg.Machine, cfg.Scaling, cfg.Params = "interop", "local", "strong", ps
		path, added, err := results.WriteRun(filepath.Join(out, results.StoreDir), cfg, res)
		if err != nil {
			return err
		}
		fmt.Printf("%s added=%v\n", path, added)
		if added {
			all = append(all, results.Flatten(cfg, res)...)
		}
	}
	// The records in ReadStore's order (by file name), as JSON lines.
	recs, err := results.ReadStore(out)
	if err != nil {
		return err
	}
	if len(recs) != len(all) {
		return fmt.Errorf("store holds %d records, wrote %d", len(recs), len(all))
	}
	f, err := os.Create(filepath.Join(out, "records.jsonl"))
	if err != nil {
		return err
	}
	if err := results.WriteJSONL(f, recs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
