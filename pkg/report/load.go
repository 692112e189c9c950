package report

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// Load reads the records of one input: "-" reads JSON lines from stdin, a
// directory is a results directory (or a store directory) read with
// results.ReadStore, and a file is read as JSON lines. An input without
// records is an error naming it.
func Load(arg string, stdin io.Reader) ([]results.Record, error) {
	var recs []results.Record
	var err error
	switch st, serr := os.Stat(arg); {
	case arg == "-":
		recs, err = results.ReadJSONL(stdin, "stdin")
	case serr != nil:
		return nil, fmt.Errorf("results %s: %w", arg, serr)
	case st.IsDir():
		recs, err = results.ReadStore(arg)
	case strings.HasSuffix(arg, ".parquet"):
		return nil, fmt.Errorf("results %s: give the directory that holds the store files, not one file", arg)
	default:
		var f *os.File
		if f, err = os.Open(arg); err != nil {
			return nil, fmt.Errorf("results %s: %w", arg, err)
		}
		defer f.Close()
		recs, err = results.ReadJSONL(f, arg)
	}
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		name := arg
		if arg == "-" {
			name = "stdin"
		}
		return nil, fmt.Errorf("%s: %w", name, ErrNoRecords)
	}
	return recs, nil
}
