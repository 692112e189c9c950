package results

import (
	"maps"
	"math"
	"strconv"
	"strings"
	"time"
)

// DirtySuffix marks a revision built from a work tree with changes
// (meta.Tool.Revision); Flatten turns it into vcs_modified "true".
const DirtySuffix = "+dirty"

// Flatten turns a run's result into its store records: one per rank (in the
// order of res.RankResults), each carrying the run's identity (RunID), the
// configuration cfg, the rank's figures and the run's summary as Metrics,
// and the metadata as Meta, named as documented on Record and in the
// package comment. Non-finite numbers (NaN, ±Inf) and empty strings are left
// out, so a missing figure is absent rather than a made-up value. A result
// without ranks gives no records.
func Flatten(cfg RunConfig, res *Result) []Record {
	if res == nil || len(res.RankResults) == 0 {
		return nil
	}
	id := RunID(res)
	run := runMetrics(res)
	common := runMeta(res)
	recs := make([]Record, 0, len(res.RankResults))
	for _, rk := range res.RankResults {
		rc := cfg
		rc.Params = copyParams(cfg.Params)
		m := make(map[string]float64, len(run)+13)
		maps.Copy(m, run)
		putMetric(m, "neurons", float64(rk.Neurons))
		putMetric(m, "synapses", float64(rk.Synapses))
		putMetric(m, "spikes", float64(rk.Spikes))
		putMetric(m, "time_construction_load", rk.TimeConstructionLoad)
		putMetric(m, "time_presimulate", rk.TimePresimulate)
		putMetric(m, "time_simulate", rk.TimeSimulate)
		putMetric(m, "time_update", rk.TimeUpdate)
		putMetric(m, "time_deliver", rk.TimeDeliver)
		putMetric(m, "time_communicate", rk.TimeCommunicate)
		putMetric(m, "time_record", rk.TimeRecord)
		putMetric(m, "real_time_factor", rk.RealTimeFactor)
		putMetric(m, "peak_rss_bytes", float64(rk.PeakRSS))
		putMetric(m, "bytes_per_synapse", rk.BytesPerSynapse)
		mt := make(map[string]string, len(common)+1)
		maps.Copy(mt, common)
		if rk.Host != "" {
			mt["host"] = rk.Host
		}
		recs = append(recs, Record{RunID: id, Config: rc, Rank: rk.Rank, Metrics: m, Meta: mt})
	}
	return recs
}

// ConfigFromResult is the configuration a result reports about itself, for
// results that were not planned by snn-bench (no benchmark or machine name,
// no parameters, scaling empty).
func ConfigFromResult(res *Result) RunConfig {
	return RunConfig{Model: res.Model, Seed: res.Seed, Ranks: res.Ranks, Threads: res.Threads,
		Backend: res.Backend, Comm: res.Comm, TPresim: res.TPresim, TSim: res.TSim}
}

// RunMetricPrefix starts the names of the run's summary figures in
// Record.Metrics ("run.time_simulate").
const RunMetricPrefix = "run."

// RateMetricPrefix starts the names of the population rates in
// Record.Metrics ("rate_hz.E").
const RateMetricPrefix = "rate_hz."

func runMetrics(res *Result) map[string]float64 {
	m := map[string]float64{}
	put := func(k string, v float64) { putMetric(m, RunMetricPrefix+k, v) }
	put("neurons", float64(res.Neurons))
	put("synapses", float64(res.Synapses))
	put("spikes", float64(res.Spikes))
	put("time_construction_load", res.TimeConstructionLoad)
	put("time_presimulate", res.TimePresimulate)
	put("time_simulate", res.TimeSimulate)
	put("real_time_factor", res.RealTimeFactor)
	put("peak_rss_bytes", float64(res.PeakRSS))
	put("bytes_per_synapse", res.BytesPerSynapse)
	for _, p := range res.Rates {
		putMetric(m, RateMetricPrefix+p.Population, p.Rate)
	}
	putMapMetrics(m, res.MapQuality)
	return m
}

func putMetric(m map[string]float64, k string, v float64) {
	if isFinite(v) {
		m[k] = v
	}
}

// runMeta is the metadata shared by every rank of the run.
func runMeta(res *Result) map[string]string {
	md := res.Meta
	m := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	put("host", md.Host)
	put("os", md.OS)
	put("arch", md.Arch)
	put("cpu_model", md.CPUModel)
	if md.Cores > 0 {
		put("cores", strconv.Itoa(md.Cores))
	}
	if md.MemoryB > 0 {
		put("memory_bytes", strconv.FormatInt(md.MemoryB, 10))
	}
	put("tool_version", md.Tool.Version)
	if rev := md.Tool.Revision; rev != "" {
		clean, dirty := strings.CutSuffix(rev, DirtySuffix)
		put("vcs_revision", clean)
		put("vcs_modified", strconv.FormatBool(dirty))
	}
	put("vcs_time", md.Tool.Time)
	put("go_version", md.Tool.Go)
	put("mpi_library", md.MPILibrary)
	if !md.Started.IsZero() {
		put("started", md.Started.UTC().Format(time.RFC3339))
	}
	for k, v := range md.Slurm {
		if k = strings.ToLower(k); strings.HasPrefix(k, "slurm_") {
			put(k, v)
		}
	}
	put("model_digest", res.ModelDigest)
	put("spike_digest", res.SpikeDigest)
	put("network", res.Network)
	if res.Dt > 0 && !math.IsInf(res.Dt, 0) {
		put("dt", strconv.FormatFloat(res.Dt, 'g', -1, 64))
	}
	put("format_version", strconv.Itoa(res.FormatVersion))
	return m
}

func copyParams(p map[string]string) map[string]string {
	if len(p) == 0 {
		return nil
	}
	return maps.Clone(p)
}
