package report

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/snnkit/snnkit/pkg/results"
)

// rankRec is one rank's metrics in a synthetic run.
type rankRec map[string]float64

// mkRun builds the records of one run: one per rank, the same config and
// metadata on each.
func mkRun(id string, cfg results.RunConfig, meta map[string]string, ranks ...rankRec) []results.Record {
	var out []results.Record
	for r, m := range ranks {
		mm := map[string]string{}
		for k, v := range meta {
			mm[k] = v
		}
		out = append(out, results.Record{RunID: id, Config: cfg, Rank: r, Metrics: m, Meta: mm})
	}
	return out
}

func cfg(model string, ranks, threads int) results.RunConfig {
	return results.RunConfig{Benchmark: "b", Machine: "local", Model: model, Params: map[string]string{"N": "2000"}, Seed: 1,
		Ranks: ranks, Threads: threads, Backend: "cpu", Comm: "collective", Scaling: "strong", TPresim: 100, TSim: 1000}
}

var machineA = map[string]string{"host": "a", "cpu_model": "Xeon A", "cores": "2", "go_version": "go1.26.8", "format_version": "1"}

// sample makes n runs of a one-rank configuration whose time_simulate is
// center·(1 + noise·u), u uniform in [−1, 1].
func sample(prefix string, c results.RunConfig, meta map[string]string, n int, center, noise float64, rng *rand.Rand) []results.Record {
	var recs []results.Record
	for i := 0; i < n; i++ {
		v := center * (1 + noise*(2*rng.Float64()-1))
		recs = append(recs, mkRun(fmt.Sprintf("%s-%d", prefix, i), c, meta, rankRec{
			"time_simulate": v, "real_time_factor": v, "time_update": v / 2, "peak_rss_bytes": 1e8,
		})...)
	}
	return recs
}

// commitSeries makes one run per commit (reps runs each) with commit
// times a day apart; values[i] is commit i's center.
func commitSeries(values []float64, reps int, noise float64, rng *rand.Rand) []results.Record {
	var recs []results.Record
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, v := range values {
		for r := 0; r < reps; r++ {
			meta := map[string]string{"host": "a", "cpu_model": "Xeon A", "vcs_revision": commitHash(i),
				"vcs_time": t0.Add(time.Duration(i) * 24 * time.Hour).Format(time.RFC3339), "started": t0.Add(time.Duration(i)*24*time.Hour + time.Duration(r)*time.Minute).Format(time.RFC3339)}
			x := v * (1 + noise*rng.NormFloat64())
			recs = append(recs, mkRun(fmt.Sprintf("c%03d-r%d", i, r), cfg("brunel", 1, 1), meta, rankRec{"time_simulate": x})...)
		}
	}
	return recs
}

// commitHash is a made-up 40-hex-digit revision for commit i.
func commitHash(i int) string {
	h := sha1.Sum([]byte(fmt.Sprint("commit", i)))
	return hex.EncodeToString(h[:])
}
