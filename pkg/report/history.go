package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/snnkit/snnkit/pkg/results"
)

// HistoryOptions configure a history: series per machine and
// configuration, ordered by commit time, with change points.
type HistoryOptions struct {
	// By are the configuration keys of a series (the machine is always
	// part of it); nil means DefaultCompareKeys.
	By []string
	// Metrics to follow; nil means those of DefaultHistoryMetrics present.
	Metrics []string
	// Alpha, Permutations, MinSize and Seed configure EDivisive (0 for
	// its defaults: 0.01, 499, 3, 0).
	Alpha        float64
	Permutations int
	MinSize      int
	Seed         uint64
	// Threshold is the smallest relative change of the median reported;
	// smaller significant changes still split the series but are listed
	// as minor.
	Threshold float64
	// MaxPoints bounds the observations per series: a longer series is
	// reduced to one point (the median) per commit. 0 means 500.
	MaxPoints int
	// MachineKeys, when set, are the metadata keys that identify a
	// machine (e.g. cpu_model,cores for CI runners whose host names
	// change); nil means the host (or SLURM cluster and partition) and
	// the CPU model.
	MachineKeys []string
}

// History holds the series of a results set and their change points.
type History struct {
	Options HistoryOptions
	Keys    []string
	Varying []string
	Common  []KeyValue
	Series  []Series
	// Warnings are problems with the input that left it usable.
	Warnings []string
}

// Series is one metric of one configuration on one machine, in commit
// order.
type Series struct {
	// Machine is "host (cpu_model)", or the SLURM cluster and partition
	// instead of the host where the runs carry them.
	Machine string
	// Values are those of History.Keys; Label renders the varying ones.
	Values  []string
	Label   string
	Metric  string
	Points  []Point
	Commits int
	Changes []Change
	// PerCommit is set when the series was reduced to one point per
	// commit (see HistoryOptions.MaxPoints).
	PerCommit bool
}

// Point is one run (or one commit's median) of a series.
type Point struct {
	RunID string
	// Commit is the VCS revision ("" when unknown).
	Commit string
	// Time is the commit time (meta vcs_time) or else the run's start.
	Time  time.Time
	Value float64
	Meta  map[string]string
}

// Change is a detected step in a series.
type Change struct {
	// Index is the series' first point after the change; Commit and Time
	// are that point's.
	Index  int
	Commit string
	Time   time.Time
	// Before and After are the medians of the segments either side.
	Before, After float64
	// Change is After/Before − 1.
	Change float64
	// P is the permutation test's p-value; Confidence is 1 − P.
	P, Confidence float64
	// Minor is set when |Change| is below the threshold.
	Minor bool
	// MetaChanges list machine or software metadata that changed at the
	// same point ("go_version go1.26.1 → go1.26.2").
	MetaChanges []string
}

// HistoryRecords builds the history of records.
func HistoryRecords(recs []results.Record, opt HistoryOptions) (*History, error) {
	if len(recs) == 0 {
		return nil, ErrNoRecords
	}
	runs, warns, err := Runs(recs)
	if err != nil {
		return nil, err
	}
	h, err := HistoryRuns(runs, opt)
	if err != nil {
		return nil, err
	}
	h.Warnings = append(append(warns, schemaWarnings(recs)...), h.Warnings...)
	return h, nil
}

// HistoryRuns builds the history of runs: it groups them by machine and
// configuration, orders each group by commit time (then start time) and
// looks for change points in each metric with EDivisive, splitting only
// between commits.
func HistoryRuns(runs []Run, opt HistoryOptions) (*History, error) {
	if len(runs) == 0 {
		return nil, ErrNoRecords
	}
	if opt.MaxPoints == 0 {
		opt.MaxPoints = 500
	}
	keys := opt.By
	if keys == nil {
		keys = DefaultCompareKeys
	}
	if err := checkKeys(runs, keys); err != nil {
		return nil, err
	}
	if err := checkKeys(runs, opt.MachineKeys); err != nil {
		return nil, fmt.Errorf("machine keys: %w", err)
	}
	metrics, warns, err := selectMetrics(runs, opt.Metrics, DefaultHistoryMetrics)
	if err != nil {
		return nil, err
	}
	h := &History{Options: opt, Keys: keys, Warnings: warns}
	untimed := 0
	for i := range runs {
		if _, ok := runTime(&runs[i]); !ok {
			untimed++
		}
	}
	if untimed > 0 {
		h.Warnings = append(h.Warnings, fmt.Sprintf("%d of %d runs have neither vcs_time nor started metadata; they keep their input order", untimed, len(runs)))
	}
	// One group per machine and configuration.
	byMachine := map[string][]Run{}
	var machines []string
	for _, r := range runs {
		m := machineOf(&r, opt.MachineKeys)
		if _, ok := byMachine[m]; !ok {
			machines = append(machines, m)
		}
		byMachine[m] = append(byMachine[m], r)
	}
	sort.Strings(machines)
	var all []Group
	var seriesMachine []string
	for _, m := range machines {
		for _, g := range groupRuns(byMachine[m], keys) {
			all = append(all, g)
			seriesMachine = append(seriesMachine, m)
		}
	}
	h.Varying, h.Common = splitKeys(keys, all)
	for gi, g := range all {
		// Each run's time is parsed once here, not in every comparison
		// of the sort and every metric's series.
		ordered := make([]timedRun, len(g.Runs))
		for i := range g.Runs {
			t, ok := runTime(&g.Runs[i])
			ordered[i] = timedRun{&g.Runs[i], t, ok}
		}
		sort.SliceStable(ordered, func(i, j int) bool { return runBefore(ordered[i], ordered[j]) })
		for _, metric := range metrics {
			s := Series{Machine: seriesMachine[gi], Values: g.Values, Label: g.Label(keys, h.Varying), Metric: metric}
			for _, r := range ordered {
				v, ok := r.Values[metric]
				if !ok {
					continue
				}
				s.Points = append(s.Points, Point{RunID: r.ID, Commit: r.Meta["vcs_revision"], Time: r.time, Value: v, Meta: r.Meta})
			}
			if len(s.Points) == 0 {
				continue
			}
			if len(s.Points) > opt.MaxPoints {
				s.Points, s.PerCommit = perCommit(s.Points), true
			}
			detect(&s, opt)
			h.Series = append(h.Series, s)
		}
	}
	return h, nil
}

// detect runs EDivisive over the series, allowing splits between commits
// only, and describes each change point.
func detect(s *Series, opt HistoryOptions) {
	n := len(s.Points)
	x := make([]float64, n)
	allowed := make([]bool, n)
	for i, p := range s.Points {
		x[i] = p.Value
		allowed[i] = i == 0 || p.Commit == "" || p.Commit != s.Points[i-1].Commit
		if allowed[i] {
			s.Commits++
		}
	}
	cps := EDivisive(x, EDivisiveOptions{Alpha: opt.Alpha, Permutations: opt.Permutations, MinSize: opt.MinSize, Seed: opt.Seed, Allowed: allowed})
	bounds := []int{0}
	for _, c := range cps {
		bounds = append(bounds, c.Index)
	}
	bounds = append(bounds, n)
	for i, c := range cps {
		before := Summarize(x[bounds[i]:bounds[i+1]], Confidence).Median
		after := Summarize(x[bounds[i+1]:bounds[i+2]], Confidence).Median
		p := s.Points[c.Index]
		ch := Change{Index: c.Index, Commit: p.Commit, Time: p.Time, Before: before, After: after, P: c.P, Confidence: 1 - c.P}
		if before != 0 {
			ch.Change = after/before - 1
		} else {
			ch.Change = math.NaN()
		}
		ch.Minor = !(math.Abs(ch.Change) >= opt.Threshold)
		ch.MetaChanges = metaChanges(s.Points[c.Index-1].Meta, p.Meta)
		s.Changes = append(s.Changes, ch)
	}
}

// perCommit reduces points to one per commit: the median value, the first
// run's identity and time.
func perCommit(points []Point) []Point {
	var out []Point
	for i := 0; i < len(points); {
		j := i + 1
		for j < len(points) && points[i].Commit != "" && points[j].Commit == points[i].Commit {
			j++
		}
		vs := make([]float64, 0, j-i)
		for _, p := range points[i:j] {
			vs = append(vs, p.Value)
		}
		p := points[i]
		p.Value = Summarize(vs, Confidence).Median
		out = append(out, p)
		i = j
	}
	return out
}

// machineOf identifies the machine of a run by the values of keys, or by
// default the SLURM cluster and partition when present (nodes of one
// partition count as one machine), else the host, with the CPU model.
func machineOf(r *Run, keys []string) string {
	if len(keys) > 0 {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + orDash(r.Value(k))
		}
		return strings.Join(parts, " ")
	}
	m := r.Meta["host"]
	if c := r.Meta["slurm_cluster_name"]; c != "" {
		m = c
		if p := r.Meta["slurm_job_partition"]; p != "" {
			m += "/" + p
		}
	}
	if m == "" {
		m = "unknown host"
	}
	if c := r.Meta["cpu_model"]; c != "" {
		m += " (" + c + ")"
	}
	return m
}

// runTime is the commit time of a run (meta vcs_time), else its start.
func runTime(r *Run) (time.Time, bool) {
	for _, k := range []string{"vcs_time", "started"} {
		if v := r.Meta[k]; v != "" {
			if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// timedRun is a run with its runTime.
type timedRun struct {
	*Run
	time  time.Time
	timed bool
}

func runBefore(a, b timedRun) bool {
	if !a.timed || !b.timed {
		return false // keep input order
	}
	if !a.time.Equal(b.time) {
		return a.time.Before(b.time)
	}
	if ra, rb := a.Meta["vcs_revision"], b.Meta["vcs_revision"]; ra != rb {
		return ra < rb // same time, different commits: keep each commit together
	}
	return a.Meta["started"] < b.Meta["started"]
}

// changeKeys are the metadata compared at a change point.
var changeKeys = []string{"cpu_model", "cores", "memory_bytes", "os", "arch", "go_version", "mpi_library", "cuda_version", "gpu_driver", "format_version", "model_digest"}

func metaChanges(before, after map[string]string) []string {
	var out []string
	for _, k := range changeKeys {
		if before[k] != after[k] {
			out = append(out, fmt.Sprintf("%s %s → %s", k, orDash(before[k]), orDash(after[k])))
		}
	}
	return out
}

// ShortCommit shortens a revision to 12 characters (keeping a "+dirty"
// suffix); "" becomes "-".
func ShortCommit(c string) string {
	if c == "" {
		return "-"
	}
	rev, suffix, _ := strings.Cut(c, "+")
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if suffix != "" {
		return rev + "+" + suffix
	}
	return rev
}
