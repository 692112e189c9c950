package model

import (
	"math"
	"strconv"
	"strings"
)

// Structural plasticity rules.
const (
	// Bamford is the topographic rewiring of Bamford, Murray & Willshaw
	// (2010): at every rewiring step each target neuron draws one candidate
	// source; a connected candidate is eliminated with a weight-dependent
	// probability, an unconnected one is formed with probability
	// p_form·exp(−d²/(2σ²)), d the torus distance of their grid positions.
	Bamford = "bamford"
	// DeepR is DEEP R (Bellec et al. 2018) as GeNN's mlGeNN rewires it:
	// synapses whose weight falls below the threshold become dormant and
	// are removed, and as many new synapses from random unconnected sources
	// are created, so the number of synapses stays fixed.
	DeepR = "deep_r"
)

// StructuralRules lists the accepted structural plasticity rules.
var StructuralRules = []string{Bamford, DeepR}

// Structural makes a projection's synapses appear and disappear at run
// time. Zero values take the defaults named on each field.
type Structural struct {
	// Rule is one of StructuralRules.
	Rule string `yaml:"rule" json:"rule"`
	// Interval is the time in ms between rewiring steps (default 1), a
	// multiple of dt.
	Interval float64 `yaml:"interval,omitempty" json:"interval,omitempty"`
	// MaxIndegree caps the synapses onto each target that formation may
	// reach, counted over every projection onto the target's population
	// with the same rule (Bamford's s_max over feed-forward and lateral
	// input); 0: no cap.
	MaxIndegree int64 `yaml:"max_indegree,omitempty" json:"max_indegree,omitempty"`
	// Capacity is the room reserved per row (GeNN's max_connections),
	// default enough for max_indegree or twice the initial row length. The
	// engine grows a full row instead of refusing a synapse, so it tunes
	// memory only and never changes a result.
	Capacity int64 `yaml:"capacity,omitempty" json:"capacity,omitempty"`

	// PForm is the formation probability at distance 0 (bamford).
	PForm float64 `yaml:"p_form,omitempty" json:"p_form,omitempty"`
	// Sigma is the width of the formation kernel in grid units (bamford).
	Sigma float64 `yaml:"sigma,omitempty" json:"sigma,omitempty"`
	// PElimLow and PElimHigh are the elimination probabilities of a
	// synapse whose |weight| is below, or at or above, WThreshold (bamford).
	PElimLow   float64 `yaml:"p_elim_low,omitempty" json:"p_elim_low,omitempty"`
	PElimHigh  float64 `yaml:"p_elim_high,omitempty" json:"p_elim_high,omitempty"`
	WThreshold float64 `yaml:"w_threshold,omitempty" json:"w_threshold,omitempty"`

	// Threshold: a synapse whose |weight| falls below it becomes dormant
	// and is removed (deep_r).
	Threshold float64 `yaml:"threshold,omitempty" json:"threshold,omitempty"`

	// FormWeight is the weight of a new synapse.
	FormWeight float64 `yaml:"form_weight,omitempty" json:"form_weight,omitempty"`
	// FormDelay is the delay in ms of a new synapse, default the
	// projection's delay (which must then be constant).
	FormDelay float64 `yaml:"form_delay,omitempty" json:"form_delay,omitempty"`
}

// IntervalMs returns the rewiring interval in ms (default 1).
func (s *Structural) IntervalMs() float64 {
	if s.Interval == 0 {
		return 1
	}
	return s.Interval
}

// FormDelayMs returns the delay of new synapses of projection pr in ms.
func (s *Structural) FormDelayMs(pr *Projection) float64 {
	if s.FormDelay == 0 {
		return pr.Delay.Value
	}
	return s.FormDelay
}

// checkStructural validates projection i's structural plasticity, if any:
// a known rule with only its own parameters, an interval that is a
// multiple of dt, probabilities in [0, 1], bamford's grids of one shape,
// and a delay for new synapses.
func checkStructural(m *Model, i int) error {
	pr := &m.Projections[i]
	s := pr.Structural
	if s == nil {
		return nil
	}
	path := []string{"projections", strconv.Itoa(i), "structural"}
	field := func(f string) []string { return append(append([]string(nil), path...), f) }
	if !contains(StructuralRules, s.Rule) {
		return fieldErr(field("rule"), "unknown structural plasticity rule %q (accepted: %s)", s.Rule, strings.Join(StructuralRules, ", "))
	}
	values := map[string]float64{"interval": s.Interval, "p_form": s.PForm, "sigma": s.Sigma, "p_elim_low": s.PElimLow,
		"p_elim_high": s.PElimHigh, "w_threshold": s.WThreshold, "threshold": s.Threshold, "form_weight": s.FormWeight, "form_delay": s.FormDelay}
	for _, k := range sortedKeys(values) {
		if !finite(values[k]) {
			return fieldErr(field(k), "must be finite, got %g", values[k])
		}
	}
	own := map[string][]string{Bamford: {"p_form", "sigma", "p_elim_low", "p_elim_high", "w_threshold"}, DeepR: {"threshold"}}
	for rule, fields := range own {
		if rule == s.Rule {
			continue
		}
		for _, f := range fields {
			if values[f] != 0 {
				return fieldErr(field(f), "%s is a parameter of rule %s, not of %s", f, rule, s.Rule)
			}
		}
	}
	if iv := s.IntervalMs(); iv < m.Dt || math.Abs(iv/m.Dt-math.Round(iv/m.Dt)) > 1e-9*iv/m.Dt {
		return fieldErr(field("interval"), "must be a positive multiple of dt = %g ms, got %g", m.Dt, s.Interval)
	}
	if s.MaxIndegree < 0 {
		return fieldErr(field("max_indegree"), "must be ≥ 0 (0: no cap), got %d", s.MaxIndegree)
	}
	if s.Capacity < 0 {
		return fieldErr(field("capacity"), "must be ≥ 0 (0: default), got %d", s.Capacity)
	}
	switch s.Rule {
	case Bamford:
		for _, k := range []string{"p_form", "p_elim_low", "p_elim_high"} {
			if !(values[k] >= 0 && values[k] <= 1) {
				return fieldErr(field(k), "must be a probability in [0, 1], got %g", values[k])
			}
		}
		if !(s.Sigma > 0) {
			return fieldErr(field("sigma"), "must be a width > 0 in grid units, got %g", s.Sigma)
		}
		if err := checkSameGrids(m, pr, field("rule"), Bamford); err != nil {
			return err
		}
	case DeepR:
		if !(s.Threshold > 0) {
			return fieldErr(field("threshold"), "deep_r needs a threshold > 0 on |weight|, got %g", s.Threshold)
		}
	}
	if s.FormDelay == 0 {
		if !pr.Delay.IsConst() {
			return fieldErr(field("form_delay"), "the projection's delay is drawn (%s): give new synapses a form_delay in ms", pr.Delay)
		}
		return nil
	}
	return checkDelay(field("form_delay"), Const(s.FormDelay), m.Dt)
}
