package report

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// AggregateOptions choose the grouping and the metrics of an aggregation.
type AggregateOptions struct {
	// By are the grouping keys (see ConfigKeys); nil means
	// DefaultReportKeys.
	By []string
	// Metrics to summarise; nil means every metric present.
	Metrics []string
	// Confidence of the median's interval; 0 means Confidence (95 %).
	Confidence float64
}

// Aggregate is a set of runs grouped into configurations with statistics
// over the repetitions of each.
type Aggregate struct {
	// Keys are the grouping keys; Varying are those whose value differs
	// between groups, Common the others with their one value.
	Keys    []string
	Varying []string
	Common  []KeyValue
	Metrics []string
	Groups  []Group
	// Records and Runs count the input.
	Records, Runs int
	// Warnings are problems that left the data usable.
	Warnings []string
}

// KeyValue is a grouping key with its value.
type KeyValue struct{ Key, Value string }

// Group is one configuration: the runs sharing the values of the grouping
// keys.
type Group struct {
	// Values are the values of Aggregate.Keys, in that order.
	Values []string
	Runs   []Run
	// Stats holds, per metric, the statistics over the group's runs
	// that have the metric.
	Stats map[string]Stats
}

// Label renders the group's values of the given keys as "key=value"
// pairs; keys must be a subset of the aggregate's keys.
func (g Group) Label(all, keys []string) string {
	var parts []string
	for _, k := range keys {
		for i, a := range all {
			if a == k {
				parts = append(parts, k+"="+orDash(g.Values[i]))
			}
		}
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ErrNoRecords is returned for an empty input.
var ErrNoRecords = errors.New("no result records")

// AggregateRecords groups records into runs and runs into configurations
// and summarises each metric over the repetitions.
func AggregateRecords(recs []results.Record, opt AggregateOptions) (*Aggregate, error) {
	if len(recs) == 0 {
		return nil, ErrNoRecords
	}
	runs, warns, err := Runs(recs)
	if err != nil {
		return nil, err
	}
	warns = append(warns, schemaWarnings(recs)...)
	a, err := AggregateRuns(runs, opt)
	if err != nil {
		return nil, err
	}
	a.Records = len(recs)
	a.Warnings = append(warns, a.Warnings...)
	return a, nil
}

// AggregateRuns groups runs into configurations and summarises each
// metric over the repetitions.
func AggregateRuns(runs []Run, opt AggregateOptions) (*Aggregate, error) {
	if len(runs) == 0 {
		return nil, ErrNoRecords
	}
	keys := opt.By
	if keys == nil {
		keys = DefaultReportKeys
	}
	if err := checkKeys(runs, keys); err != nil {
		return nil, err
	}
	conf := opt.Confidence
	if conf == 0 {
		conf = Confidence
	}
	metrics, warns, err := selectMetrics(runs, opt.Metrics, nil)
	if err != nil {
		return nil, err
	}
	a := &Aggregate{Keys: keys, Metrics: metrics, Runs: len(runs), Warnings: warns}
	a.Groups = groupRuns(runs, keys)
	for gi := range a.Groups {
		g := &a.Groups[gi]
		g.Stats = map[string]Stats{}
		for _, m := range metrics {
			vs := values(g.Runs, m)
			if len(vs) == 0 {
				continue
			}
			if len(vs) < len(g.Runs) {
				a.Warnings = append(a.Warnings, fmt.Sprintf("%s: metric %q missing in %d of %d runs", g.Label(keys, keys), m, len(g.Runs)-len(vs), len(g.Runs)))
			}
			g.Stats[m] = Summarize(vs, conf)
		}
	}
	a.Varying, a.Common = splitKeys(keys, a.Groups)
	return a, nil
}

// groupRuns partitions runs by their values of keys; groups are sorted by
// those values (numbers numerically).
func groupRuns(runs []Run, keys []string) []Group {
	idx := map[string]int{}
	var groups []Group
	for _, r := range runs {
		vals := make([]string, len(keys))
		for i, k := range keys {
			vals[i] = r.Value(k)
		}
		id := strings.Join(vals, "\x00")
		i, ok := idx[id]
		if !ok {
			i = len(groups)
			idx[id] = i
			groups = append(groups, Group{Values: vals})
		}
		groups[i].Runs = append(groups[i].Runs, r)
	}
	sort.SliceStable(groups, func(i, j int) bool { return lessValues(groups[i].Values, groups[j].Values) })
	return groups
}

func lessValues(a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		return naturalLess(a[i], b[i])
	}
	return false
}

// naturalLess compares numbers numerically and everything else as text.
func naturalLess(a, b string) bool {
	x, ea := strconv.ParseFloat(a, 64)
	y, eb := strconv.ParseFloat(b, 64)
	if ea == nil && eb == nil {
		return x < y
	}
	return a < b
}

func splitKeys(keys []string, groups []Group) (varying []string, common []KeyValue) {
	for i, k := range keys {
		same := true
		for _, g := range groups[1:] {
			if g.Values[i] != groups[0].Values[i] {
				same = false
				break
			}
		}
		if same && len(groups) > 1 || len(groups) == 1 {
			if groups[0].Values[i] != "" {
				common = append(common, KeyValue{k, groups[0].Values[i]})
			}
		} else {
			varying = append(varying, k)
		}
	}
	return varying, common
}

// schemaWarnings reports records of different format versions.
func schemaWarnings(recs []results.Record) []string {
	versions := map[string]int{}
	for _, r := range recs {
		versions[r.Meta["format_version"]]++
	}
	if len(versions) < 2 {
		return nil
	}
	var parts []string
	for v, n := range versions {
		parts = append(parts, fmt.Sprintf("%d records of format version %s", n, orDash(v)))
	}
	sort.Strings(parts)
	return []string{"mixed result format versions: " + strings.Join(parts, ", ")}
}
