package report

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

// recordsFrom decodes fuzz bytes into records: each 11-byte chunk is one
// rank record (run id, rank, rank count, metric choice, a float64 value
// with NaN, ±Inf, 0 and negatives possible, and a commit).
func recordsFrom(b []byte) []results.Record {
	metrics := []string{"time_simulate", "run.time_simulate", "peak_rss_bytes", "bytes_per_synapse", "synapses", "rate_hz.E", "real_time_factor", "spikes"}
	var recs []results.Record
	for len(b) >= 11 {
		c := b[:11]
		b = b[11:]
		v := math.Float64frombits(binary.LittleEndian.Uint64(c[3:11]))
		cfg := results.RunConfig{Model: "m", Ranks: int(c[1] % 4), Threads: 1, Params: map[string]string{"N": fmt.Sprint(c[2] % 2)}}
		recs = append(recs, results.Record{
			RunID:   fmt.Sprint("run", c[0]%6),
			Config:  cfg,
			Rank:    int(c[1] % 3),
			Metrics: map[string]float64{metrics[int(c[2])%len(metrics)]: v, "time_simulate": math.Abs(v)},
			Meta:    map[string]string{"host": fmt.Sprint("h", c[0]%2), "vcs_revision": fmt.Sprint("c", c[0]%5), "vcs_time": fmt.Sprintf("2026-01-0%dT00:00:00Z", 1+c[0]%5)},
		})
	}
	return recs
}

// FuzzRecords feeds arbitrary records through aggregation, comparison,
// history and every text renderer: errors are fine, panics are not.
func FuzzRecords(f *testing.F) {
	f.Add([]byte("0123456789a0123456789b0123456789c"))
	f.Add(make([]byte, 44))
	nan := make([]byte, 11)
	binary.LittleEndian.PutUint64(nan[3:], math.Float64bits(math.NaN()))
	f.Add(append(nan, nan...))
	f.Fuzz(func(t *testing.T, b []byte) {
		recs := recordsFrom(b)
		if a, err := AggregateRecords(recs, AggregateOptions{}); err == nil {
			a.WriteText(io.Discard)
			a.WriteMarkdown(io.Discard, "x")
			WriteJSON(io.Discard, a)
		}
		half := len(recs) / 2
		if c, err := CompareRecords(recs[:half], recs[half:], CompareOptions{Gate: true, FailOnRegression: 0.05, Metrics: []string{"time_simulate", "peak_rss_bytes"}}); err == nil {
			c.WriteText(io.Discard)
			c.WriteMarkdown(io.Discard)
			WriteJSON(io.Discard, c)
		}
		if h, err := HistoryRecords(recs, HistoryOptions{Permutations: 19, MinSize: 2, Metrics: []string{"time_simulate"}}); err == nil {
			h.WriteText(io.Discard)
			h.WriteMarkdown(io.Discard)
			WriteJSON(io.Discard, h)
		}
	})
}
