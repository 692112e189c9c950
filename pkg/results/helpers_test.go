package results

import (
	"fmt"
	"time"

	"github.com/snnkit/snnkit/pkg/meta"
)

// sampleResult is a realistic result of a run with the given ranks; seed
// varies the figures so that different seeds give different runs.
func sampleResult(seed uint64, ranks int) *Result {
	r := &Result{Format: "snnkit-result", FormatVersion: 1, Model: "brunel", ModelDigest: "sha256:0123456789abcdef",
		Seed: seed, Network: "results/nets/brunel-1a2b3c4d5e6f", Ranks: ranks, Threads: 2, Comm: "collective",
		Backend: "cpu", Dt: 0.1, TPresim: 100, TSim: 1000, Neurons: 2500, Synapses: 625000,
		TimeConstructionLoad: 0.25, TimePresimulate: 0.3, TimeSimulate: 3.21 + float64(seed)/100, RealTimeFactor: 3.21,
		Spikes: 45000 + int64(seed), SpikeDigest: fmt.Sprintf("sha256:%016x", seed*7919),
		Rates:   []PopulationRate{{Population: "E", Neurons: 2000, Spikes: 36000, Rate: 18.0}, {Population: "I", Neurons: 500, Spikes: 9000, Rate: 18.5}},
		PeakRSS: 123 << 20, BytesPerSynapse: 206.4,
		Meta: meta.Run{Tool: meta.Tool{Version: "(devel)", Revision: "0123456789abcdef0123456789abcdef01234567+dirty", Time: "2026-01-02T03:04:05Z", Go: "go1.26.8"},
			MPILibrary: "Open MPI v4.1.4", Host: "node01", OS: "linux", Arch: "amd64", CPUModel: "AMD EPYC 7742 64-Core Processor",
			Cores: 128, MemoryB: 256 << 30, Slurm: map[string]string{"SLURM_JOB_ID": "4711", "SLURM_JOB_PARTITION": "batch"},
			Started: time.Date(2026, 1, 2, 10, 0, 0, 123456789, time.FixedZone("CET", 3600))},
	}
	for k := 0; k < ranks; k++ {
		r.RankResults = append(r.RankResults, Rank{Rank: k, Neurons: 2500 / int64(ranks), Synapses: 625000 / int64(ranks),
			Spikes: 45000 / int64(ranks), TimeConstructionLoad: 0.2 + 0.01*float64(k), TimePresimulate: 0.3,
			TimeSimulate: 3.0 + 0.1*float64(k), TimeUpdate: 1.5, TimeDeliver: 1.0 + 0.05*float64(k), TimeCommunicate: 0.4,
			TimeRecord: 0.01, RealTimeFactor: 3.0 + 0.1*float64(k), PeakRSS: 100 << 20, BytesPerSynapse: 160,
			Host: fmt.Sprintf("node%02d", 1+k%2), PID: 1000 + k})
	}
	return r
}

func sampleConfig(ranks int) RunConfig {
	return RunConfig{Benchmark: "brunel-scaling", Machine: "cluster", Model: "brunel", Params: map[string]string{"N": "2500", "g": "5"},
		Seed: 1, Ranks: ranks, Threads: 2, Backend: "cpu", Comm: "collective", Scaling: "strong", TPresim: 100, TSim: 1000}
}
