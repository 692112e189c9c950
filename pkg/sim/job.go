package sim

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/results"
)

// JobOptions configure a run of a network directory.
type JobOptions struct {
	Net    string // network directory
	Out    string // run directory to create
	Force  bool
	Config Config
	// MPILibrary is recorded in the metadata ("" without MPI).
	MPILibrary string
}

// cleanup removes the temporary run directory on rank 0 after a failure.
func cleanup(c comm.Comm, tmp string, err error) error {
	if c.Rank() == 0 {
		os.RemoveAll(tmp)
	}
	return err
}

// rankReport is what each rank sends to rank 0.
type rankReport struct {
	Err    string       `json:"err,omitempty"`
	Rank   results.Rank `json:"rank"`
	Pop    []int64      `json:"pop_spikes"`
	Spikes []Spike      `json:"-"`
	Meta   meta.Run     `json:"meta"`
	// Plastic sums the rank's plastic weights per plastic projection.
	Plastic []weightSum `json:"plastic,omitempty"`
	// Structural counts the rank's synapses per structural projection.
	Structural []structCount `json:"structural,omitempty"`
	// Map holds the map-quality figures of the rank's target neurons (mapquality.go).
	Map []mapNeuron `json:"map,omitempty"`
	// Resolution is the input rings' step (the same on every rank).
	Resolution float64 `json:"resolution"`
}

// RunJob simulates rank c.Rank() of the network and writes the run
// directory: spikes-rank-RRRRR.arrow per rank and result.json. Every rank
// must call it; the Result is returned on rank 0.
func RunJob(ctx context.Context, o JobOptions, c comm.Comm) (*results.Result, error) {
	man, err := netfile.ReadManifest(o.Net)
	if err != nil {
		return nil, err
	}
	var tmp string
	var prepErr error
	if c.Rank() == 0 {
		tmp, prepErr = outdir.Prepare(o.Out, results.FileName, o.Force)
	}
	msg := tmp
	if prepErr != nil {
		msg = "\x00" + prepErr.Error()
	}
	b, err := c.Bcast([]byte(msg), 0)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 && b[0] == 0 {
		return nil, errors.New(string(b[1:]))
	}
	tmp = string(b)

	rep, spikes, err := runRank(o, man, c, tmp)
	if err != nil {
		// The other ranks are in the middle of the simulation's collectives:
		// end the whole job instead of leaving them waiting.
		err = fmt.Errorf("rank %d: %w", c.Rank(), err)
		if c.Rank() == 0 {
			os.RemoveAll(tmp)
		}
		c.Abort(err)
		return nil, err
	}
	js, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	all, err := c.Allgather(js)
	if err != nil {
		return nil, cleanup(c, tmp, err)
	}
	// The canonical spike list: every rank's spikes, sorted by (step, gid).
	allSpikes, err := c.Allgather(spikeBytes(spikes))
	if err != nil {
		return nil, cleanup(c, tmp, err)
	}
	var res *results.Result
	var finishErr error
	if c.Rank() == 0 {
		reps := make([]rankReport, len(all))
		var errs []error
		for r, raw := range all {
			if err := json.Unmarshal(raw, &reps[r]); err != nil {
				return nil, fmt.Errorf("rank %d report: %w", r, err)
			}
			if reps[r].Err != "" {
				errs = append(errs, errors.New(reps[r].Err))
			}
		}
		if len(errs) > 0 {
			finishErr = errors.Join(errs...)
		} else {
			res = summarise(o, man, reps, decodeSpikes(allSpikes))
			if finishErr = writeResult(tmp, res); finishErr == nil {
				finishErr = outdir.Commit(tmp, o.Out)
			}
		}
		if finishErr != nil {
			os.RemoveAll(tmp)
		}
	}
	msg = ""
	if finishErr != nil {
		msg = finishErr.Error()
	}
	if b, err = c.Bcast([]byte(msg), 0); err != nil {
		return nil, err
	}
	if len(b) > 0 {
		if c.Rank() == 0 {
			return nil, finishErr
		}
		return nil, fmt.Errorf("run failed on another rank: %s", b)
	}
	return res, nil
}

func spikeBytes(s []Spike) []byte {
	var b []byte
	for _, x := range s {
		b = appendSpike(b, x)
	}
	return b
}

// runRank loads and simulates one rank and writes its spike file.
func runRank(o JobOptions, man *netfile.Manifest, c comm.Comm, dir string) (rankReport, []Spike, error) {
	rep := rankReport{Meta: meta.Collect(o.MPILibrary)}
	e, err := New(o.Net, man, c, o.Config)
	if err != nil {
		return rep, nil, err
	}
	mapInitial := e.mapSynapses()
	if err := e.Run(); err != nil {
		return rep, nil, err
	}
	t := time.Now()
	slices.SortFunc(e.recorded, cmpSpike)
	if err := WriteSpikes(filepath.Join(dir, SpikeFileName(c.Rank())), e.recorded, man, c.Rank()); err != nil {
		return rep, nil, err
	}
	e.timers.Record += time.Since(t).Seconds()
	tm := e.timers
	rss := meta.PeakRSS()
	rep.Rank = results.Rank{Rank: c.Rank(), Neurons: int64(e.n), Synapses: e.p.Synapses(), Spikes: int64(len(e.allSpikes)),
		TimeConstructionLoad: tm.Load, TimePresimulate: tm.Presimulate, TimeSimulate: tm.Simulate,
		TimeUpdate: tm.Update, TimeDeliver: tm.Deliver, TimeCommunicate: tm.Communicate, TimeRecord: tm.Record,
		PeakRSS: rss, Host: rep.Meta.Host, PID: os.Getpid()}
	if o.Config.TSim > 0 {
		rep.Rank.RealTimeFactor = tm.Simulate / (o.Config.TSim / 1000)
	}
	if e.p.Synapses() > 0 {
		rep.Rank.BytesPerSynapse = float64(rss) / float64(e.p.Synapses())
	}
	rep.Pop = e.popSpikes
	rep.Resolution = 1 / e.scale
	rep.Plastic = e.weightSums()
	rep.Structural = e.structCounts()
	rep.Map = e.mapNeurons(mapInitial)
	return rep, e.allSpikes, nil
}

func cmpSpike(a, b Spike) int {
	if a.Step != b.Step {
		return int(int64(a.Step) - int64(b.Step))
	}
	return int(int64(a.GID) - int64(b.GID))
}

func summarise(o JobOptions, man *netfile.Manifest, reps []rankReport, spikes []Spike) *results.Result {
	cfg := o.Config
	res := &results.Result{Format: "snnkit-result", FormatVersion: 1, Model: man.Model.Name, ModelDigest: man.ModelDigest,
		Seed: man.Seed, Network: o.Net, Ranks: man.Ranks, Threads: max(cfg.Threads, 1), Comm: cfg.Comm, Backend: "cpu",
		Dt: man.Dt, TPresim: cfg.TPresim, TSim: cfg.TSim, Neurons: man.Neurons, Synapses: man.Synapses, Meta: reps[0].Meta}
	if res.Comm == "" {
		res.Comm = CommCollective
	}
	pop := make([]int64, len(man.Populations))
	type process struct {
		host string
		pid  int
	}
	seen := map[process]bool{}
	for _, r := range reps {
		if p := (process{r.Rank.Host, r.Rank.PID}); !seen[p] {
			seen[p] = true
			res.PeakRSS += r.Rank.PeakRSS
		}
		res.RankResults = append(res.RankResults, r.Rank)
		res.TimeConstructionLoad = max(res.TimeConstructionLoad, r.Rank.TimeConstructionLoad)
		res.TimePresimulate = max(res.TimePresimulate, r.Rank.TimePresimulate)
		res.TimeSimulate = max(res.TimeSimulate, r.Rank.TimeSimulate)
		for i, n := range r.Pop {
			pop[i] += n
		}
	}
	if cfg.TSim > 0 {
		res.RealTimeFactor = res.TimeSimulate / (cfg.TSim / 1000)
	}
	if man.Synapses > 0 {
		res.BytesPerSynapse = float64(res.PeakRSS) / float64(man.Synapses)
	}
	for i, p := range man.Populations {
		pr := results.PopulationRate{Population: p.Name, Neurons: p.Size, Spikes: pop[i]}
		if cfg.TSim > 0 {
			pr.Rate = float64(pop[i]) / float64(p.Size) / (cfg.TSim / 1000)
		}
		res.Rates = append(res.Rates, pr)
	}
	res.Plastic = plasticSummary(man, reps)
	res.Structural = structuralSummary(man, reps)
	res.MapQuality = mapQualitySummary(man, reps)
	slices.SortFunc(spikes, cmpSpike)
	res.Spikes = int64(len(spikes))
	h := sha256.New()
	h.Write(spikeBytes(spikes))
	res.SpikeDigest = "sha256:" + hex.EncodeToString(h.Sum(nil))
	res.InputResolution = reps[0].Resolution
	return res
}

// plasticSummary merges the ranks' weight sums per plastic projection.
func plasticSummary(man *netfile.Manifest, reps []rankReport) []results.PlasticWeights {
	var sums []weightSum
	for _, r := range reps {
		for _, s := range r.Plastic {
			i := slices.IndexFunc(sums, func(t weightSum) bool { return t.Projection == s.Projection })
			if i < 0 {
				sums = append(sums, weightSum{Projection: s.Projection})
				i = len(sums) - 1
			}
			sums[i].merge(s)
		}
	}
	slices.SortFunc(sums, func(a, b weightSum) int { return a.Projection - b.Projection })
	var out []results.PlasticWeights
	for _, s := range sums {
		if s.N == 0 || s.Projection >= len(man.Model.Projections) {
			continue
		}
		pr := man.Model.Projections[s.Projection]
		out = append(out, results.PlasticWeights{Projection: pr.Name, SynapseModel: pr.SynapseModel, Synapses: s.N,
			MeanWeight: s.mean(), MinWeight: float64(s.Min) / fix, MaxWeight: float64(s.Max) / fix})
	}
	return out
}

// structuralSummary adds up the ranks' synapse counts per structural projection.
func structuralSummary(man *netfile.Manifest, reps []rankReport) []results.StructuralSynapses {
	var out []results.StructuralSynapses
	for _, r := range reps {
		for i, c := range r.Structural {
			if i == len(out) {
				pr := man.Model.Projections[c.Projection]
				out = append(out, results.StructuralSynapses{Projection: pr.Name, Rule: pr.Structural.Rule})
			}
			out[i].Synapses += c.Synapses
			out[i].Formed += c.Formed
			out[i].Eliminated += c.Removed
		}
	}
	return out
}

func writeResult(dir string, r *results.Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	return outdir.WriteBytes(filepath.Join(dir, results.FileName), append(b, '\n'))
}

// InProcJob runs a job with ranks in-process ranks.
func InProcJob(ctx context.Context, o JobOptions, ranks int) (*results.Result, error) {
	var res *results.Result
	err := comm.RunInProc(ranks, func(c comm.Comm) error {
		r, err := RunJob(ctx, o, c)
		if c.Rank() == 0 {
			res = r
		}
		return err
	})
	return res, err
}
