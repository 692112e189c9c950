package report

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// Run is one run of snn-run assembled from its ranks' records: its
// configuration, the metadata of its lowest rank, and one value per metric
// for the whole run.
type Run struct {
	ID     string
	Config results.RunConfig
	Meta   map[string]string
	// Ranks is the number of rank records found for the run.
	Ranks int
	// Values holds the run's value of each metric: the "run." summary
	// where the records carry one, else the ranks' values combined (see
	// the package documentation).
	Values map[string]float64
}

// Runs assembles records into runs, in the order of their first record.
// Problems that leave the data usable (a rank missing, a rank given twice,
// records of one run that disagree about its configuration, non-finite
// values) come back as warnings; records without a run id are an error.
func Runs(recs []results.Record) ([]Run, []string, error) {
	var order []string
	byID := map[string][]*results.Record{}
	for i := range recs {
		r := &recs[i]
		if r.RunID == "" {
			return nil, nil, fmt.Errorf("record %d (model %q, rank %d): no run_id", i, r.Config.Model, r.Rank)
		}
		if _, ok := byID[r.RunID]; !ok {
			order = append(order, r.RunID)
		}
		byID[r.RunID] = append(byID[r.RunID], r)
	}
	var warns []string
	runs := make([]Run, 0, len(order))
	for _, id := range order {
		run, w := assemble(id, byID[id])
		warns = append(warns, w...)
		runs = append(runs, run)
	}
	return runs, compactWarnings(warns), nil
}

// compactWarnings merges warnings "run ID: message" that share the
// message into one line naming a few of the runs.
func compactWarnings(ws []string) []string {
	var order []string
	ids := map[string][]string{}
	for _, w := range ws {
		id, msg, ok := strings.Cut(strings.TrimPrefix(w, "run "), ": ")
		if !ok || !strings.HasPrefix(w, "run ") {
			id, msg = "", w
		}
		if _, seen := ids[msg]; !seen {
			order = append(order, msg)
		}
		ids[msg] = append(ids[msg], id)
	}
	out := make([]string, 0, len(order))
	for _, msg := range order {
		l := ids[msg]
		switch {
		case len(l) == 1 && l[0] == "":
			out = append(out, msg)
		case len(l) == 1:
			out = append(out, "run "+l[0]+": "+msg)
		case len(l) <= 3:
			out = append(out, fmt.Sprintf("runs %s: %s", strings.Join(l, ", "), msg))
		default:
			out = append(out, fmt.Sprintf("%d runs (%s, …): %s", len(l), strings.Join(l[:3], ", "), msg))
		}
	}
	return out
}

func assemble(id string, recs []*results.Record) (Run, []string) {
	var warns []string
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Rank < recs[j].Rank })
	first := recs[0]
	run := Run{ID: id, Config: first.Config, Meta: first.Meta, Values: map[string]float64{}}
	if run.Meta == nil {
		run.Meta = map[string]string{}
	}
	seen := map[int]bool{}
	var uniq []*results.Record
	for _, r := range recs {
		if seen[r.Rank] {
			warns = append(warns, fmt.Sprintf("run %s: rank %d recorded twice; the first record is used", id, r.Rank))
			continue
		}
		seen[r.Rank] = true
		if !reflect.DeepEqual(normalConfig(r.Config), normalConfig(first.Config)) {
			warns = append(warns, fmt.Sprintf("run %s: rank %d's configuration differs from rank %d's; rank %d's is used", id, r.Rank, first.Rank, first.Rank))
		}
		uniq = append(uniq, r)
	}
	run.Ranks = len(uniq)
	if c := first.Config.Ranks; c > 0 && run.Ranks != c {
		warns = append(warns, fmt.Sprintf("run %s: %d of %d ranks recorded; per-rank maxima and sums cover those only", id, run.Ranks, c))
	}
	perRank := map[string][]float64{}
	runLevel := map[string]float64{}
	for _, r := range uniq {
		for k, v := range r.Metrics {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				warns = append(warns, fmt.Sprintf("run %s: rank %d: metric %q is %v; ignored", id, r.Rank, k, v))
				continue
			}
			if name, ok := strings.CutPrefix(k, results.RunMetricPrefix); ok {
				if _, dup := runLevel[name]; !dup {
					runLevel[name] = v
				}
				continue
			}
			perRank[k] = append(perRank[k], v)
		}
	}
	for name, v := range runLevel {
		run.Values[name] = v
	}
	for name, vs := range perRank {
		if _, ok := run.Values[name]; ok {
			continue
		}
		switch combineOf(name) {
		case combineSum:
			run.Values[name] = sum(vs)
		case combineMean:
			run.Values[name] = sum(vs) / float64(len(vs))
		case combinePerSynapse:
			// Computed below, once memory and synapses are known.
		default:
			run.Values[name] = maxOf(vs)
		}
	}
	if _, ok := run.Values["bytes_per_synapse"]; !ok && len(perRank["bytes_per_synapse"]) > 0 {
		mem, okm := run.Values["peak_rss_bytes"]
		syn, oks := run.Values["synapses"]
		if okm && oks && syn > 0 {
			run.Values["bytes_per_synapse"] = mem / syn
		} else {
			run.Values["bytes_per_synapse"] = maxOf(perRank["bytes_per_synapse"])
		}
	}
	return run, warns
}

// normalConfig makes nil and empty parameter maps equal.
func normalConfig(c results.RunConfig) results.RunConfig {
	if len(c.Params) == 0 {
		c.Params = nil
	}
	return c
}

func sum(vs []float64) float64 {
	s := 0.0
	for _, v := range vs {
		s += v
	}
	return s
}

func maxOf(vs []float64) float64 {
	m := math.Inf(-1)
	for _, v := range vs {
		m = math.Max(m, v)
	}
	return m
}

// metricNames lists the metrics present in any run, in report order.
func metricNames(runs []Run) []string {
	set := map[string]bool{}
	for i := range runs {
		for k := range runs[i].Values {
			set[k] = true
		}
	}
	names := make([]string, 0, len(set))
	for k := range set {
		names = append(names, k)
	}
	sortMetrics(names)
	return names
}

// selectMetrics resolves a requested metric list against the metrics
// present: missing ones give a warning each, and an error when none is
// present. An empty request selects def (those of def present), or every
// metric present when def is nil.
func selectMetrics(runs []Run, want, def []string) ([]string, []string, error) {
	present := metricNames(runs)
	if len(present) == 0 {
		return nil, nil, fmt.Errorf("no metrics in %d runs", len(runs))
	}
	has := map[string]bool{}
	for _, m := range present {
		has[m] = true
	}
	explicit := len(want) > 0
	if !explicit {
		if def == nil {
			return present, nil, nil
		}
		want = def
	}
	var sel, warns []string
	for _, m := range want {
		if has[m] {
			sel = append(sel, m)
		} else if explicit {
			warns = append(warns, fmt.Sprintf("metric %q: no run has it", m))
		}
	}
	if len(sel) == 0 {
		return nil, warns, fmt.Errorf("none of the metrics %s is present (present: %s)", strings.Join(want, ", "), strings.Join(present, ", "))
	}
	return sel, warns, nil
}
