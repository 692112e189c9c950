// Package build turns a model into a network directory: every rank builds
// the neurons it owns and their incoming synapses (pkg/connect), works out
// which ranks need its neurons' spikes, and writes its partition files
// (pkg/netfile); the only communication is a small gather for the manifest.
// The result does not depend on the number of ranks or threads.
package build

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/connect"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/partition"
)

// Options configure a build.
type Options struct {
	Model *model.Model
	Seed  uint64
	// Threads per rank (default 1).
	Threads int
	// Out is the network directory to create.
	Out string
	// Force replaces an existing network directory at Out.
	Force bool
	// Write tunes the partition files.
	Write netfile.WriteOptions
	// Creator is recorded in the manifest, e.g. "snn-build v0.1.0 (abc123)".
	Creator string
	// Progress, when set, counts (projection, target) items done on this
	// process; Work says how many there will be.
	Progress *atomic.Int64
	// Writing, when set, counts the ranks of this process writing files.
	Writing *atomic.Int32
}

// RankStats are one rank's figures.
type RankStats struct {
	Rank               int     `json:"rank"`
	Neurons            int64   `json:"neurons"`
	Synapses           int64   `json:"synapses"`
	ProjectionSynapses []int64 `json:"projection_synapses"`
	SendPairs          int64   `json:"send_pairs"`
	Bytes              int64   `json:"bytes"`
	// Phase times in seconds, named after NEST's timers where one matches.
	CreateSeconds  float64 `json:"time_construction_create"`
	ConnectSeconds float64 `json:"time_construction_connect"`
	SendMapSeconds float64 `json:"time_construction_sendmap"`
	WriteSeconds   float64 `json:"time_construction_write"`
	// PeakRSS is the process's peak resident memory in bytes when the rank
	// finished (shared by in-process ranks).
	PeakRSS int64 `json:"peak_rss_bytes"`
}

// Result is what a build reports.
type Result struct {
	Dir          string      `json:"dir"`
	ModelDigest  string      `json:"model_digest"`
	Seed         uint64      `json:"seed"`
	Ranks        int         `json:"ranks"`
	Threads      int         `json:"threads"`
	Neurons      int64       `json:"neurons"`
	Synapses     int64       `json:"synapses"`
	Bytes        int64       `json:"bytes"`
	WallSeconds  float64     `json:"wall_seconds"`
	PeakRSS      int64       `json:"peak_rss_bytes"`
	RankStats    []RankStats `json:"ranks_stats"`
	BytesPerSyn  float64     `json:"file_bytes_per_synapse"`
	MemoryPerSyn float64     `json:"peak_rss_bytes_per_synapse"`
}

// Work returns the number of progress items a rank will report.
func Work(m *model.Model, rank, ranks int) int64 {
	first, total := m.FirstGIDs()
	dist := partition.RoundRobin{Neurons: total, Ranks: ranks}
	var n int64
	for _, pr := range m.Projections {
		ti := m.PopulationIndex(pr.Target)
		lo, hi := dist.LocalRange(rank, first[ti], m.Populations[ti].Size)
		n += 2 * (hi - lo) // two passes
	}
	return n
}

// InProc builds with ranks in-process ranks (goroutines).
func InProc(ctx context.Context, o Options, ranks int) (*Result, error) {
	var res *Result
	err := comm.RunInProc(ranks, func(c comm.Comm) error {
		r, err := Run(ctx, o, c)
		if c.Rank() == 0 {
			res = r
		}
		return err
	})
	return res, err
}

// status is what each rank reports to rank 0 after writing its files.
type status struct {
	Err   string            `json:"err,omitempty"`
	Entry netfile.RankEntry `json:"entry"`
	Stats RankStats         `json:"stats"`
}

// Run builds rank c.Rank() of the network and, on rank 0, writes the
// manifest and moves the finished directory into place. Every rank of c
// must call it with the same options. The Result is complete on rank 0.
func Run(ctx context.Context, o Options, c comm.Comm) (*Result, error) {
	start := time.Now()
	if o.Threads < 1 {
		o.Threads = 1
	}
	if o.Progress == nil {
		o.Progress = new(atomic.Int64)
	}
	digest, err := model.Digest(o.Model)
	if err != nil {
		return nil, err
	}
	plan, err := connect.NewPlan(o.Model, o.Seed)
	if err != nil {
		return nil, err
	}
	dist, err := partition.New(plan.Total, c.Size())
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", o.Model.Name, err)
	}
	// Rank 0 makes the temporary directory and tells the others its name.
	var tmp string
	var prepErr error
	if c.Rank() == 0 {
		tmp, prepErr = outdir.Prepare(o.Out, netfile.ManifestName, o.Force)
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

	st, buildErr := buildAndWrite(ctx, o, plan, dist, c.Rank(), tmp, digest)
	if buildErr != nil {
		st.Err = fmt.Sprintf("rank %d: %v", c.Rank(), buildErr)
	}
	js, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	all, err := c.Allgather(js)
	if err != nil {
		return nil, err
	}
	statuses := make([]status, len(all))
	var errs []error
	for r, raw := range all {
		if err := json.Unmarshal(raw, &statuses[r]); err != nil {
			return nil, fmt.Errorf("rank %d status: %w", r, err)
		}
		if statuses[r].Err != "" {
			errs = append(errs, errors.New(statuses[r].Err))
		}
	}
	var finishErr error
	var res *Result
	if c.Rank() == 0 {
		if len(errs) > 0 {
			os.RemoveAll(tmp)
			finishErr = errors.Join(errs...)
		} else {
			res, finishErr = finish(o, plan, digest, tmp, statuses)
			if finishErr != nil {
				os.RemoveAll(tmp)
			}
		}
	}
	// Everyone learns whether rank 0 finished.
	msg = ""
	if finishErr != nil {
		msg = finishErr.Error()
	}
	if b, err = c.Bcast([]byte(msg), 0); err != nil {
		return nil, err
	}
	if buildErr != nil {
		return nil, buildErr
	}
	if len(b) > 0 {
		if c.Rank() == 0 {
			return nil, finishErr
		}
		return nil, fmt.Errorf("build failed on another rank: %s", b)
	}
	if res != nil {
		res.WallSeconds = time.Since(start).Seconds()
		res.PeakRSS = meta.PeakRSS()
		res.MemoryPerSyn = float64(res.PeakRSS) / float64(max(res.Synapses, 1))
	}
	return res, nil
}

func buildAndWrite(ctx context.Context, o Options, plan *connect.Plan, dist partition.RoundRobin, rank int, dir, digest string) (status, error) {
	b := &rankBuilder{ctx: ctx, plan: plan, dist: dist, rank: rank, threads: o.Threads, work: o.Progress}
	p, err := b.run()
	if err != nil {
		return status{}, err
	}
	t := time.Now()
	if o.Writing != nil {
		o.Writing.Add(1)
		defer o.Writing.Add(-1)
	}
	files, err := netfile.WriteRank(dir, p, netfile.Header{ModelDigest: digest, Seed: plan.Seed}, o.Write)
	if err != nil {
		return status{}, err
	}
	files[0].Table, files[1].Table = netfile.TableNeurons, netfile.TableSynapses
	s := b.stats
	s.WriteSeconds = time.Since(t).Seconds()
	s.Rank, s.Neurons, s.Synapses = rank, int64(p.Neurons()), p.Synapses()
	for _, f := range files {
		s.Bytes += f.Bytes
	}
	lo, hi := delayRange(p)
	entry := netfile.RankEntry{Rank: rank, Neurons: s.Neurons, Synapses: s.Synapses, ProjectionSynapses: s.ProjectionSynapses,
		MinDelaySteps: lo, MaxDelaySteps: hi, SendPairs: s.SendPairs, Files: files}
	runtime.GC() // hand the partition's memory back before the next rank or phase
	s.PeakRSS = meta.PeakRSS()
	return status{Entry: entry, Stats: s}, nil
}

func delayRange(p *netfile.Partition) (lo, hi int64) {
	n := p.Synapses()
	if n == 0 {
		return 0, 0
	}
	lo, hi = 1<<62, 0
	for k := int64(0); k < n; k++ {
		d := int64(p.DelayAt(k))
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

// finish writes the manifest into tmp and renames tmp to the output path.
func finish(o Options, plan *connect.Plan, digest, tmp string, statuses []status) (*Result, error) {
	m := o.Model
	man := &netfile.Manifest{
		Format: netfile.FormatName, FormatVersion: netfile.FormatVersion, Creator: o.Creator,
		ModelDigest: digest, Seed: plan.Seed, Ranks: len(statuses), Partition: "round_robin",
		Dt: m.Dt, Neurons: plan.Total, Model: m,
	}
	for i, p := range m.Populations {
		man.Populations = append(man.Populations, netfile.PopulationEntry{Name: p.Name, Neuron: p.Neuron, FirstGID: plan.First[i], Size: p.Size})
	}
	for _, p := range m.Projections {
		man.Projections = append(man.Projections, netfile.ProjectionEntry{Name: p.Name, Source: p.Source, Target: p.Target, Rule: p.Rule, SynapseModel: p.SynapseModel})
	}
	res := &Result{ModelDigest: digest, Seed: plan.Seed, Ranks: len(statuses), Threads: o.Threads, Neurons: plan.Total}
	man.MinDelaySteps = 1 << 62
	for _, st := range statuses {
		e := st.Entry
		man.RankEntries = append(man.RankEntries, e)
		man.Synapses += e.Synapses
		for i, n := range e.ProjectionSynapses {
			man.Projections[i].Synapses += n
		}
		if e.Synapses > 0 {
			man.MinDelaySteps = min(man.MinDelaySteps, e.MinDelaySteps)
			man.MaxDelaySteps = max(man.MaxDelaySteps, e.MaxDelaySteps)
		}
		res.RankStats = append(res.RankStats, st.Stats)
		res.Bytes += st.Stats.Bytes
	}
	if man.Synapses == 0 {
		man.MinDelaySteps = 0
	}
	res.Synapses = man.Synapses
	res.BytesPerSyn = float64(res.Bytes) / float64(max(res.Synapses, 1))
	if err := netfile.WriteManifest(tmp, man); err != nil {
		return nil, err
	}
	out := filepath.Clean(o.Out)
	if err := outdir.Commit(tmp, out); err != nil {
		return nil, err
	}
	res.Dir = out
	return res, nil
}
