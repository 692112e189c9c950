package model

import (
	"slices"
	"strconv"
	"strings"
)

// PoissonBump is the neuron model of Poisson spike sources on a grid whose
// rates form a Gaussian bump that jumps to a random place every period
// (the input layer of Bamford, Murray & Willshaw 2010).
const PoissonBump = "poisson_bump"

func init() {
	Neurons[PoissonBump] = NeuronSpec{Name: PoissonBump,
		Doc: "Poisson spike sources on a grid (needs grid): each step neuron i spikes with probability r_i·dt/1000, r_i = rate + peak·exp(−d²/(2σ²)), d the torus distance from a centre that jumps to a random grid point every period; takes no input",
		Params: sortedSpecs([]ParamSpec{
			{"rate", 5, "Hz", "background rate"},
			{"peak", 152.8, "Hz", "extra rate at the bump's centre"},
			{"sigma", 2, "grid units", "width of the bump"},
			{"period", 20, "ms", "time between jumps of the centre (rounded to steps)"},
		})}
}

// checkPoissonBump validates poisson_bump population i: it needs a grid,
// rates ≥ 0, σ > 0, a period of at least one step, no initial state, and
// neither projections nor stimuli may target it.
func checkPoissonBump(m *Model, i int) error {
	p := &m.Populations[i]
	path := []string{"populations", strconv.Itoa(i)}
	field := func(f ...string) []string { return append(append([]string(nil), path...), f...) }
	if p.Grid == nil {
		return fieldErr(field("neuron"), "%s places its bump on a grid: give population %s grid: {width: W}", PoissonBump, p.Name)
	}
	for _, k := range []string{"rate", "peak"} {
		if !(p.Params[k] >= 0) {
			return fieldErr(field("params", k), "must be a rate ≥ 0 Hz, got %g", p.Params[k])
		}
	}
	if !(p.Params["sigma"] > 0) {
		return fieldErr(field("params", "sigma"), "must be a width > 0 in grid units, got %g", p.Params["sigma"])
	}
	if !(p.Params["period"] >= m.Dt/2) {
		return fieldErr(field("params", "period"), "must be at least dt/2 = %g ms so that it rounds to one step or more, got %g", m.Dt/2, p.Params["period"])
	}
	if len(p.Initial) > 0 {
		k := sortedKeys(p.Initial)[0]
		return fieldErr(field("initial", k), "%s has no state variables, got %q", PoissonBump, k)
	}
	for j := range m.Projections {
		if m.Projections[j].Target == p.Name {
			return fieldErr([]string{"projections", strconv.Itoa(j), "target"},
				"population %s is a %s spike source and takes no input: no projection may target it", p.Name, PoissonBump)
		}
	}
	for j := range m.Stimuli {
		if slices.Contains(m.Stimuli[j].Targets, p.Name) {
			return fieldErr([]string{"stimuli", strconv.Itoa(j), "targets"},
				"population %s is a %s spike source and takes no input (targets: %s)", p.Name, PoissonBump, strings.Join(m.Stimuli[j].Targets, ", "))
		}
	}
	return nil
}
