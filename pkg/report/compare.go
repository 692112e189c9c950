package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/snnkit/snnkit/pkg/results"
)

// CompareOptions configure a comparison of two sets of results.
type CompareOptions struct {
	// By are the keys that match configurations between the sides; nil
	// means DefaultCompareKeys.
	By []string
	// Metrics to compare; nil means those of DefaultCompareMetrics that
	// are present.
	Metrics []string
	// Alpha is the significance level of the Mann–Whitney U test; 0
	// means 0.05.
	Alpha float64
	// Threshold is the smallest relative change of the medians (0.02 for
	// 2 %) reported as a change; smaller ones print "~" whatever p.
	Threshold float64
	// Gate enables the regression gate: a lower-is-better metric that
	// is significantly worse by more than FailOnRegression (0.05 for
	// 5 %) fails the comparison.
	Gate             bool
	FailOnRegression float64
	// Confidence of the medians' intervals; 0 means Confidence (95 %).
	Confidence float64
	// BaseName and NewName name the sides in the output.
	BaseName, NewName string
}

// Comparison is the outcome of comparing base and new results.
type Comparison struct {
	Options CompareOptions
	// Keys are the matching keys; Varying those that differ between the
	// matched configurations, Common the others.
	Keys    []string
	Varying []string
	Common  []KeyValue
	// MetaDiff lists metadata that differ between the sides.
	MetaDiff []MetaDiff
	// EnvironmentDiffers is set when the sides ran on different machines
	// or software (not merely different code revisions).
	EnvironmentDiffers bool
	Metrics            []MetricComparison
	// OnlyBase and OnlyNew label configurations found on one side only.
	OnlyBase, OnlyNew []string
	// Regressions and Improvements are the significant changes of
	// lower-is-better metrics, largest first.
	Regressions, Improvements []Delta
	// Failed is set when the gate is enabled and some regression exceeds
	// FailOnRegression.
	Failed bool
	// SamplesNeeded is the number of runs per side the U test needs to
	// reach Alpha at all.
	SamplesNeeded int
	// Warnings are problems with the input that left it usable.
	Warnings []string
}

// MetaDiff is one metadata key whose values differ between the sides.
type MetaDiff struct {
	Key string
	// Kind is "machine", "software", "code" or "model".
	Kind      string
	Base, New string
}

// MetricComparison is the table of one metric: a row per matched
// configuration and the geometric mean over the rows.
type MetricComparison struct {
	Metric  string
	Rows    []Delta
	Geomean *Geomean
}

// Geomean summarises a metric over configurations: the geometric means of
// the base and new medians (rows with positive medians on both sides).
type Geomean struct {
	Base, New, Change float64
	N                 int
}

// Delta compares one metric of one configuration.
type Delta struct {
	Metric string
	// Values of Comparison.Keys; Label renders the varying ones.
	Values []string
	Label  string
	Base   Stats
	New    Stats
	// Change is New.Median/Base.Median − 1 (NaN when the base median is
	// 0 and the new one is not).
	Change float64
	// P is the Mann–Whitney U test's two-sided p-value.
	P float64
	// Significant: P < Alpha and |Change| ≥ Threshold.
	Significant bool
	// Regression and Improvement: significant changes of a lower-is-
	// better metric in the bad and the good direction.
	Regression, Improvement bool
	// Fails: a regression larger than the gate's FailOnRegression.
	Fails bool
	// TooFew is set when the sample sizes make P < Alpha impossible.
	TooFew bool
	Notes  []string
}

// DeltaString renders the change as benchstat does: "~" when not
// significant, else the signed percentage.
func (d Delta) DeltaString() string {
	if !d.Significant {
		return "~"
	}
	if math.IsNaN(d.Change) {
		return "?"
	}
	return fmt.Sprintf("%+.2f%%", 100*d.Change)
}

// CompareRecords compares new records against base records.
func CompareRecords(base, new []results.Record, opt CompareOptions) (*Comparison, error) {
	name := func(s, def string) string {
		if s == "" {
			return def
		}
		return s
	}
	opt.BaseName, opt.NewName = name(opt.BaseName, "base"), name(opt.NewName, "new")
	if len(base) == 0 {
		return nil, fmt.Errorf("%s: %w", opt.BaseName, ErrNoRecords)
	}
	if len(new) == 0 {
		return nil, fmt.Errorf("%s: %w", opt.NewName, ErrNoRecords)
	}
	br, bw, err := Runs(base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.BaseName, err)
	}
	nr, nw, err := Runs(new)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.NewName, err)
	}
	c, err := CompareRuns(br, nr, opt)
	if err != nil {
		return nil, err
	}
	var warns []string
	for _, w := range bw {
		warns = append(warns, opt.BaseName+": "+w)
	}
	for _, w := range nw {
		warns = append(warns, opt.NewName+": "+w)
	}
	warns = append(warns, schemaWarnings(append(append([]results.Record(nil), base...), new...))...)
	c.Warnings = append(warns, c.Warnings...)
	return c, nil
}

// CompareRuns compares new runs against base runs: configurations are
// matched by the values of the keys, and for each metric the medians are
// compared with the Mann–Whitney U test.
func CompareRuns(base, new []Run, opt CompareOptions) (*Comparison, error) {
	if opt.Alpha == 0 {
		opt.Alpha = 0.05
	}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return nil, fmt.Errorf("alpha %v: want a level between 0 and 1 (e.g. 0.05)", opt.Alpha)
	}
	if opt.Threshold < 0 || opt.FailOnRegression < 0 {
		return nil, fmt.Errorf("threshold and fail-on-regression must not be negative")
	}
	if opt.Confidence == 0 {
		opt.Confidence = Confidence
	}
	keys := opt.By
	if keys == nil {
		keys = DefaultCompareKeys
	}
	all := append(append([]Run(nil), base...), new...)
	if err := checkKeys(all, keys); err != nil {
		return nil, err
	}
	metrics, mwarns, err := selectMetrics(all, opt.Metrics, DefaultCompareMetrics)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Options: opt, Keys: keys, Warnings: mwarns, SamplesNeeded: samplesNeeded(opt.Alpha)}
	c.MetaDiff, c.EnvironmentDiffers = metaDiff(base, new)
	bg, ng := groupRuns(base, keys), groupRuns(new, keys)
	newIdx := map[string]int{}
	for i, g := range ng {
		newIdx[strings.Join(g.Values, "\x00")] = i
	}
	type pair struct{ b, n *Group }
	var pairs []pair
	matched := map[int]bool{}
	for i := range bg {
		j, ok := newIdx[strings.Join(bg[i].Values, "\x00")]
		if !ok {
			c.OnlyBase = append(c.OnlyBase, bg[i].Label(keys, keys))
			continue
		}
		matched[j] = true
		pairs = append(pairs, pair{&bg[i], &ng[j]})
	}
	for j := range ng {
		if !matched[j] {
			c.OnlyNew = append(c.OnlyNew, ng[j].Label(keys, keys))
		}
	}
	if len(pairs) == 0 {
		return nil, fmt.Errorf("no configuration of %s matches one of %s by %s (%s has %s; %s has %s); choose other keys with --by",
			opt.BaseName, opt.NewName, strings.Join(keys, ","), opt.BaseName, listOr(c.OnlyBase), opt.NewName, listOr(c.OnlyNew))
	}
	matchedGroups := make([]Group, len(pairs))
	for i, p := range pairs {
		matchedGroups[i] = *p.b
	}
	c.Varying, c.Common = splitKeys(keys, matchedGroups)
	for _, m := range metrics {
		t := MetricComparison{Metric: m}
		for _, p := range pairs {
			bv, nv := values(p.b.Runs, m), values(p.n.Runs, m)
			label := p.b.Label(keys, c.Varying)
			if len(bv) == 0 || len(nv) == 0 {
				side := opt.BaseName
				if len(bv) > 0 {
					side = opt.NewName
				}
				c.Warnings = append(c.Warnings, fmt.Sprintf("%s %s: metric %q missing on the %s side", m, orDash(label), m, side))
				continue
			}
			d := compareValues(m, bv, nv, opt)
			d.Values, d.Label = p.b.Values, label
			t.Rows = append(t.Rows, d)
			if d.Regression {
				c.Regressions = append(c.Regressions, d)
			}
			if d.Improvement {
				c.Improvements = append(c.Improvements, d)
			}
			if d.Fails {
				c.Failed = true
			}
		}
		if len(t.Rows) == 0 {
			continue
		}
		t.Geomean = geomean(t.Rows)
		c.Metrics = append(c.Metrics, t)
	}
	sort.SliceStable(c.Regressions, func(i, j int) bool { return c.Regressions[i].Change > c.Regressions[j].Change })
	sort.SliceStable(c.Improvements, func(i, j int) bool { return c.Improvements[i].Change < c.Improvements[j].Change })
	return c, nil
}

func listOr(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	if len(l) > 4 {
		return strings.Join(l[:4], "; ") + fmt.Sprintf("; … (%d in all)", len(l))
	}
	return strings.Join(l, "; ")
}

// values lists the runs' values of the metric, skipping runs without it.
func values(runs []Run, metric string) []float64 {
	var vs []float64
	for _, r := range runs {
		if v, ok := r.Values[metric]; ok {
			vs = append(vs, v)
		}
	}
	return vs
}

func compareValues(metric string, bv, nv []float64, opt CompareOptions) Delta {
	th := &benchmath.Thresholds{CompareAlpha: opt.Alpha}
	bs, ns := Summarize(bv, opt.Confidence), Summarize(nv, opt.Confidence)
	cmp := benchmath.AssumeNothing.Compare(benchmath.NewSample(append([]float64(nil), bv...), th), benchmath.NewSample(append([]float64(nil), nv...), th))
	d := Delta{Metric: metric, Base: bs, New: ns, P: cmp.P}
	switch {
	case bs.Median == ns.Median:
		d.Change = 0
	case bs.Median == 0:
		d.Change = math.NaN()
	default:
		d.Change = ns.Median/bs.Median - 1
	}
	d.Significant = cmp.P < opt.Alpha && !math.IsNaN(d.Change) && math.Abs(d.Change) >= opt.Threshold && d.Change != 0
	if minP := minUTestP(len(bv), len(nv)); minP >= opt.Alpha {
		d.TooFew = true
		d.Notes = append(d.Notes, fmt.Sprintf("need ≥ %d samples per side to detect a difference at alpha %v (have %d+%d; the smallest possible p is %.3g)",
			samplesNeeded(opt.Alpha), opt.Alpha, len(bv), len(nv), minP))
	}
	for _, w := range cmp.Warnings {
		if !d.TooFew || !strings.Contains(w.Error(), "samples to detect") {
			d.Notes = append(d.Notes, w.Error())
		}
	}
	if d.Significant && LowerIsBetter(metric) {
		d.Regression, d.Improvement = d.Change > 0, d.Change < 0
		d.Fails = opt.Gate && d.Change > opt.FailOnRegression
	}
	return d
}

func geomean(rows []Delta) *Geomean {
	var lb, ln float64
	n := 0
	for _, r := range rows {
		if r.Base.Median > 0 && r.New.Median > 0 {
			lb += math.Log(r.Base.Median)
			ln += math.Log(r.New.Median)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	g := &Geomean{Base: math.Exp(lb / float64(n)), New: math.Exp(ln / float64(n)), N: n}
	g.Change = g.New/g.Base - 1
	return g
}

// metaKinds classifies the metadata keys compared between the sides.
var metaKinds = map[string]string{
	"host": "machine", "cpu_model": "machine", "cores": "machine", "memory_bytes": "machine", "os": "machine", "arch": "machine",
	"gpu_model": "machine", "gpu_driver": "machine", "slurm_cluster_name": "machine", "slurm_job_partition": "machine",
	"slurm_job_num_nodes": "machine", "slurm_ntasks_per_node": "machine", "slurm_cpus_per_task": "machine",
	"go_version": "software", "mpi_library": "software", "tool_version": "software", "cuda_version": "software", "format_version": "software",
	"vcs_revision": "code", "vcs_modified": "code", "vcs_time": "code",
	"model_digest": "model", "dt": "model",
}

// metaDiff lists the metadata keys (and the machine profile) whose sets of
// values differ between the sides.
func metaDiff(base, new []Run) ([]MetaDiff, bool) {
	collect := func(runs []Run) map[string]map[string]bool {
		m := map[string]map[string]bool{}
		add := func(k, v string) {
			if m[k] == nil {
				m[k] = map[string]bool{}
			}
			m[k][v] = true
		}
		for _, r := range runs {
			for k := range metaKinds {
				add(k, r.Meta[k])
			}
			add("machine profile", r.Config.Machine)
		}
		return m
	}
	b, n := collect(base), collect(new)
	var diffs []MetaDiff
	env := false
	for k := range b {
		bs, ns := valueSet(b[k]), valueSet(n[k])
		if bs == ns {
			continue
		}
		kind := metaKinds[k]
		if kind == "" {
			kind = "machine"
		}
		diffs = append(diffs, MetaDiff{Key: k, Kind: kind, Base: bs, New: ns})
		if kind == "machine" || kind == "software" {
			env = true
		}
	}
	order := map[string]int{"machine": 0, "software": 1, "model": 2, "code": 3}
	sort.Slice(diffs, func(i, j int) bool {
		if order[diffs[i].Kind] != order[diffs[j].Kind] {
			return order[diffs[i].Kind] < order[diffs[j].Kind]
		}
		return diffs[i].Key < diffs[j].Key
	})
	return diffs, env
}

func valueSet(s map[string]bool) string {
	l := make([]string, 0, len(s))
	for v := range s {
		l = append(l, orDash(v))
	}
	sort.Strings(l)
	if len(l) > 3 {
		return strings.Join(l[:3], ", ") + fmt.Sprintf(", … (%d values)", len(l))
	}
	return strings.Join(l, ", ")
}
