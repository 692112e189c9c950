package rng

// Stream purposes. Every random quantity in snnkit comes from a stream
// keyed by (seed, StreamID(purpose, index), id), so that it depends only on
// what it describes — never on which rank or thread draws it. Keep this list
// the single registry of purposes: a new kind of draw gets a new constant.
const (
	// PurposeSources draws the sources of the synapses onto target id for projection index.
	PurposeSources uint32 = 1 + iota
	// PurposeWeights draws their weights.
	PurposeWeights
	// PurposeDelays draws their delays.
	PurposeDelays
	// PurposeCounts draws the multinomial split of fixed_total_number over
	// targets; id is a node of the binary tree over the target population.
	PurposeCounts
	// PurposeInitial draws the initial value of state variable index of neuron id.
	PurposeInitial
	// PurposePoisson draws the Poisson input of neuron id from stimulus index:
	// word s of the stream (block s/4, word s mod 4) is the uniform for step s.
	PurposePoisson
	// PurposeStructural draws the rewiring of target id by projection index:
	// block hi = the rewiring step's number (NewAt).
	PurposeStructural
	// PurposeBumpSpikes draws the spikes of poisson_bump neuron id of
	// population index: word s (block s/4, word s mod 4) is the uniform of step s.
	PurposeBumpSpikes
	// PurposeBumpCentre draws the bump centre of population index during
	// period id (stimulus period number).
	PurposeBumpCentre
	// PurposeMapShuffle draws the shuffled control of the map-quality
	// measures: the source positions of target id's afferents by projection index.
	PurposeMapShuffle
)

// StreamID combines a purpose and an index (projection, state variable,
// stimulus) below 1<<16 into the stream word of New.
func StreamID(purpose, index uint32) uint32 { return purpose<<16 | index&0xffff }
