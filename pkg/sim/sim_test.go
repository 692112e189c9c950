package sim

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
	buildNetAt(t, m, seed, ranks, dir)
	return dir
}

func buildNetAt(t testing.TB, m *model.Model, seed uint64, ranks int, dir string) {
	t.Helper()
	if _, err := build.InProc(context.Background(), build.Options{Model: m, Seed: seed, Threads: 2, Out: dir}, ranks); err != nil {
		t.Fatal(err)
	}
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

// TestFailingRank: a rank that cannot load its partition ends the job with
// an error naming the file, within seconds, and leaves no run directory.
func TestFailingRank(t *testing.T) {
	net := buildNet(t, builtin(t, "brunel", "N=1000"), 1, 2)
	p := filepath.Join(net, "rank-00001.synapses.arrow")
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, st.Size()-100); err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	done := make(chan error, 1)
	go func() {
		_, err := InProcJob(context.Background(), JobOptions{Net: net, Out: filepath.Join(base, "run"),
			Config: Config{TPresim: 10, TSim: 100000}}, 2)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "rank-00001.synapses.arrow") || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("error %v, want one naming the truncated file", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the job still runs 20 s after rank 1 failed")
	}
	if entries, _ := os.ReadDir(base); len(entries) != 0 {
		t.Fatalf("a failed run left %v", entries)
	}
}

func TestWrongRankCount(t *testing.T) {
	net := buildNet(t, builtin(t, "brunel", "N=200"), 1, 2)
	_, err := InProcJob(context.Background(), JobOptions{Net: net, Out: filepath.Join(t.TempDir(), "run"), Config: Config{TSim: 10}}, 3)
	if err == nil || !strings.Contains(err.Error(), "has 2 partitions but the job has 3 ranks") {
		t.Fatalf("error %v", err)
	}
}

// benchThreads returns the benchmarks' thread count: SNN_BENCH_THREADS,
// a positive integer, or 1 when it is unset.
func benchThreads(b *testing.B) int {
	v := os.Getenv("SNN_BENCH_THREADS")
	if v == "" {
		return 1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("SNN_BENCH_THREADS=%q: want a positive integer", v)
	}
	return n
}

// BenchmarkBrunel simulates Brunel A (N from SNN_BENCH_N, default 10,000)
// for 1 s of model time on one rank with SNN_BENCH_THREADS threads
// (default 1) and reports the real-time factor.
func BenchmarkBrunel(b *testing.B) {
	n := os.Getenv("SNN_BENCH_N")
	if n == "" {
		n = "10000"
	}
	net := buildNet(b, builtin(b, "brunel", "N="+n), 1, 1)
	threads := benchThreads(b)
	for i := 0; i < b.N; i++ {
		res := runNet(b, net, 1, threads, CommCollective, 100, 1000)
		b.ReportMetric(res.RealTimeFactor, "RTF")
		b.ReportMetric(res.BytesPerSynapse, "B/syn")
	}
}

// BenchmarkMicrocircuit simulates the microcircuit at N_scaling from
// SNN_BENCH_NSCALING (default 0.1) and K_scaling 1 for 1 s on one rank with
// SNN_BENCH_THREADS threads (default 1), after 100 ms of warm-up, and
// reports the real-time factor. SNN_BENCH_NET names a network that
// snn-build wrote for one rank (the full scale takes a minute to build)
// to run instead.
func BenchmarkMicrocircuit(b *testing.B) {
	ns := os.Getenv("SNN_BENCH_NSCALING")
	if ns == "" {
		ns = "0.1"
	}
	net := os.Getenv("SNN_BENCH_NET")
	if net == "" {
		net = buildNet(b, builtin(b, "microcircuit", "N_scaling="+ns, "K_scaling=1"), 1, 1)
	}
	threads := benchThreads(b)
	for i := 0; i < b.N; i++ {
		res := runNet(b, net, 1, threads, CommCollective, 100, 1000)
		b.ReportMetric(res.RealTimeFactor, "RTF")
		b.ReportMetric(res.BytesPerSynapse, "B/syn")
	}
}

// TestRatesCountMeasuredPhaseOnly: the rates divide the spikes of the
// measured phase by its length; presimulation spikes do not count.
func TestRatesCountMeasuredPhaseOnly(t *testing.T) {
	net := buildNet(t, builtin(t, "brunel", "N=1000"), 1, 1)
	res := runNet(t, net, 1, 1, CommCollective, 200, 300)
	spikes, _ := spikesOf(t, net, 200, 300)
	var measured int64
	for _, s := range spikes {
		if s.Step >= 2000 {
			measured++
		}
	}
	var got int64
	for _, r := range res.Rates {
		got += r.Spikes
	}
	if got != measured || measured == int64(len(spikes)) {
		t.Fatalf("rates count %d spikes; the measured phase has %d of %d", got, measured, len(spikes))
	}
}
