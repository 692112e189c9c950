package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

func TestAggregateRender(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	var recs []results.Record
	for _, r := range []int{1, 2, 16} {
		recs = append(recs, sample("r"+string(rune('a'+r)), cfg("brunel", r, 1), machineA, 6, 2.0/float64(r), 0.01, rng)...)
	}
	recs = append(recs, sample("x", cfg("brunel", 2, 1), machineA, 2, 1.0, 0.01, rng)...)
	a, err := AggregateRecords(recs, AggregateOptions{By: []string{"model", "ranks"}, Metrics: []string{"time_simulate", "peak_rss_bytes"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := a.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(out, "\n")
	// Rows sort numerically (16 after 2) and the columns line up.
	var hdr, r16 string
	for _, l := range lines {
		if strings.HasPrefix(l, "ranks") && hdr == "" {
			hdr = l
		}
		if strings.HasPrefix(l, "16 ") && r16 == "" {
			r16 = l
		}
	}
	if hdr == "" || r16 == "" || strings.Index(hdr, "median") != strings.Index(r16, FormatValue("time_simulate", a.Groups[2].Stats["time_simulate"].Median)) {
		t.Errorf("misaligned or missing rows:\n%s", out)
	}
	if !strings.Contains(out, "common: model=brunel") || !strings.Contains(out, "95% CI") || !strings.Contains(out, "95.37 MiB") {
		t.Errorf("output:\n%s", out)
	}
	buf.Reset()
	if err := a.WriteMarkdown(&buf, "snn-report"); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if !strings.Contains(md, "| ranks | median | min – max | 95% CI | n |") || !strings.Contains(md, "|---|---|---|---|---|") {
		t.Errorf("markdown:\n%s", md)
	}
}

func TestFormatValue(t *testing.T) {
	tests := []struct {
		metric string
		v      float64
		want   string
	}{
		{"time_simulate", 1.23456, "1.235 s"},
		{"time_simulate", 0.0123, "12.30 ms"},
		{"time_deliver", 0.00001234, "12.34 µs"},
		{"time_simulate", 0, "0 s"},
		{"peak_rss_bytes", 3 << 30, "3.000 GiB"},
		{"peak_rss_bytes", 512, "512.0 B"},
		{"bytes_per_synapse", 7.15, "7.150 B"},
		{"rate_hz.E", 42.6, "42.60 Hz"},
		{"spikes", 123456, "123456"},
		{"spikes", 1.5e9, "1.500e+09"},
		{"real_time_factor", 2.14, "2.140"},
	}
	for _, tc := range tests {
		if got := FormatValue(tc.metric, tc.v); got != tc.want {
			t.Errorf("FormatValue(%s, %v) = %q, want %q", tc.metric, tc.v, got, tc.want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	if got := mdEscape("a|b_c*<x>\n[y]"); got != `a\|b\_c\*&lt;x&gt; \[y\]` {
		t.Errorf("mdEscape: %q", got)
	}
}
