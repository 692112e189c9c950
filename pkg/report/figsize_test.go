package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

// TestFigureAgainstModelSize: when ranks do not vary but a numeric
// parameter does, the real-time factor is drawn against it, one line per
// value of the other varying keys; a non-numeric key gives bars.
func TestFigureAgainstModelSize(t *testing.T) {
	var recs []results.Record
	for _, scale := range []int{1, 2, 4} {
		for _, rew := range []string{"true", "false"} {
			for rep := 0; rep < 3; rep++ {
				c := cfg("topomap", 1, 1)
				c.Params = map[string]string{"scale": fmt.Sprint(scale), "rewiring": rew}
				v := float64(scale*scale) * (1 + 0.01*float64(rep))
				recs = append(recs, mkRun(fmt.Sprintf("s%d-%s-%d", scale, rew, rep), c, machineA, rankRec{"real_time_factor": v, "time_simulate": v})...)
			}
		}
	}
	for _, tc := range []struct {
		by      []string
		caption string
	}{
		{[]string{"param.scale", "param.rewiring"}, "Real-time factor against param.scale"},
		{[]string{"params"}, "Real-time factor per configuration"},
	} {
		a, err := AggregateRecords(recs, AggregateOptions{By: tc.by})
		if err != nil {
			t.Fatal(err)
		}
		figs, notes := a.Figures("svg")
		if len(notes) != 0 {
			t.Errorf("--by %v: notes %v", tc.by, notes)
		}
		found := false
		for _, f := range figs {
			if strings.HasPrefix(f.Caption, tc.caption) {
				found = true
				if tc.by[0] == "param.scale" && (!strings.Contains(string(f.Data), "param.rewiring=true") || !strings.Contains(string(f.Data), "param.rewiring=false")) {
					t.Errorf("--by %v: the figure lacks one line per rewiring value", tc.by)
				}
			}
		}
		if !found {
			t.Errorf("--by %v: no figure %q among %d", tc.by, tc.caption, len(figs))
		}
	}
}
