// Package model holds the description of a network: populations of neurons
// with their NEST model names and parameters, projections between them
// (connection rule, weight and delay distributions, synapse model), stimuli
// and recorders; the built-in benchmark models; and the YAML model-file
// format with --set overrides. Units and names follow NEST: ms, mV, pA, pF, Hz.
package model

// Model is a complete, resolved network description: every population
// parameter has a value (NEST defaults filled in), so the same Model always
// builds the same network for the same seed.
type Model struct {
	// Name identifies the model in reports.
	Name string `yaml:"name" json:"name"`
	// Description is free text.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Dt is the simulation resolution in ms.
	Dt float64 `yaml:"dt" json:"dt"`
	// Populations are laid out in order: population i owns the global ids
	// [first_i, first_i+size_i) with first_0 = 0.
	Populations []Population `yaml:"populations" json:"populations"`
	// Projections are the connections between populations.
	Projections []Projection `yaml:"projections" json:"projections"`
	// Stimuli are the external inputs.
	Stimuli []Stimulus `yaml:"stimuli,omitempty" json:"stimuli,omitempty"`
	// Recorders say which spikes are written.
	Recorders []Recorder `yaml:"recorders,omitempty" json:"recorders,omitempty"`
}

// Population is a group of neurons of one model with shared parameters.
type Population struct {
	// Name is unique within the model.
	Name string `yaml:"name" json:"name"`
	// Size is the number of neurons.
	Size int64 `yaml:"size" json:"size"`
	// Neuron is the NEST neuron model name, e.g. iaf_psc_exp.
	Neuron string `yaml:"neuron" json:"neuron"`
	// Params are the neuron parameters by NEST name.
	Params map[string]float64 `yaml:"params,omitempty" json:"params,omitempty"`
	// Initial gives the distribution of each state variable at t = 0.
	Initial map[string]Dist `yaml:"initial,omitempty" json:"initial,omitempty"`
	// Grid places the neurons on a periodic 2-D grid (nil: no positions).
	Grid *Grid `yaml:"grid,omitempty" json:"grid,omitempty"`
}

// Connection rule names, as NEST spells them.
const (
	FixedIndegree     = "fixed_indegree"
	FixedTotalNumber  = "fixed_total_number"
	PairwiseBernoulli = "pairwise_bernoulli"
	OneToOne          = "one_to_one"
	AllToAll          = "all_to_all"
)

// Rules lists the accepted connection rules.
var Rules = []string{FixedIndegree, FixedTotalNumber, PairwiseBernoulli, OneToOne, AllToAll}

// Projection connects a source population to a target population.
type Projection struct {
	// Name is unique within the model; it defaults to SOURCE_TARGET.
	Name string `yaml:"name" json:"name"`
	// Source and Target name populations.
	Source string `yaml:"source" json:"source"`
	Target string `yaml:"target" json:"target"`
	// Rule is one of Rules.
	Rule string `yaml:"rule" json:"rule"`
	// Indegree is the number of incoming synapses per target (fixed_indegree).
	Indegree int64 `yaml:"indegree,omitempty" json:"indegree,omitempty"`
	// N is the total number of synapses (fixed_total_number).
	N int64 `yaml:"N,omitempty" json:"N,omitempty"`
	// P is the connection probability of each pair (pairwise_bernoulli).
	P *float64 `yaml:"p,omitempty" json:"p,omitempty"`
	// Kernel makes pairwise_bernoulli distance-dependent on grids (see Kernel).
	Kernel *Kernel `yaml:"kernel,omitempty" json:"kernel,omitempty"`
	// AllowAutapses permits a neuron to connect to itself (default true, as NEST).
	AllowAutapses *bool `yaml:"allow_autapses,omitempty" json:"allow_autapses,omitempty"`
	// AllowMultapses permits several synapses between one pair (default true, as NEST).
	AllowMultapses *bool `yaml:"allow_multapses,omitempty" json:"allow_multapses,omitempty"`
	// SynapseModel is the NEST synapse model (default static_synapse).
	SynapseModel string `yaml:"synapse_model,omitempty" json:"synapse_model,omitempty"`
	// SynapseParams are the synapse model's parameters by NEST name.
	SynapseParams map[string]float64 `yaml:"synapse_params,omitempty" json:"synapse_params,omitempty"`
	// Weight is in pA for current-based synapses and mV for iaf_psc_delta
	// targets; its sign selects the excitatory or inhibitory receptor.
	Weight Dist `yaml:"weight" json:"weight"`
	// Delay is in ms; drawn values are rounded to the dt grid (at least one step).
	Delay Dist `yaml:"delay" json:"delay"`
	// Structural creates and removes synapses at run time (nil: none).
	Structural *Structural `yaml:"structural,omitempty" json:"structural,omitempty"`
}

// Autapses reports whether the projection allows self-connections.
func (p *Projection) Autapses() bool { return p.AllowAutapses == nil || *p.AllowAutapses }

// Multapses reports whether the projection allows repeated pairs.
func (p *Projection) Multapses() bool { return p.AllowMultapses == nil || *p.AllowMultapses }

// Stimulus types.
const (
	PoissonGenerator = "poisson_generator"
	DCGenerator      = "dc_generator"
)

// Stimulus is an external input onto whole populations.
type Stimulus struct {
	// Name is unique within the model.
	Name string `yaml:"name" json:"name"`
	// Type is poisson_generator or dc_generator.
	Type string `yaml:"type" json:"type"`
	// Targets name the populations that receive the stimulus.
	Targets []string `yaml:"targets" json:"targets"`
	// Rate in Hz (poisson_generator): every target neuron draws its own
	// independent Poisson spike count each step.
	Rate float64 `yaml:"rate,omitempty" json:"rate,omitempty"`
	// Weight in pA (mV for iaf_psc_delta) of each Poisson spike.
	Weight float64 `yaml:"weight,omitempty" json:"weight,omitempty"`
	// Delay in ms of the Poisson spikes.
	Delay float64 `yaml:"delay,omitempty" json:"delay,omitempty"`
	// Amplitude in pA (dc_generator).
	Amplitude float64 `yaml:"amplitude,omitempty" json:"amplitude,omitempty"`
}

// Recorder selects spikes to record.
type Recorder struct {
	// Type is spike_recorder.
	Type string `yaml:"type" json:"type"`
	// Populations to record; empty means all.
	Populations []string `yaml:"populations,omitempty" json:"populations,omitempty"`
	// N limits recording to the first N neurons of each population (0 = all).
	N int64 `yaml:"n,omitempty" json:"n,omitempty"`
}

// PopulationIndex returns the index of the population called name, or -1.
func (m *Model) PopulationIndex(name string) int {
	for i := range m.Populations {
		if m.Populations[i].Name == name {
			return i
		}
	}
	return -1
}

// FirstGIDs returns the first global id of every population and the total
// number of neurons.
func (m *Model) FirstGIDs() (first []int64, total int64) {
	first = make([]int64, len(m.Populations))
	for i, p := range m.Populations {
		first[i] = total
		total += p.Size
	}
	return first, total
}
