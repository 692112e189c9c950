package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// MaxJSONLLine is the longest line ReadJSONL accepts (bytes).
const MaxJSONLLine = 16 << 20

// WriteJSONL writes records as JSON lines: one Record per line, in the JSON
// of Record (run_id, config, rank, metrics, meta), keys sorted. A metric
// that JSON cannot hold (NaN, ±Inf) is an error naming the record.
func WriteJSONL(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i, r := range recs {
		if k, ok := nonFinite(r.Metrics); ok {
			return fmt.Errorf("write JSON lines: record %d (run %s rank %d): metric %q is %v, which JSON cannot hold", i, r.RunID, r.Rank, k, r.Metrics[k])
		}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write JSON lines: record %d (run %s rank %d): %w", i, r.RunID, r.Rank, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write JSON lines: %w", err)
	}
	return nil
}

// nonFinite is the first name, in sorted order, of a non-finite value of m.
func nonFinite(m map[string]float64) (string, bool) {
	bad, found := "", false
	for k, v := range m {
		if !isFinite(v) && (!found || k < bad) {
			bad, found = k, true
		}
	}
	return bad, found
}

// ReadJSONL reads JSON lines of records, as WriteJSONL writes them; name
// names the input in errors ("NAME:LINE: ..."). Blank lines are skipped.
// Each other line must hold one JSON object with a non-empty run_id and a
// rank ≥ 0; unknown fields are ignored, so that files of later versions
// still read. No input gives no records and no error.
func ReadJSONL(r io.Reader, name string) ([]Record, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var recs []Record
	for line := 1; ; line++ {
		b, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if t := bytes.TrimSpace(b); len(t) > 0 {
			rec, perr := parseRecordLine(t)
			if perr != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, perr)
			}
			recs = append(recs, rec)
		}
		if errors.Is(err, io.EOF) {
			return recs, nil
		}
	}
}

// readLine reads up to the next newline (dropped), refusing lines longer
// than MaxJSONLLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > MaxJSONLLine {
			return nil, fmt.Errorf("line longer than %d bytes (expected one JSON record per line)", MaxJSONLLine)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err == nil {
			line = line[:len(line)-1]
		}
		return line, err
	}
}

func parseRecordLine(b []byte) (Record, error) {
	if b[0] != '{' {
		return Record{}, fmt.Errorf("expected a JSON object (one results record per line), got %q", clip(b))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var rec Record
	if err := dec.Decode(&rec); err != nil {
		return Record{}, fmt.Errorf("invalid record: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Record{}, fmt.Errorf("data after the record (expected one record per line)")
	}
	if rec.RunID == "" {
		return Record{}, fmt.Errorf("record has no run_id (field \"run_id\" must be a non-empty string)")
	}
	if rec.Rank < 0 {
		return Record{}, fmt.Errorf("record of run %s: rank %d, expected ≥ 0", rec.RunID, rec.Rank)
	}
	if rec.Metrics == nil {
		rec.Metrics = map[string]float64{}
	}
	if rec.Meta == nil {
		rec.Meta = map[string]string{}
	}
	if len(rec.Config.Params) == 0 {
		rec.Config.Params = nil
	}
	return rec, nil
}

func clip(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
