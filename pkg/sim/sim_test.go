package sim

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/snnkit/snnkit/pkg/build"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/results"
)

func builtin(t testing.TB, name string, sets ...string) *model.Model {
	t.Helper()
	s, err := model.ParseSets(sets)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Builtin(name, s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func buildNet(t testing.TB, m *model.Model, seed uint64, ranks int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "net")
	if _, err := build.InProc(context.Background(), build.Options{Model: m, Seed: seed, Threads: 2, Out: dir}, ranks); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runNet(t testing.TB, net string, ranks, threads int, mode string, presim, tsim float64) *results.Result {
	t.Helper()
	out := filepath.Join(t.TempDir(), "run")
	res, err := InProcJob(context.Background(), JobOptions{Net: net, Out: out,
		Config: Config{Threads: threads, TPresim: presim, TSim: tsim, Comm: mode}}, ranks)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestInvariance: spike trains are bitwise identical for any rank count,
// thread count and exchange mode.
func TestInvariance(t *testing.T) {
	models := map[string]*model.Model{
		"brunel":       builtin(t, "brunel", "N=2000"),
		"brunel_exp":   builtin(t, "brunel", "N=1000", "synapse=exp"),
		"hpc":          builtin(t, "hpc_benchmark", "scale=0.05"),
		"microcircuit": builtin(t, "microcircuit", "N_scaling=0.02", "K_scaling=0.05"),
	}
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			var ref *results.Result
			for _, ranks := range []int{1, 2, 3, 4} {
				net := buildNet(t, m, 3, ranks)
				for _, threads := range []int{1, 2} {
					for _, mode := range CommModes {
						if ranks == 1 && mode == CommP2P {
							continue
						}
						res := runNet(t, net, ranks, threads, mode, 20, 80)
						if ref == nil {
							ref = res
							if res.Spikes == 0 {
								t.Fatal("no spikes: the test would prove nothing")
							}
							t.Logf("%d spikes, rates %+v", res.Spikes, res.Rates)
							continue
						}
						if res.SpikeDigest != ref.SpikeDigest || res.Spikes != ref.Spikes {
							t.Fatalf("%d ranks × %d threads, %s: %d spikes %s; 1 rank: %d spikes %s",
								ranks, threads, mode, res.Spikes, res.SpikeDigest[:16], ref.Spikes, ref.SpikeDigest[:16])
						}
					}
				}
			}
		})
	}
}
