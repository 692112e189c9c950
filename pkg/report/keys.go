package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/snnkit/snnkit/pkg/results"
)

// ConfigKeys are the configuration fields a grouping key may name, spelled
// as in the JSON of results.RunConfig. "params" stands for all model
// parameters together ("N=2000 g=5"); "param.NAME" names one of them. Any
// other key names a metadata string of the run (results.Record.Meta:
// "host", "cpu_model", "go_version", "vcs_revision", ...).
var ConfigKeys = []string{"benchmark", "machine", "model", "params", "seed", "ranks", "threads", "backend", "comm", "scaling", "t_presim", "t_sim"}

// DefaultReportKeys group a results directory for the report: every
// configuration field except the seed (repetitions may vary it) and the
// benchmark's name, plus the machine profile.
var DefaultReportKeys = []string{"machine", "model", "params", "ranks", "threads", "backend", "comm", "scaling", "t_presim", "t_sim"}

// DefaultCompareKeys match configurations between the two sides of a
// comparison and group the series of a history: DefaultReportKeys without
// the machine profile, so that runs on different machines can be compared.
var DefaultCompareKeys = []string{"model", "params", "ranks", "threads", "backend", "comm", "scaling", "t_presim", "t_sim"}

// ParseKeys parses a comma-separated list of grouping keys ("model,ranks,
// param.N,host"). Keys are trimmed; empty, duplicate or malformed keys are
// errors naming the key and the accepted form. An empty list gives nil.
func ParseKeys(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var keys []string
	seen := map[string]bool{}
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			return nil, fmt.Errorf("key list %q: empty key (accepted: comma-separated keys such as model,ranks,threads,param.N,host)", s)
		}
		if !validKey(k) {
			return nil, fmt.Errorf("key list %q: key %q: only letters, digits and . _ - are allowed, and param.NAME needs a NAME", s, k)
		}
		if seen[k] {
			return nil, fmt.Errorf("key list %q: key %q given twice", s, k)
		}
		seen[k] = true
		keys = append(keys, k)
	}
	return keys, nil
}

func validKey(k string) bool {
	if k == results.ParamColumnPrefix || strings.HasPrefix(k, ".") || strings.HasSuffix(k, ".") {
		return false
	}
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return true
}

// ParsePercent parses a relative amount given in percent: "5%", "5", "2.5 %"
// all mean 5 % (2.5 %) and give 0.05 (0.025). Negative, non-finite or
// malformed values are errors.
func ParsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v > 1e6 || v != v {
		return 0, fmt.Errorf("percentage %q: want a number of percent such as 5%% or 2.5 (0 to 1e6)", s)
	}
	return v / 100, nil
}

// configValue returns the value of a configuration key, and whether key is
// one.
func configValue(c results.RunConfig, key string) (string, bool) {
	switch key {
	case "benchmark":
		return c.Benchmark, true
	case "machine":
		return c.Machine, true
	case "model":
		return c.Model, true
	case "params":
		return formatParams(c.Params), true
	case "seed":
		return strconv.FormatUint(c.Seed, 10), true
	case "ranks":
		return strconv.Itoa(c.Ranks), true
	case "threads":
		return strconv.Itoa(c.Threads), true
	case "backend":
		return c.Backend, true
	case "comm":
		return c.Comm, true
	case "scaling":
		return c.Scaling, true
	case "t_presim":
		return strconv.FormatFloat(c.TPresim, 'g', -1, 64), true
	case "t_sim":
		return strconv.FormatFloat(c.TSim, 'g', -1, 64), true
	}
	return "", false
}

func formatParams(p map[string]string) string {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + p[k]
	}
	return strings.Join(parts, " ")
}

// Value returns the value of a grouping key for the run ("" when the run
// lacks it).
func (r *Run) Value(key string) string {
	if v, ok := configValue(r.Config, key); ok {
		return v
	}
	if name, ok := strings.CutPrefix(key, results.ParamColumnPrefix); ok {
		return r.Config.Params[name]
	}
	return r.Meta[key]
}

// checkKeys reports keys that no run knows: neither a configuration field
// nor a parameter or metadata key present in some run.
func checkKeys(runs []Run, keys []string) error {
	params, metas := map[string]bool{}, map[string]bool{}
	for i := range runs {
		for k := range runs[i].Config.Params {
			params[k] = true
		}
		for k := range runs[i].Meta {
			metas[k] = true
		}
	}
	for _, k := range keys {
		if _, ok := configValue(results.RunConfig{}, k); ok {
			continue
		}
		if name, ok := strings.CutPrefix(k, results.ParamColumnPrefix); ok {
			if !params[name] {
				return fmt.Errorf("key %q: no run has parameter %q (parameters present: %s)", k, name, setList(params, results.ParamColumnPrefix))
			}
			continue
		}
		if !metas[k] {
			return fmt.Errorf("key %q: not a configuration field (%s), a param.NAME (%s) or a metadata key present in the runs (%s)",
				k, strings.Join(ConfigKeys, ", "), setList(params, results.ParamColumnPrefix), setList(metas, ""))
		}
	}
	return nil
}

func setList(m map[string]bool, prefix string) string {
	if len(m) == 0 {
		return "none"
	}
	l := make([]string, 0, len(m))
	for k := range m {
		l = append(l, prefix+k)
	}
	sort.Strings(l)
	return strings.Join(l, ", ")
}
