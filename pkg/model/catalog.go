package model

import "sort"

// ParamSpec describes one parameter of a neuron or synapse model.
type ParamSpec struct {
	Name    string
	Default float64
	Unit    string
	Doc     string
}

// NeuronSpec describes a neuron model: its parameters with NEST's defaults
// and its state variables that may be given initial distributions.
type NeuronSpec struct {
	Name   string
	Doc    string
	Params []ParamSpec
	// State lists the state variables accepted under a population's initial.
	State []string
}

// SynapseSpec describes a synapse model and its parameters.
type SynapseSpec struct {
	Name   string
	Doc    string
	Params []ParamSpec
}

var lif = []ParamSpec{
	{"C_m", 250, "pF", "membrane capacitance"},
	{"E_L", -70, "mV", "resting potential"},
	{"I_e", 0, "pA", "constant input current"},
	{"V_reset", -70, "mV", "reset potential"},
	{"V_th", -55, "mV", "spike threshold"},
	{"t_ref", 2, "ms", "refractory period"},
	{"tau_m", 10, "ms", "membrane time constant"},
	{"tau_minus", 20, "ms", "STDP depression time constant (used by plastic synapses onto the neuron)"},
}

var lifSyn = append(append([]ParamSpec{}, lif...),
	ParamSpec{"tau_syn_ex", 2, "ms", "excitatory synaptic time constant"},
	ParamSpec{"tau_syn_in", 2, "ms", "inhibitory synaptic time constant"},
)

// Neurons are the supported neuron models, with NEST's parameter names and defaults.
var Neurons = map[string]NeuronSpec{
	"iaf_psc_exp": {Name: "iaf_psc_exp", Doc: "leaky integrate-and-fire, exponential current synapses (exact integration)",
		Params: sortedSpecs(lifSyn), State: []string{"V_m"}},
	"iaf_psc_alpha": {Name: "iaf_psc_alpha", Doc: "leaky integrate-and-fire, alpha-shaped current synapses (exact integration)",
		Params: sortedSpecs(lifSyn), State: []string{"V_m"}},
	"iaf_psc_delta": {Name: "iaf_psc_delta", Doc: "leaky integrate-and-fire, delta synapses: a spike of weight w mV moves V_m by w",
		Params: sortedSpecs(lif), State: []string{"V_m"}},
	"iaf_cond_exp": {Name: "iaf_cond_exp", Doc: "leaky integrate-and-fire, exponential conductance synapses: w nS adds to g_ex (w > 0) or g_in (w < 0) (RKF45 as NEST)",
		Params: sortedSpecs(condExp), State: []string{"V_m"}},
}

// Synapses are the supported synapse models.
var Synapses = map[string]SynapseSpec{
	"static_synapse": {Name: "static_synapse", Doc: "fixed weight and delay"},
	"stdp_synapse": {Name: "stdp_synapse", Doc: "pair-based STDP with all-to-all traces (Guetig et al. 2003)", Params: sortedSpecs([]ParamSpec{
		{"tau_plus", 20, "ms", "potentiation time constant"},
		{"lambda", 0.01, "", "learning rate"},
		{"alpha", 1, "", "depression/potentiation ratio"},
		{"mu_plus", 1, "", "weight dependence exponent of potentiation"},
		{"mu_minus", 1, "", "weight dependence exponent of depression"},
		{"Wmax", 100, "pA", "maximum weight"},
	})},
	"stdp_pl_synapse_hom": {Name: "stdp_pl_synapse_hom", Doc: "power-law STDP (Morrison et al. 2007), homogeneous parameters", Params: sortedSpecs([]ParamSpec{
		{"tau_plus", 20, "ms", "potentiation time constant"},
		{"lambda", 0.1, "", "learning rate"},
		{"alpha", 1, "", "depression/potentiation ratio"},
		{"mu", 0.4, "", "power-law exponent of potentiation"},
	})},
}

func sortedSpecs(s []ParamSpec) []ParamSpec {
	out := append([]ParamSpec(nil), s...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func specNames(s []ParamSpec) []string {
	names := make([]string, len(s))
	for i, p := range s {
		names[i] = p.Name
	}
	return names
}

// NeuronNames lists the supported neuron models.
func NeuronNames() []string { return sortedKeys(Neurons) }

// SynapseNames lists the supported synapse models.
func SynapseNames() []string { return sortedKeys(Synapses) }
