// Package results holds the record of a simulation run — result.json — that
// snn-run writes and snn-bench and snn-report read (a summary at the top,
// per-rank timers below, and the run's metadata), and the results store
// that snn-bench fills and snn-report reads.
//
// # Records
//
// Flatten turns a result into Records, one per rank. A Record has the run's
// id (RunID: 16 hex digits of SHA-256 over the result's canonical JSON, so
// collecting the same result.json twice gives the same id), the RunConfig
// snn-bench planned, the rank, and two flat maps:
//
// Metrics (numbers):
//   - the rank's figures, named as in result.json's "ranks": neurons,
//     synapses, spikes, time_construction_load, time_presimulate,
//     time_simulate, time_update, time_deliver, time_communicate,
//     time_record (s), real_time_factor, peak_rss_bytes, bytes_per_synapse;
//   - the run's summary with the prefix "run.": run.neurons, run.synapses,
//     run.spikes, run.time_construction_load, run.time_presimulate,
//     run.time_simulate (the slowest rank's), run.real_time_factor,
//     run.peak_rss_bytes (the job's), run.bytes_per_synapse;
//   - the population rates as "rate_hz.POPULATION" (Hz).
//
// Non-finite numbers are left out.
//
// Meta (strings): host (the rank's), os, arch, cpu_model, cores,
// memory_bytes, tool_version, vcs_revision (the commit, without "+dirty"),
// vcs_time (the commit's time, RFC 3339), vcs_modified ("true" or "false":
// whether the binary was built from a modified work tree), go_version,
// mpi_library, started (RFC 3339, UTC, whole seconds, so that it sorts as
// text), model_digest, spike_digest, network, dt (ms), format_version (of
// result.json), and the SLURM variables snn-run kept, lower-cased
// (slurm_job_id, slurm_job_partition, slurm_cluster_name, ...). Empty values
// are left out.
//
// # The store
//
// WriteRun writes a run's records to RESULTS/store/RUNID.parquet, one file
// per run, one row per rank, and does nothing when that file exists;
// ReadStore reads all of them back. Each file is one flat Parquet table:
//
//	run_id     string   the run's id (the file's name without .parquet)
//	benchmark  string   RunConfig fields, named as in its JSON ...
//	machine    string
//	model      string
//	seed       uint64
//	ranks      int64
//	threads    int64
//	backend    string
//	comm       string
//	scaling    string
//	t_presim   double   (ms)
//	t_sim      double   (ms)
//	param.NAME string   one column per model parameter (nullable), as given
//	rank       int64
//	METRIC     double   one column per metric, named as above (nullable)
//	META       string   one column per metadata key, named as above (nullable)
//
// A null cell means the record lacks that parameter, metric or key. The
// file's key-value metadata holds snnkit.format = "snnkit-results" and
// snnkit.format_version = "1"; ReadStore refuses files without them.
// Files of different runs may have different columns (other parameters,
// other populations), so readers should combine them by column name:
//
//	duckdb -c "SELECT model, ranks, threads, avg(\"run.time_simulate\") FROM read_parquet('results/store/*.parquet', union_by_name=true) GROUP BY ALL"
//	python3 -c "import glob, pandas as pd; df = pd.concat(map(pd.read_parquet, sorted(glob.glob('results/store/*.parquet')))); print(df)"
//
// # Other formats
//
// WriteJSONL and ReadJSONL carry records as JSON lines (one Record per
// line, for pipes between snn-bench export and snn-report); WriteGoBench
// writes the Go benchmark format that benchstat reads.
package results
