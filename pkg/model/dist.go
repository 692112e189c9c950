package model

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Distribution kinds.
const (
	Constant = "constant"
	Normal   = "normal"
	Uniform  = "uniform"
)

// DistKinds lists the accepted distribution kinds.
var DistKinds = []string{Constant, Normal, Uniform}

// Dist is a constant or a random distribution of a per-synapse or
// per-neuron value. In YAML a plain number is a constant; a mapping is
//
//	{dist: normal, mean: M, sd: S, min: A, max: B}   # min/max optional: values outside are redrawn (nest.math.redraw)
//	{dist: uniform, low: A, high: B}                 # [A, B)
type Dist struct {
	Kind  string
	Value float64
	Mean  float64
	SD    float64
	Min   *float64
	Max   *float64
	Low   float64
	High  float64
}

// Const returns a constant distribution.
func Const(v float64) Dist { return Dist{Kind: Constant, Value: v} }

// NormalDist returns a normal distribution without bounds.
func NormalDist(mean, sd float64) Dist { return Dist{Kind: Normal, Mean: mean, SD: sd} }

// Bounded returns d with values outside [min, max] redrawn; use ±Inf for no bound.
func (d Dist) Bounded(min, max float64) Dist {
	if !math.IsInf(min, -1) {
		d.Min = &min
	}
	if !math.IsInf(max, 1) {
		d.Max = &max
	}
	return d
}

// IsConst reports whether d always gives the same value.
func (d Dist) IsConst() bool { return d.Kind == Constant || d.Kind == "" }

// Mean returns the distribution's nominal centre (constant value, normal
// mean, or uniform midpoint), for display and sign checks.
func (d Dist) Centre() float64 {
	switch d.Kind {
	case Normal:
		return d.Mean
	case Uniform:
		return (d.Low + d.High) / 2
	}
	return d.Value
}

// String renders d compactly, e.g. "87.8" or "normal(87.8, 8.78) ≥ 0".
func (d Dist) String() string {
	switch d.Kind {
	case Normal:
		s := fmt.Sprintf("normal(%g, %g)", d.Mean, d.SD)
		if d.Min != nil {
			s += fmt.Sprintf(" ≥ %g", *d.Min)
		}
		if d.Max != nil {
			s += fmt.Sprintf(" ≤ %g", *d.Max)
		}
		return s
	case Uniform:
		return fmt.Sprintf("uniform[%g, %g)", d.Low, d.High)
	}
	return fmt.Sprintf("%g", d.Value)
}

// fields returns the mapping form of d (nil for a constant).
func (d Dist) fields() map[string]any {
	switch d.Kind {
	case Normal:
		m := map[string]any{"dist": Normal, "mean": d.Mean, "sd": d.SD}
		if d.Min != nil {
			m["min"] = *d.Min
		}
		if d.Max != nil {
			m["max"] = *d.Max
		}
		return m
	case Uniform:
		return map[string]any{"dist": Uniform, "low": d.Low, "high": d.High}
	}
	return nil
}

// MarshalYAML writes a constant as a number and a distribution as a mapping
// with its keys in a fixed order.
func (d Dist) MarshalYAML() (any, error) {
	f := d.fields()
	if f == nil {
		return d.Value, nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, k := range []string{"dist", "mean", "sd", "min", "max", "low", "high"} {
		v, ok := f[k]
		if !ok {
			continue
		}
		var vn yaml.Node
		if err := vn.Encode(v); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, &vn)
	}
	return n, nil
}

// MarshalJSON writes the same shape as MarshalYAML (map keys sorted by
// encoding/json), which the model digest relies on.
func (d Dist) MarshalJSON() ([]byte, error) {
	if f := d.fields(); f != nil {
		return json.Marshal(f)
	}
	return json.Marshal(d.Value)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Dist) UnmarshalJSON(b []byte) error {
	var n yaml.Node
	if err := yaml.Unmarshal(b, &n); err != nil {
		return err
	}
	if len(n.Content) == 1 {
		return d.UnmarshalYAML(n.Content[0])
	}
	return d.UnmarshalYAML(&n)
}

var distKeys = map[string][]string{
	Normal:  {"dist", "mean", "sd", "min", "max"},
	Uniform: {"dist", "low", "high"},
}

// UnmarshalYAML reads a number or a distribution mapping, rejecting unknown
// keys with their line and column.
func (d *Dist) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var v float64
		if err := n.Decode(&v); err != nil {
			return posErr(n, "expected a number or a {dist: ...} mapping, got %q", n.Value)
		}
		*d = Const(v)
		return nil
	case yaml.MappingNode:
	default:
		return posErr(n, "expected a number or a {dist: ...} mapping")
	}
	vals := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		vals[n.Content[i].Value] = n.Content[i+1]
	}
	kn, ok := vals["dist"]
	if !ok {
		return posErr(n, "distribution needs a dist key (one of %s)", strings.Join(DistKinds, ", "))
	}
	kind := kn.Value
	allowed, ok := distKeys[kind]
	if !ok {
		if kind == Constant {
			allowed = []string{"dist", "value"}
		} else {
			return posErr(kn, "unknown dist %q (accepted: %s)", kind, strings.Join(DistKinds, ", "))
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			return posErr(k, "unknown key %q for dist %s (accepted: %s)", k.Value, kind, strings.Join(allowed, ", "))
		}
	}
	num := func(key string, required bool) (*float64, error) {
		vn, ok := vals[key]
		if !ok {
			if required {
				return nil, posErr(n, "dist %s needs %s", kind, key)
			}
			return nil, nil
		}
		var v float64
		if err := vn.Decode(&v); err != nil {
			return nil, posErr(vn, "%s: expected a number, got %q", key, vn.Value)
		}
		return &v, nil
	}
	out := Dist{Kind: kind}
	var err error
	get := func(key string, dst *float64) {
		if err != nil {
			return
		}
		var p *float64
		if p, err = num(key, true); p != nil {
			*dst = *p
		}
	}
	switch kind {
	case Constant:
		get("value", &out.Value)
	case Normal:
		get("mean", &out.Mean)
		get("sd", &out.SD)
		if err == nil {
			out.Min, err = num("min", false)
		}
		if err == nil {
			out.Max, err = num("max", false)
		}
	case Uniform:
		get("low", &out.Low)
		get("high", &out.High)
	}
	if err != nil {
		return err
	}
	*d = out
	return nil
}

// check validates the parameters of d.
func (d Dist) check() error {
	switch d.Kind {
	case Constant, "":
		if math.IsNaN(d.Value) || math.IsInf(d.Value, 0) {
			return fmt.Errorf("value must be finite, got %g", d.Value)
		}
	case Normal:
		if math.IsNaN(d.Mean) || math.IsInf(d.Mean, 0) || !(d.SD >= 0) || math.IsInf(d.SD, 0) {
			return fmt.Errorf("normal needs a finite mean and a finite sd ≥ 0, got mean %g sd %g", d.Mean, d.SD)
		}
		lo, hi := math.Inf(-1), math.Inf(1)
		if d.Min != nil {
			lo = *d.Min
		}
		if d.Max != nil {
			hi = *d.Max
		}
		if !(lo < hi) {
			return fmt.Errorf("normal needs min < max, got min %g max %g", lo, hi)
		}
		// Redrawing outside [lo, hi] must terminate quickly: demand at
		// least 0.1 % of the mass inside.
		if mass := normalMass(d.Mean, d.SD, lo, hi); mass < 1e-3 {
			return fmt.Errorf("normal(%g, %g) has only %.2g of its mass in [%g, %g]: redrawing would not end", d.Mean, d.SD, mass, lo, hi)
		}
	case Uniform:
		if !(d.Low < d.High) || math.IsInf(d.Low, 0) || math.IsInf(d.High, 0) {
			return fmt.Errorf("uniform needs finite low < high, got low %g high %g", d.Low, d.High)
		}
	default:
		return fmt.Errorf("unknown dist %q (accepted: %s)", d.Kind, strings.Join(DistKinds, ", "))
	}
	return nil
}

// bounds returns the smallest and largest value d can give.
func (d Dist) bounds() (lo, hi float64) {
	switch d.Kind {
	case Normal:
		lo, hi = math.Inf(-1), math.Inf(1)
		if d.SD == 0 {
			lo, hi = d.Mean, d.Mean
		}
		if d.Min != nil {
			lo = math.Max(lo, *d.Min)
		}
		if d.Max != nil {
			hi = math.Min(hi, *d.Max)
		}
		return lo, hi
	case Uniform:
		return d.Low, d.High
	}
	return d.Value, d.Value
}

func normalMass(mean, sd, lo, hi float64) float64 {
	if sd == 0 {
		if mean >= lo && mean <= hi {
			return 1
		}
		return 0
	}
	cdf := func(x float64) float64 { return 0.5 * math.Erfc(-(x-mean)/(sd*math.Sqrt2)) }
	return cdf(hi) - cdf(lo)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
