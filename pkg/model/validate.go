package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxNeurons is the largest network size: global ids are uint32.
const MaxNeurons = math.MaxUint32 - 1

// MaxDelaySteps is the largest delay in steps that partition files hold.
const MaxDelaySteps = math.MaxUint16

// Resolve fills in defaults (NEST parameter defaults, dt 0.1 ms, synapse
// model static_synapse, projection names) and validates m. Errors name the
// field path; use Parse or Builtin for errors with file positions.
func Resolve(m *Model) error {
	fill(m)
	return validate(m)
}

func fill(m *Model) {
	if m.Dt == 0 {
		m.Dt = 0.1
	}
	if m.Projections == nil {
		m.Projections = []Projection{} // canonical: an empty list, never null
	}
	for i := range m.Populations {
		p := &m.Populations[i]
		spec, ok := Neurons[p.Neuron]
		if !ok {
			continue
		}
		if p.Params == nil {
			p.Params = map[string]float64{}
		}
		for _, ps := range spec.Params {
			if _, set := p.Params[ps.Name]; !set {
				p.Params[ps.Name] = ps.Default
			}
		}
		if p.Initial == nil {
			p.Initial = map[string]Dist{}
		}
		if _, set := p.Initial["V_m"]; !set && contains(spec.State, "V_m") {
			p.Initial["V_m"] = Const(p.Params["E_L"])
		}
	}
	for i := range m.Projections {
		pr := &m.Projections[i]
		if pr.Name == "" {
			pr.Name = pr.Source + "_" + pr.Target
		}
		if pr.SynapseModel == "" {
			pr.SynapseModel = "static_synapse"
		}
		if spec, ok := Synapses[pr.SynapseModel]; ok && len(spec.Params) > 0 {
			if pr.SynapseParams == nil {
				pr.SynapseParams = map[string]float64{}
			}
			for _, ps := range spec.Params {
				if _, set := pr.SynapseParams[ps.Name]; !set {
					pr.SynapseParams[ps.Name] = ps.Default
				}
			}
		}
		if pr.Weight.Kind == "" {
			pr.Weight.Kind = Constant
		}
		if pr.Delay.Kind == "" {
			pr.Delay.Kind = Constant
		}
	}
}

func checkName(path []string, kind, name string) error {
	switch {
	case name == "":
		return fieldErr(path, "%s needs a name", kind)
	case strings.ContainsAny(name, ".= \t\n"):
		return fieldErr(path, "%s name %q may not contain '.', '=' or spaces (they separate --set paths)", kind, name)
	case isIndex(name):
		return fieldErr(path, "%s name %q may not be a number (it would read as an index in --set paths)", kind, name)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func validate(m *Model) error {
	if m.Name == "" {
		return fieldErr([]string{"name"}, "the model needs a name")
	}
	if !(m.Dt > 0) || !finite(m.Dt) {
		return fieldErr([]string{"dt"}, "must be a positive number of ms, got %g", m.Dt)
	}
	if len(m.Populations) == 0 {
		return fieldErr([]string{"populations"}, "the model needs at least one population")
	}
	seen := map[string]bool{}
	var total int64
	for i := range m.Populations {
		if err := validatePopulation(m, i); err != nil {
			return err
		}
		p := &m.Populations[i]
		if seen[p.Name] {
			return fieldErr([]string{"populations", strconv.Itoa(i), "name"}, "duplicate population name %q", p.Name)
		}
		seen[p.Name] = true
		total += p.Size
		if total > MaxNeurons {
			return fieldErr([]string{"populations", strconv.Itoa(i), "size"}, "the model has more than %d neurons in all (global ids are 32-bit)", int64(MaxNeurons))
		}
	}
	names := map[string]bool{}
	for i := range m.Projections {
		if err := validateProjection(m, i); err != nil {
			return err
		}
		pr := &m.Projections[i]
		if names[pr.Name] {
			return fieldErr([]string{"projections", strconv.Itoa(i), "name"}, "duplicate projection name %q: give each projection between the same populations its own name", pr.Name)
		}
		names[pr.Name] = true
	}
	if len(m.Projections) > math.MaxUint16 {
		return fieldErr([]string{"projections"}, "at most %d projections, got %d", math.MaxUint16, len(m.Projections))
	}
	names = map[string]bool{}
	for i := range m.Stimuli {
		if err := validateStimulus(m, i); err != nil {
			return err
		}
		if names[m.Stimuli[i].Name] {
			return fieldErr([]string{"stimuli", strconv.Itoa(i), "name"}, "duplicate stimulus name %q", m.Stimuli[i].Name)
		}
		names[m.Stimuli[i].Name] = true
	}
	for i, r := range m.Recorders {
		path := []string{"recorders", strconv.Itoa(i)}
		if r.Type != "spike_recorder" {
			return fieldErr(append(path, "type"), "unknown recorder type %q (accepted: spike_recorder)", r.Type)
		}
		for j, pop := range r.Populations {
			if m.PopulationIndex(pop) < 0 {
				return fieldErr(append(path, "populations", strconv.Itoa(j)), "unknown population %q (accepted: %s)", pop, popNames(m))
			}
		}
		if r.N < 0 {
			return fieldErr(append(path, "n"), "must be ≥ 0 (0 records every neuron), got %d", r.N)
		}
	}
	return nil
}

func popNames(m *Model) string {
	names := make([]string, len(m.Populations))
	for i, p := range m.Populations {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func validatePopulation(m *Model, i int) error {
	p := &m.Populations[i]
	path := []string{"populations", strconv.Itoa(i)}
	if err := checkName(append(path, "name"), "population", p.Name); err != nil {
		return err
	}
	if p.Size <= 0 {
		return fieldErr(append(path, "size"), "must be > 0, got %d", p.Size)
	}
	if g := p.Grid; g != nil && (g.Width <= 0 || p.Size%g.Width != 0) {
		return fieldErr(append(path, "grid", "width"), "must be > 0 and divide the size %d, got %d", p.Size, g.Width)
	}
	spec, ok := Neurons[p.Neuron]
	if !ok {
		return fieldErr(append(path, "neuron"), "unknown neuron model %q (accepted: %s)", p.Neuron, strings.Join(NeuronNames(), ", "))
	}
	accepted := specNames(spec.Params)
	for _, k := range sortedKeys(p.Params) {
		v := p.Params[k]
		if !contains(accepted, k) {
			return fieldErr(append(path, "params", k), "unknown parameter %q of %s (accepted: %s)", k, p.Neuron, strings.Join(accepted, ", "))
		}
		if !finite(v) {
			return fieldErr(append(path, "params", k), "must be finite, got %g", v)
		}
	}
	if p.Neuron == PoissonBump {
		return checkPoissonBump(m, i)
	}
	positive := []string{"C_m", "g_L", "tau_m", "tau_syn_ex", "tau_syn_in", "tau_minus"}
	for _, k := range positive {
		if v, ok := p.Params[k]; ok && !(v > 0) {
			return fieldErr(append(path, "params", k), "must be > 0, got %g", v)
		}
	}
	if p.Params["t_ref"] < 0 {
		return fieldErr(append(path, "params", "t_ref"), "must be ≥ 0, got %g", p.Params["t_ref"])
	}
	if !(p.Params["V_reset"] < p.Params["V_th"]) {
		return fieldErr(append(path, "params", "V_reset"), "must be below V_th (%g), got %g", p.Params["V_th"], p.Params["V_reset"])
	}
	for _, k := range sortedKeys(p.Initial) {
		if !contains(spec.State, k) {
			return fieldErr(append(path, "initial", k), "unknown state variable %q of %s (accepted: %s)", k, p.Neuron, strings.Join(spec.State, ", "))
		}
		if err := p.Initial[k].check(); err != nil {
			return fieldErr(append(path, "initial", k), "%v", err)
		}
	}
	return nil
}

// ruleFields lists, for each rule, the rule parameters it uses.
var ruleFields = map[string][]string{
	FixedIndegree:     {"indegree"},
	FixedTotalNumber:  {"N"},
	PairwiseBernoulli: {"p"},
	OneToOne:          {},
	AllToAll:          {},
}

func validateProjection(m *Model, i int) error {
	pr := &m.Projections[i]
	path := []string{"projections", strconv.Itoa(i)}
	if err := checkName(append(path, "name"), "projection", pr.Name); err != nil {
		return err
	}
	si, ti := m.PopulationIndex(pr.Source), m.PopulationIndex(pr.Target)
	if si < 0 {
		return fieldErr(append(path, "source"), "unknown population %q (accepted: %s)", pr.Source, popNames(m))
	}
	if ti < 0 {
		return fieldErr(append(path, "target"), "unknown population %q (accepted: %s)", pr.Target, popNames(m))
	}
	uses, ok := ruleFields[pr.Rule]
	if !ok {
		return fieldErr(append(path, "rule"), "unknown rule %q (accepted: %s)", pr.Rule, strings.Join(Rules, ", "))
	}
	set := map[string]bool{"indegree": pr.Indegree != 0, "N": pr.N != 0, "p": pr.P != nil}
	for _, f := range []string{"indegree", "N", "p"} {
		if set[f] && !contains(uses, f) {
			return fieldErr(append(path, f), "%s is not a parameter of rule %s (it uses: %s)", f, pr.Rule, strings.Join(append([]string{"allow_autapses", "allow_multapses"}, uses...), ", "))
		}
	}
	if err := checkKernel(m, i); err != nil {
		return err
	}
	nSrc, nTgt := m.Populations[si].Size, m.Populations[ti].Size
	// Sources available to one target without multapses.
	avail := nSrc
	if si == ti && !pr.Autapses() {
		avail--
	}
	switch pr.Rule {
	case FixedIndegree:
		if pr.Indegree <= 0 {
			return fieldErr(append(path, "indegree"), "rule fixed_indegree needs indegree > 0, got %d", pr.Indegree)
		}
		if !pr.Multapses() && pr.Indegree > avail {
			return fieldErr(append(path, "indegree"), "indegree %d is larger than the %d possible sources in %s without multapses (set allow_multapses: true or lower indegree)", pr.Indegree, avail, pr.Source)
		}
		if pr.Multapses() && avail <= 0 {
			return fieldErr(append(path, "allow_autapses"), "population %s has one neuron and autapses are not allowed: no source is possible", pr.Source)
		}
	case FixedTotalNumber:
		if pr.N <= 0 {
			return fieldErr(append(path, "N"), "rule fixed_total_number needs N > 0, got %d", pr.N)
		}
		if !pr.Multapses() && float64(pr.N) > float64(avail)*float64(nTgt) {
			return fieldErr(append(path, "N"), "N %d is larger than the %d possible pairs without multapses", pr.N, avail*nTgt)
		}
		if avail <= 0 {
			return fieldErr(append(path, "allow_autapses"), "population %s has one neuron and autapses are not allowed: no source is possible", pr.Source)
		}
	case PairwiseBernoulli:
		if pr.Kernel != nil {
			break // checkKernel: kernel.p replaces p
		}
		if pr.P == nil || !(*pr.P >= 0 && *pr.P <= 1) {
			got := "nothing"
			if pr.P != nil {
				got = fmt.Sprint(*pr.P)
			}
			return fieldErr(append(path, "p"), "rule pairwise_bernoulli needs a probability p in [0, 1], got %s", got)
		}
	case OneToOne:
		if nSrc != nTgt {
			return fieldErr(append(path, "rule"), "one_to_one needs populations of equal size, %s has %d and %s has %d", pr.Source, nSrc, pr.Target, nTgt)
		}
	}
	spec, ok := Synapses[pr.SynapseModel]
	if !ok {
		return fieldErr(append(path, "synapse_model"), "unknown synapse model %q (accepted: %s)", pr.SynapseModel, strings.Join(SynapseNames(), ", "))
	}
	accepted := specNames(spec.Params)
	for _, k := range sortedKeys(pr.SynapseParams) {
		if !contains(accepted, k) {
			return fieldErr(append(path, "synapse_params", k), "unknown parameter %q of %s (accepted: %s)", k, pr.SynapseModel, strings.Join(accepted, ", "))
		}
		if !finite(pr.SynapseParams[k]) {
			return fieldErr(append(path, "synapse_params", k), "must be finite, got %g", pr.SynapseParams[k])
		}
	}
	if err := checkStructural(m, i); err != nil {
		return err
	}
	if err := pr.Weight.check(); err != nil {
		return fieldErr(append(path, "weight"), "%v", err)
	}
	if err := pr.Delay.check(); err != nil {
		return fieldErr(append(path, "delay"), "%v", err)
	}
	return checkDelay(append(path, "delay"), pr.Delay, m.Dt)
}

// checkDelay demands that every delay d can give rounds to 1..MaxDelaySteps steps.
func checkDelay(path []string, d Dist, dt float64) error {
	lo, hi := d.bounds()
	if !(lo >= dt/2) {
		if d.Kind == Normal {
			return fieldErr(path, "delays must be at least dt/2 = %g ms so that they round to one step or more: give the normal a min ≥ %g", dt/2, dt/2)
		}
		return fieldErr(path, "delays must be at least dt/2 = %g ms so that they round to one step or more, got %s", dt/2, d)
	}
	if !math.IsInf(hi, 1) && math.Round(hi/dt) > MaxDelaySteps {
		return fieldErr(path, "delays must be at most %d steps (%g ms), got %s", MaxDelaySteps, MaxDelaySteps*dt, d)
	}
	return nil
}

func validateStimulus(m *Model, i int) error {
	s := &m.Stimuli[i]
	path := []string{"stimuli", strconv.Itoa(i)}
	if err := checkName(append(path, "name"), "stimulus", s.Name); err != nil {
		return err
	}
	if len(s.Targets) == 0 {
		return fieldErr(append(path, "targets"), "a stimulus needs at least one target population (accepted: %s)", popNames(m))
	}
	for j, t := range s.Targets {
		if m.PopulationIndex(t) < 0 {
			return fieldErr(append(path, "targets", strconv.Itoa(j)), "unknown population %q (accepted: %s)", t, popNames(m))
		}
	}
	switch s.Type {
	case PoissonGenerator:
		if s.Amplitude != 0 {
			return fieldErr(append(path, "amplitude"), "amplitude belongs to dc_generator; poisson_generator uses rate, weight, delay")
		}
		if !(s.Rate >= 0) || !finite(s.Rate) {
			return fieldErr(append(path, "rate"), "must be a finite rate ≥ 0 Hz, got %g", s.Rate)
		}
		if !finite(s.Weight) {
			return fieldErr(append(path, "weight"), "must be finite, got %g", s.Weight)
		}
		return checkDelay(append(path, "delay"), Const(s.Delay), m.Dt)
	case DCGenerator:
		if s.Rate != 0 || s.Weight != 0 || s.Delay != 0 {
			return fieldErr(append(path, "type"), "dc_generator uses only amplitude (rate, weight and delay belong to poisson_generator)")
		}
		if !finite(s.Amplitude) {
			return fieldErr(append(path, "amplitude"), "must be finite, got %g", s.Amplitude)
		}
		return nil
	}
	return fieldErr(append(path, "type"), "unknown stimulus type %q (accepted: %s, %s)", s.Type, PoissonGenerator, DCGenerator)
}
