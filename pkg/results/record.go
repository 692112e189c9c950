package results

// RunConfig is the benchmark configuration of one run as snn-bench planned
// it: what was asked for, next to what the run measured.
type RunConfig struct {
	// Benchmark is the name of the benchmark config the run came from.
	Benchmark string `json:"benchmark"`
	// Machine is the machine profile's name ("local" for snn-bench run
	// without --machine).
	Machine string `json:"machine"`
	Model   string `json:"model"`
	// Params holds the model parameters the benchmark set for this run,
	// formatted as they were given (e.g. {"N": "2000"}).
	Params  map[string]string `json:"params,omitempty"`
	Seed    uint64            `json:"seed"`
	Ranks   int               `json:"ranks"`
	Threads int               `json:"threads"`
	Backend string            `json:"backend"`
	Comm    string            `json:"comm"`
	// Scaling is "strong" or "weak".
	Scaling string  `json:"scaling"`
	TPresim float64 `json:"t_presim"`
	TSim    float64 `json:"t_sim"`
}

// Record is one rank of one run as the results store holds it: the run's
// identity and configuration, the rank's figures and the run's summary as
// named numbers, and the metadata as named strings. Flat maps let
// snn-report group by any key.
type Record struct {
	// RunID identifies the run: the same result collected twice has the
	// same RunID, so the store adds it once.
	RunID  string    `json:"run_id"`
	Config RunConfig `json:"config"`
	Rank   int       `json:"rank"`
	// Metrics are numbers named as in result.json: the rank's timers
	// ("time_simulate", "time_update", "time_deliver", "time_communicate",
	// ...), "real_time_factor", "spikes", "peak_rss_bytes",
	// "bytes_per_synapse", "neurons", "synapses"; the run's summary with a
	// "run." prefix ("run.time_simulate", "run.real_time_factor",
	// "run.peak_rss_bytes", ...); rates as "rate_hz.POPULATION".
	Metrics map[string]float64 `json:"metrics"`
	// Meta are strings: "host", "os", "arch", "cpu_model", "cores",
	// "memory_bytes", "tool_version", "vcs_revision", "vcs_time",
	// "vcs_modified", "go_version", "mpi_library", "started", "model_digest",
	// "spike_digest", "slurm_job_id" (and the other SLURM variables in
	// lower case), "format_version".
	Meta map[string]string `json:"meta"`
}
