package report

import (
	"math"
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  string
	}{
		{"", nil, ""},
		{"  ", nil, ""},
		{"model,ranks,threads", []string{"model", "ranks", "threads"}, ""},
		{" model , param.N ,host", []string{"model", "param.N", "host"}, ""},
		{"slurm_job_partition,vcs-time", []string{"slurm_job_partition", "vcs-time"}, ""},
		{"model,,ranks", nil, "empty key"},
		{"model,", nil, "empty key"},
		{"model,model", nil, `key "model" given twice`},
		{"param.", nil, "needs a NAME"},
		{"a b", nil, "only letters"},
		{"ränks", nil, "only letters"},
		{".x", nil, "only letters"},
	}
	for _, tc := range tests {
		got, err := ParseKeys(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseKeys(%q) err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("ParseKeys(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePercent(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5%", 0.05, true}, {"5", 0.05, true}, {" 2.5 % ", 0.025, true}, {"0", 0, true}, {"100%", 1, true},
		{"-5%", 0, false}, {"", 0, false}, {"%", 0, false}, {"five", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"5%%", 0, false}, {"1e9", 0, false},
	}
	for _, tc := range tests {
		got, err := ParsePercent(tc.in)
		if (err == nil) != tc.ok || tc.ok && math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("ParsePercent(%q) = %v, %v; want %v ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"", "model,ranks,threads", "param.N,host", ",", "a,,b", "param.", "x,x", "ä"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := ParseKeys(s)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, k := range keys {
			if k == "" || strings.ContainsAny(k, ", \t") || seen[k] || !validKey(k) {
				t.Fatalf("ParseKeys(%q) gave key %q", s, k)
			}
			seen[k] = true
		}
		// The keys render back to an equivalent list.
		again, err := ParseKeys(strings.Join(keys, ","))
		if err != nil || strings.Join(again, ",") != strings.Join(keys, ",") {
			t.Fatalf("round trip of %q: %v %v", s, again, err)
		}
	})
}

func FuzzParsePercent(f *testing.F) {
	for _, s := range []string{"5%", "5", "0.5 %", "-1", "1e400", "NaN", "%", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParsePercent(s)
		if err == nil && (v < 0 || v > 1e4 || math.IsNaN(v)) {
			t.Fatalf("ParsePercent(%q) = %v", s, v)
		}
	})
}
