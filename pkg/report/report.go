// Package report turns benchmark results (results.Record, one per rank of
// a run) into reports, comparisons and histories — snn-report's core.
//
// # Runs
//
// Records are first assembled into runs by run_id. A run has one value
// per metric:
//
//   - the run-level summary ("run.time_simulate", "run.peak_rss_bytes",
//     ...) where the records carry one: snn-run already took the slowest
//     rank and summed the memory of the job's processes (in-process ranks
//     share one process, so its ranks' peak RSS must not be added up);
//   - else wall-clock phases (time_*, real_time_factor and any metric not
//     named below) take the slowest rank: the maximum over ranks;
//   - memory (*_bytes) and counts (spikes, neurons, synapses) are summed
//     over ranks; bytes_per_synapse is the summed memory over the summed
//     synapses; population rates (rate_hz.*) are the mean over ranks.
//
// A missing rank, a rank recorded twice, disagreeing configurations or a
// non-finite value are warnings; records without a run id are errors.
//
// # Aggregation
//
// Runs are grouped by keys (--by): configuration fields by their JSON
// names (model, ranks, threads, backend, comm, ...), "params" for all model
// parameters, "param.NAME" for one, and any metadata key (host,
// cpu_model, go_version, ...). For each group and metric the statistics
// over the repetitions are the median, minimum, maximum, n and the 95 %
// confidence interval of the median. The interval is distribution-free,
// as benchstat's (golang.org/x/perf/benchmath, AssumeNothing): the k-th
// and (n−k+1)-th order statistics, with k chosen from the Binomial(n, ½)
// distribution so that the interval covers the median with probability at
// least 95 %. With fewer than 6 values no such interval exists at 95 %
// and it is reported as ± ∞ with a note.
//
// # Comparison
//
// Configurations are matched between the two sides by their keys
// (default: every configuration field except the seed, the benchmark name
// and the machine profile, so runs on different machines can be
// compared). For each metric the medians are compared with the two-sided
// Mann–Whitney U test (benchmath.AssumeNothing.Compare: exact for small
// samples without ties, else the normal approximation with a tie
// correction). The change is new median / base median − 1; it is
// reported as "~" unless p < alpha (default 0.05) and |change| ≥
// threshold (default 0). With n1 and n2 runs per side the smallest
// possible p is 2/C(n1+n2, n1), so at alpha 0.05 fewer than 4 runs per side
// can never show a significant change; the output says so ("need ≥ 4
// samples per side") rather than printing a bare "~". Each metric's table
// ends with the geometric means of the medians over the matched
// configurations. Times, the real-time factor and memory are lower-is-
// better: a significant increase is a regression, and with a gate
// (--fail-on-regression PCT) a regression larger than PCT fails the
// comparison. Machine and software metadata (host, CPU model, cores,
// memory, OS, Go, MPI library, tool version, ...) that differ between the
// sides are listed above the numbers, with a warning that they, not the
// code, may explain the differences.
//
// # History
//
// Runs are grouped into series by machine (host — or SLURM cluster and
// partition — and CPU model) and configuration, ordered by commit time
// (meta vcs_time, else the run's start time), and each metric's series is
// searched for step changes with E-divisive means (Matteson & James 2014,
// as in MongoDB's signal processing and Apache Otava/Hunter; see
// EDivisive): the split maximising the energy-distance divergence between
// the segments on either side is kept when a permutation test (499
// within-segment shuffles, a fixed seed) gives p ≤ 0.01, and the search
// repeats on the segments. Splits fall only between commits, and each
// side needs at least 3 runs. A change is reported at the first commit
// after it, with its size (the change of the median between the segments
// either side) and confidence 1 − p; metadata that changed at the same
// point (Go, MPI library, cores, ...) are named with it, and a machine
// change starts a new series rather than raising an alarm.
package report
