package model

// condExp are iaf_cond_exp's parameters with NEST's defaults
// (models/iaf_cond_exp.cpp, Parameters_::Parameters_), plus tau_minus for
// plastic synapses onto the neuron as in lif.
var condExp = []ParamSpec{
	{"C_m", 250, "pF", "membrane capacitance"},
	{"E_L", -70, "mV", "leak reversal (resting) potential"},
	{"E_ex", 0, "mV", "excitatory reversal potential"},
	{"E_in", -85, "mV", "inhibitory reversal potential"},
	{"I_e", 0, "pA", "constant input current"},
	{"V_reset", -60, "mV", "reset potential"},
	{"V_th", -55, "mV", "spike threshold"},
	{"g_L", 16.6667, "nS", "leak conductance"},
	{"t_ref", 2, "ms", "refractory period"},
	{"tau_minus", 20, "ms", "STDP depression time constant (used by plastic synapses onto the neuron)"},
	{"tau_syn_ex", 0.2, "ms", "excitatory conductance time constant"},
	{"tau_syn_in", 2, "ms", "inhibitory conductance time constant"},
}
