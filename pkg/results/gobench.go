package results

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// GoBenchName is the base name of every benchmark line WriteGoBench writes.
const GoBenchName = "BenchmarkSimulate"

// goBenchKeys are the file-level configuration keys of WriteGoBench, in
// output order, with where their value comes from.
var goBenchKeys = []struct {
	key string
	get func(*Record) string
}{
	{"goos", func(r *Record) string { return r.Meta["os"] }},
	{"goarch", func(r *Record) string { return r.Meta["arch"] }},
	{"cpu", func(r *Record) string { return r.Meta["cpu_model"] }},
	{"machine", func(r *Record) string {
		if r.Config.Machine != "" {
			return r.Config.Machine
		}
		return r.Meta["host"]
	}},
	{"commit", func(r *Record) string {
		c := r.Meta["vcs_revision"]
		if c != "" && r.Meta["vcs_modified"] == "true" {
			c += DirtySuffix
		}
		return c
	}},
}

// goBenchMetrics are the measurements of a benchmark line, in output order:
// the run's summary figure ("run."+metric) where the record has it, else
// the largest value over the run's ranks; and the unit it is written in.
var goBenchMetrics = []struct{ metric, unit string }{
	{"time_simulate", "time_simulate-sec"},
	{"real_time_factor", "real_time_factor"},
	{"time_construction_load", "time_construction_load-sec"},
	{"time_presimulate", "time_presimulate-sec"},
	{"time_update", "time_update-sec"},
	{"time_deliver", "time_deliver-sec"},
	{"time_communicate", "time_communicate-sec"},
	{"time_record", "time_record-sec"},
	{"peak_rss_bytes", "peak_rss-B"},
	{"bytes_per_synapse", "B/synapse"},
}

// WriteGoBench writes records in the Go benchmark format
// (golang.org/design/14313-benchmark-format), which benchstat reads: one
// line per run (records grouped by RunID, in order of first appearance),
// named from the run's configuration,
//
//	BenchmarkSimulate/model=brunel/N=2000/ranks=2/threads=1/comm=collective/backend=cpu/scaling=strong/t_presim=100/t_sim=1000 1 3.21 time_simulate-sec 0.00321 real_time_factor ...
//
// with the run's summary (the slowest rank's timers, the job's peak memory)
// and, for the phase timers the summary lacks, the largest value over its
// ranks. The seed, benchmark and machine names are not part of the name, so
// repetitions of a configuration are samples of one benchmark. Before the
// runs come file-level keys — goos, goarch, cpu, machine (the machine
// profile, else the host) and commit (vcs_revision, with "+dirty" when
// modified) — and where they change between runs they are written again
// before the run they apply to (an empty value clears a key). Spaces and
// slashes in names and values become "_". Comparing two commits:
// benchstat -ignore commit base.txt new.txt, or, in one file,
// benchstat -col commit all.txt.
func WriteGoBench(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	var order []string
	runs := map[string][]*Record{}
	for i := range recs {
		id := recs[i].RunID
		if _, ok := runs[id]; !ok {
			order = append(order, id)
		}
		runs[id] = append(runs[id], &recs[i])
	}
	current := map[string]string{}
	for n, id := range order {
		rr := runs[id]
		first := rr[0]
		changed := false
		for _, k := range goBenchKeys {
			v := configValue(k.get(first))
			if v == current[k.key] {
				continue
			}
			if !changed && n > 0 {
				fmt.Fprintln(bw)
			}
			changed = true
			if v == "" {
				fmt.Fprintf(bw, "%s:\n", k.key)
				delete(current, k.key)
			} else {
				fmt.Fprintf(bw, "%s: %s\n", k.key, v)
				current[k.key] = v
			}
		}
		var vals []string
		for _, m := range goBenchMetrics {
			v, ok := runValue(rr, m.metric)
			if !ok {
				continue
			}
			vals = append(vals, strconv.FormatFloat(v, 'g', -1, 64), m.unit)
		}
		if len(vals) == 0 {
			return fmt.Errorf("write Go benchmark format: run %s has none of the metrics %s", id, goBenchMetricNames())
		}
		fmt.Fprintf(bw, "%s 1 %s\n", goBenchLineName(&first.Config), strings.Join(vals, " "))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write Go benchmark format: %w", err)
	}
	return nil
}

func goBenchMetricNames() string {
	var s []string
	for _, m := range goBenchMetrics {
		s = append(s, m.metric)
	}
	return strings.Join(s, ", ")
}

// runValue is the run's summary value of metric, else its largest rank
// value; non-finite values do not count.
func runValue(rr []*Record, metric string) (float64, bool) {
	if v, ok := rr[0].Metrics[RunMetricPrefix+metric]; ok && isFinite(v) {
		return v, true
	}
	best, found := 0.0, false
	for _, r := range rr {
		if v, ok := r.Metrics[metric]; ok && isFinite(v) && (!found || v > best) {
			best, found = v, true
		}
	}
	return best, found
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

var trailingProcs = regexp.MustCompile(`-([0-9]+)$`)

// goBenchLineName is the benchmark name of a configuration.
func goBenchLineName(c *RunConfig) string {
	var b strings.Builder
	b.WriteString(GoBenchName)
	part := func(k, v string) {
		if v == "" {
			return
		}
		b.WriteString("/" + strings.ReplaceAll(nameToken(k), "=", "_") + "=" + nameToken(v))
	}
	fixed := map[string]bool{"model": true, "ranks": true, "threads": true, "comm": true, "backend": true, "scaling": true, "t_presim": true, "t_sim": true}
	part("model", c.Model)
	for _, k := range slices.Sorted(maps.Keys(c.Params)) {
		name := k
		if fixed[k] {
			name = ParamColumnPrefix + k
		}
		part(name, c.Params[k])
	}
	part("ranks", strconv.Itoa(c.Ranks))
	part("threads", strconv.Itoa(c.Threads))
	part("comm", c.Comm)
	part("backend", c.Backend)
	part("scaling", c.Scaling)
	part("t_presim", strconv.FormatFloat(c.TPresim, 'g', -1, 64))
	part("t_sim", strconv.FormatFloat(c.TSim, 'g', -1, 64))
	// A final "-N" would read as GOMAXPROCS.
	return trailingProcs.ReplaceAllString(b.String(), "_$1")
}

// nameToken makes s safe inside a benchmark name: no spaces, no "/".
func nameToken(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '/' || !unicode.IsPrint(r) {
			return '_'
		}
		return r
	}, s)
}

// configValue makes s safe as a file-level value: one line, trimmed.
func configValue(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return ' '
		}
		return r
	}, s))
}
