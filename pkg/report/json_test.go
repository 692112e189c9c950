package report

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

func TestWriteJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	base := sample("b", cfg("brunel", 1, 1), machineA, 3, 1, 0.01, rng) // unbounded CIs: ±Inf must not break JSON
	new := sample("n", cfg("brunel", 1, 1), machineA, 3, 1.1, 0.01, rng)
	c, err := CompareRecords(base, new, CompareOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, c); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Metrics []struct {
			Metric string
			Rows   []struct {
				Base struct {
					Median float64
					Lo     *float64
				}
				P      float64
				TooFew bool `json:"too_few"`
			}
		}
		SamplesNeeded int `json:"samples_needed"`
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	r := back.Metrics[0].Rows[0]
	if back.Metrics[0].Metric != "time_simulate" || r.Base.Lo != nil || r.Base.Median == 0 || !r.TooFew || back.SamplesNeeded != 4 {
		t.Errorf("JSON %s", buf.String()[:min(buf.Len(), 600)])
	}
	for in, want := range map[string]string{"OnlyBase": "only_base", "RunID": "run_id", "CIPercent": "ci_percent", "P": "p", "MetaDiff": "meta_diff"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
