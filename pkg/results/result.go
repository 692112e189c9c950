package results

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/snnkit/snnkit/pkg/meta"
)

// FileName is the name of the result file in a run directory.
const FileName = "result.json"

// Result is one run of snn-run.
type Result struct {
	Format        string  `json:"format"` // "snnkit-result"
	FormatVersion int     `json:"format_version"`
	Model         string  `json:"model"`
	ModelDigest   string  `json:"model_digest"`
	Seed          uint64  `json:"seed"`
	Network       string  `json:"network"`
	Ranks         int     `json:"rank_count"`
	Threads       int     `json:"threads"`
	Comm          string  `json:"comm"`
	Backend       string  `json:"backend"`
	Dt            float64 `json:"dt"`
	TPresim       float64 `json:"t_presim"`
	TSim          float64 `json:"t_sim"`
	Neurons       int64   `json:"neurons"`
	Synapses      int64   `json:"synapses"`
	// TimeSimulate is the slowest rank's time_simulate (s); the other
	// phase times likewise take the slowest rank.
	TimeConstructionLoad float64 `json:"time_construction_load"`
	TimePresimulate      float64 `json:"time_presimulate"`
	TimeSimulate         float64 `json:"time_simulate"`
	// RealTimeFactor is time_simulate / t_sim.
	RealTimeFactor float64 `json:"real_time_factor"`
	// Spikes counts all spikes of the run; SpikeDigest is the SHA-256 of
	// the canonical spike list (sorted by step, then gid; each as two
	// little-endian uint32).
	Spikes      int64  `json:"spikes"`
	SpikeDigest string `json:"spike_digest"`
	// InputResolution is the step (pA, or mV for delta synapses) in which
	// static synapses and Poisson input are summed, exactly, in integers:
	// weights are rounded to the nearest multiple of it.
	InputResolution float64 `json:"input_resolution,omitempty"`
	// Rates are the mean rates (Hz) per population over the measured phase.
	Rates []PopulationRate `json:"rates"`
	// PeakRSS sums the peak resident memory of the job's processes (in-process
	// ranks share one); BytesPerSynapse divides it by the synapses.
	PeakRSS         int64    `json:"peak_rss_bytes"`
	BytesPerSynapse float64  `json:"bytes_per_synapse"`
	RankResults     []Rank   `json:"ranks"`
	Meta            meta.Run `json:"meta"`
	// Plastic summarises the weights of each plastic projection at the end
	// of the run (absent without plastic projections).
	Plastic []PlasticWeights `json:"plastic,omitempty"`
	// Structural counts the synapses of each structural projection at the
	// end of the run (absent without structural projections).
	Structural []StructuralSynapses `json:"structural,omitempty"`
	// MapQuality measures the topographic maps of plastic and structural
	// projections between grids of the same shape (absent without any).
	MapQuality []MapQuality `json:"map_quality,omitempty"`
}

// StructuralSynapses is a structural projection's synapse count at the end
// of a run and the synapses its rewiring formed and eliminated.
type StructuralSynapses struct {
	Projection string `json:"projection"`
	Rule       string `json:"rule"`
	Synapses   int64  `json:"synapses"`
	Formed     int64  `json:"formed"`
	Eliminated int64  `json:"eliminated"`
}

// PlasticWeights summarises a plastic projection's weights (pA; mV onto
// iaf_psc_delta) at the end of a run, as delivered: in the 32.32 fixed
// point of the engine's input rings, so the figures are the same for any
// rank and thread count.
type PlasticWeights struct {
	Projection   string  `json:"projection"`
	SynapseModel string  `json:"synapse_model"`
	Synapses     int64   `json:"synapses"`
	MeanWeight   float64 `json:"mean_weight"`
	MinWeight    float64 `json:"min_weight"`
	MaxWeight    float64 `json:"max_weight"`
}

// PopulationRate is a population's mean firing rate.
type PopulationRate struct {
	Population string  `json:"population"`
	Neurons    int64   `json:"neurons"`
	Spikes     int64   `json:"spikes"`
	Rate       float64 `json:"rate_hz"`
}

// Rank is one rank's figures.
type Rank struct {
	Rank                 int     `json:"rank"`
	Neurons              int64   `json:"neurons"`
	Synapses             int64   `json:"synapses"`
	Spikes               int64   `json:"spikes"`
	TimeConstructionLoad float64 `json:"time_construction_load"`
	TimePresimulate      float64 `json:"time_presimulate"`
	TimeSimulate         float64 `json:"time_simulate"`
	TimeUpdate           float64 `json:"time_update"`
	TimeDeliver          float64 `json:"time_deliver"`
	TimeCommunicate      float64 `json:"time_communicate"`
	TimeRecord           float64 `json:"time_record"`
	RealTimeFactor       float64 `json:"real_time_factor"`
	PeakRSS              int64   `json:"peak_rss_bytes"`
	BytesPerSynapse      float64 `json:"bytes_per_synapse"`
	Host                 string  `json:"host"`
	PID                  int     `json:"pid"`
}

// Read loads a result file.
func Read(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read result: %w", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("read result %s: %w", path, err)
	}
	if r.Format != "snnkit-result" {
		return nil, fmt.Errorf("read result %s: format %q, want snnkit-result", path, r.Format)
	}
	return &r, nil
}
