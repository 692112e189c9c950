package results

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestJSONLRoundTrip(t *testing.T) {
	recs := append(Flatten(sampleConfig(2), sampleResult(1, 2)), Flatten(RunConfig{Model: "x"}, sampleResult(2, 1))...)
	recs[0].Meta["note"] = "quotes \" and <html> & unicode µs"
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, recs); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != len(recs) {
		t.Errorf("%d lines for %d records", n, len(recs))
	}
	if !strings.Contains(buf.String(), "<html> & unicode µs") {
		t.Error("WriteJSONL escaped HTML or unicode")
	}
	got, err := ReadJSONL(&buf, "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, recs) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, recs)
	}
}

func TestReadJSONL(t *testing.T) {
	line := `{"run_id":"abc","config":{"model":"brunel","params":{"N":"10"}},"rank":1,"metrics":{"time_simulate":1.5},"meta":{"host":"h"}}`
	tests := []struct {
		name    string
		in      string
		n       int
		wantErr string
	}{
		{"one record", line + "\n", 1, ""},
		{"no final newline", line, 1, ""},
		{"blank lines and CRLF", "\n" + line + "\r\n\n  \n" + line + "\n", 2, ""},
		{"unknown fields ignored", `{"run_id":"a","rank":0,"future":[1,2]}`, 1, ""},
		{"empty input", "", 0, ""},
		{"not an object", line + "\n[1,2]\n", 0, "in.jsonl:2: expected a JSON object"},
		{"broken JSON", line + "\n" + line + "\n{\"run_id\": \n", 0, "in.jsonl:3: invalid record"},
		{"wrong type", `{"run_id":"a","rank":"zero"}`, 0, "in.jsonl:1: invalid record"},
		{"metric not a number", `{"run_id":"a","rank":0,"metrics":{"x":"1"}}`, 0, "in.jsonl:1: invalid record"},
		{"two records on a line", line + line, 0, "in.jsonl:1: data after the record"},
		{"trailing garbage", line + " x", 0, "in.jsonl:1: data after the record"},
		{"no run_id", `{"rank":0}`, 0, `in.jsonl:1: record has no run_id`},
		{"negative rank", `{"run_id":"a","rank":-2}`, 0, "in.jsonl:1: record of run a: rank -2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := ReadJSONL(strings.NewReader(tc.in), "in.jsonl")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != tc.n {
				t.Fatalf("%d records, want %d", len(recs), tc.n)
			}
			for _, r := range recs {
				if r.Metrics == nil || r.Meta == nil {
					t.Error("nil maps in a read record")
				}
			}
		})
	}
	// A line too long for the reader.
	long := `{"run_id":"a","rank":0,"meta":{"x":"` + strings.Repeat("y", MaxJSONLLine) + `"}}`
	if _, err := ReadJSONL(strings.NewReader(long), "big.jsonl"); err == nil || !strings.Contains(err.Error(), "big.jsonl:1: line longer than") {
		t.Errorf("long line: %v", err)
	}
	// A read error names the input and line.
	r := &failingReader{data: []byte(line + "\n" + line[:10])}
	if _, err := ReadJSONL(r, "pipe"); err == nil || !strings.Contains(err.Error(), "pipe:2: boom") {
		t.Errorf("read error: %v", err)
	}
}

type failingReader struct{ data []byte }

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errors.New("boom")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestWriteJSONLNonFinite(t *testing.T) {
	recs := Flatten(sampleConfig(1), sampleResult(1, 1))
	recs[0].Metrics["bad"] = math.NaN()
	err := WriteJSONL(&bytes.Buffer{}, recs)
	if err == nil || !strings.Contains(err.Error(), `record 0`) || !strings.Contains(err.Error(), `metric "bad" is NaN`) {
		t.Errorf("WriteJSONL with NaN: %v", err)
	}
}

// FuzzReadJSONL: any input gives records or an error naming the input, never
// a panic; records read write back and read again unchanged.
func FuzzReadJSONL(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteJSONL(&buf, Flatten(sampleConfig(2), sampleResult(1, 2))); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"run_id":"a","rank":0}` + "\n\n" + `{"run_id":"b","rank":1,"metrics":{"x":1e308}}`))
	f.Add([]byte(`{"run_id":"a","rank":0}{"run_id":"a"}`))
	f.Add([]byte("[]\n"))
	f.Add([]byte(`{"run_id":"a","config":{"params":{}}, "rank": 3}`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		recs, err := ReadJSONL(bytes.NewReader(b), "fuzz")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz:") {
				t.Fatalf("error does not name the input: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WriteJSONL(&out, recs); err != nil {
			t.Fatalf("write back: %v", err)
		}
		back, err := ReadJSONL(&out, "again")
		if err != nil {
			t.Fatalf("read back: %v", err)
		}
		if !reflect.DeepEqual(back, recs) {
			t.Fatalf("read back differs:\n%+v\n%+v", back, recs)
		}
	})
}
