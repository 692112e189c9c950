package build

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/partition"
)

// synapse is one synapse in global terms, for comparing networks built on
// different rank counts.
type synapse struct {
	proj           uint16
	source, target uint32
	weight         uint32 // float32 bits
	delay          uint16
}

// network is the union of all partitions of a network directory.
type network struct {
	man      *netfile.Manifest
	synapses []synapse          // sorted
	state    map[uint32]float64 // V_m by gid
	parts    []*netfile.Partition
}

func load(t testing.TB, dir string) *network {
	t.Helper()
	man, err := netfile.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := man.Verify(dir, true); err != nil {
		t.Fatal(err)
	}
	n := &network{man: man, state: map[uint32]float64{}}
	for r := 0; r < man.Ranks; r++ {
		p, err := netfile.ReadRank(dir, man, r)
		if err != nil {
			t.Fatal(err)
		}
		n.parts = append(n.parts, p)
		for i, gid := range p.GID {
			if _, dup := n.state[gid]; dup {
				t.Fatalf("gid %d on two ranks", gid)
			}
			n.state[gid] = p.State[0][i]
		}
		for row := range p.RowSource {
			for k := p.RowStart[row]; k < p.RowStart[row+1]; k++ {
				li := int64(p.TargetAt(k))
				if li >= int64(p.Neurons()) {
					t.Fatalf("rank %d synapse %d: local target %d of %d", r, k, li, p.Neurons())
				}
				n.synapses = append(n.synapses, synapse{p.RowProjection[row], p.RowSource[row], p.GID[li], math.Float32bits(p.Weight[k]), p.DelayAt(k)})
			}
		}
	}
	slices.SortFunc(n.synapses, func(a, b synapse) int {
		for _, d := range []int64{int64(a.proj) - int64(b.proj), int64(a.source) - int64(b.source), int64(a.target) - int64(b.target),
			int64(a.weight) - int64(b.weight), int64(a.delay) - int64(b.delay)} {
			if d != 0 {
				return int(max(-1, min(1, d)))
			}
		}
		return 0
	})
	return n
}

func (n *network) digest() string {
	h := sha256.New()
	for _, s := range n.synapses {
		binary.Write(h, binary.LittleEndian, s)
	}
	for gid := uint32(0); gid < uint32(len(n.state)); gid++ {
		binary.Write(h, binary.LittleEndian, math.Float64bits(n.state[gid]))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// checkSendMaps demands that every neuron's send mask names exactly the
// ranks holding synapses from it.
func (n *network) checkSendMaps(t *testing.T) {
	t.Helper()
	R := n.man.Ranks
	dist := partition.RoundRobin{Neurons: n.man.Neurons, Ranks: R}
	need := map[[2]uint32]bool{}
	for r, p := range n.parts {
		for _, src := range p.RowSource {
			need[[2]uint32{src, uint32(r)}] = true
		}
	}
	for r, p := range n.parts {
		for i, gid := range p.GID {
			if dist.Owner(int64(gid)) != r {
				t.Fatalf("gid %d on rank %d, owner %d", gid, r, dist.Owner(int64(gid)))
			}
			for r2 := 0; r2 < R; r2++ {
				if got, want := p.Needs(i, r2), need[[2]uint32{gid, uint32(r2)}]; got != want {
					t.Fatalf("send map of gid %d for rank %d: %v, want %v", gid, r2, got, want)
				}
			}
		}
	}
}

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

func fromFile(t testing.TB, path string) *model.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := model.Parse(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func buildDir(t testing.TB, m *model.Model, seed uint64, ranks, threads int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "net")
	if _, err := InProc(context.Background(), Options{Model: m, Seed: seed, Threads: threads, Out: dir}, ranks); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRankAndThreadInvariance is invariant 1 of the design: the same model
// and seed give the same synapses and initial states on any rank count.
func TestRankAndThreadInvariance(t *testing.T) {
	models := map[string]*model.Model{
		"rules":        fromFile(t, "testdata/rules.yaml"),
		"brunel":       builtin(t, "brunel", "N=1000"),
		"hpc":          builtin(t, "hpc_benchmark", "scale=0.02", "plastic=true"),
		"microcircuit": builtin(t, "microcircuit", "N_scaling=0.02", "K_scaling=0.05"),
	}
	for name, m := range models {
		t.Run(name, func(t *testing.T) {
			var ref string
			var refSyn int
			for _, ranks := range []int{1, 2, 3, 4, 8} {
				threads := 1 + ranks%3
				n := load(t, buildDir(t, m, 7, ranks, threads))
				n.checkSendMaps(t)
				d := n.digest()
				if ranks == 1 {
					ref, refSyn = d, len(n.synapses)
					if refSyn == 0 {
						t.Fatal("no synapses")
					}
					continue
				}
				if d != ref {
					t.Fatalf("%d ranks × %d threads: network %s differs from 1 rank's %s (%d vs %d synapses)", ranks, threads, d[:12], ref[:12], len(n.synapses), refSyn)
				}
			}
		})
	}
}

// TestThreadsGiveSameBytes: for a fixed rank count the files are identical
// whatever the thread count.
func TestThreadsGiveSameBytes(t *testing.T) {
	m := fromFile(t, "testdata/rules.yaml")
	var ref []netfile.RankEntry
	for _, threads := range []int{1, 2, 5} {
		man, err := netfile.ReadManifest(buildDir(t, m, 3, 3, threads))
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref = man.RankEntries
			continue
		}
		for r := range ref {
			for f := range ref[r].Files {
				if ref[r].Files[f].SHA256 != man.RankEntries[r].Files[f].SHA256 {
					t.Fatalf("%d threads: %s differs from 1 thread's", threads, ref[r].Files[f].Name)
				}
			}
		}
	}
}

func TestSeedChangesNetwork(t *testing.T) {
	m := builtin(t, "brunel", "N=200")
	a := load(t, buildDir(t, m, 1, 1, 1)).digest()
	b := load(t, buildDir(t, m, 2, 1, 1)).digest()
	if a == b {
		t.Fatal("seeds 1 and 2 built the same network")
	}
}

// TestWideTargets crosses the 65,536-neuron boundary where local target
// indices switch from 16 to 32 bits.
func TestWideTargets(t *testing.T) {
	m := &model.Model{Name: "wide", Populations: []model.Population{{Name: "P", Size: 70_000, Neuron: "iaf_psc_delta"}},
		Projections: []model.Projection{{Source: "P", Target: "P", Rule: model.PairwiseBernoulli, P: ptr(3e-5), Weight: model.Const(1), Delay: model.Const(1)}}}
	if err := model.Resolve(m); err != nil {
		t.Fatal(err)
	}
	one := load(t, buildDir(t, m, 1, 1, 2))
	two := load(t, buildDir(t, m, 1, 2, 2))
	if one.parts[0].TargetWidth != 4 || two.parts[0].TargetWidth != 2 {
		t.Fatalf("target widths %d and %d, want 4 (70,000 local) and 2 (35,000 local)", one.parts[0].TargetWidth, two.parts[0].TargetWidth)
	}
	if one.digest() != two.digest() {
		t.Fatal("1 and 2 ranks differ")
	}
}

func ptr[T any](v T) *T { return &v }

// TestConnectivityStatistics checks each rule's defining property on the union.
func TestConnectivityStatistics(t *testing.T) {
	m := fromFile(t, "testdata/rules.yaml")
	n := load(t, buildDir(t, m, 11, 3, 2))
	first, _ := m.FirstGIDs()
	indeg := map[[2]uint32]int{} // (proj, target) → count
	pairs := map[synapse]int{}   // (proj, source, target) → multiplicity
	byProj := map[uint16][]synapse{}
	for _, s := range n.synapses {
		indeg[[2]uint32{uint32(s.proj), s.target}]++
		pairs[synapse{proj: s.proj, source: s.source, target: s.target}]++
		byProj[s.proj] = append(byProj[s.proj], s)
	}
	for i, pr := range m.Projections {
		syn := byProj[uint16(i)]
		src := m.Populations[m.PopulationIndex(pr.Source)]
		tgt := m.Populations[m.PopulationIndex(pr.Target)]
		si, ti := first[m.PopulationIndex(pr.Source)], first[m.PopulationIndex(pr.Target)]
		for _, s := range syn {
			if int64(s.source) < si || int64(s.source) >= si+src.Size || int64(s.target) < ti || int64(s.target) >= ti+tgt.Size {
				t.Fatalf("%s: synapse %d→%d outside its populations", pr.Name, s.source, s.target)
			}
			if !pr.Autapses() && s.source == s.target {
				t.Fatalf("%s: autapse on %d", pr.Name, s.source)
			}
			if !pr.Multapses() && pairs[synapse{proj: s.proj, source: s.source, target: s.target}] > 1 {
				t.Fatalf("%s: multapse %d→%d", pr.Name, s.source, s.target)
			}
			w := float64(math.Float32frombits(s.weight))
			lo, hi := pr.Weight.Centre(), pr.Weight.Centre()
			switch pr.Weight.Kind {
			case model.Normal:
				lo, hi = math.Inf(-1), math.Inf(1)
				if pr.Weight.Min != nil {
					lo = *pr.Weight.Min
				}
				if pr.Weight.Max != nil {
					hi = *pr.Weight.Max
				}
			case model.Uniform:
				lo, hi = pr.Weight.Low, pr.Weight.High
			}
			if w < float64(float32(lo)) || w > float64(float32(hi)) {
				t.Fatalf("%s: weight %g outside [%g, %g]", pr.Name, w, lo, hi)
			}
			if s.delay < 1 {
				t.Fatalf("%s: delay %d steps", pr.Name, s.delay)
			}
		}
		switch pr.Rule {
		case model.FixedIndegree:
			for j := ti; j < ti+tgt.Size; j++ {
				if c := indeg[[2]uint32{uint32(i), uint32(j)}]; int64(c) != pr.Indegree {
					t.Fatalf("%s: target %d has in-degree %d, want %d", pr.Name, j, c, pr.Indegree)
				}
			}
		case model.FixedTotalNumber:
			if int64(len(syn)) != pr.N {
				t.Fatalf("%s: %d synapses, want %d", pr.Name, len(syn), pr.N)
			}
		case model.PairwiseBernoulli:
			trials := float64(src.Size * tgt.Size)
			if pr.Source == pr.Target && !pr.Autapses() {
				trials -= float64(src.Size)
			}
			mean := trials * *pr.P
			sd := math.Sqrt(trials * *pr.P * (1 - *pr.P))
			if math.Abs(float64(len(syn))-mean) > 5*sd+1e-9 {
				t.Fatalf("%s: %d synapses, want %g ± %g", pr.Name, len(syn), mean, 5*sd)
			}
		case model.OneToOne:
			for _, s := range syn {
				if int64(s.source)-si != int64(s.target)-ti {
					t.Fatalf("%s: %d→%d is not one-to-one", pr.Name, s.source, s.target)
				}
			}
		case model.AllToAll:
			want := src.Size * tgt.Size
			if !pr.Autapses() {
				want -= src.Size
			}
			if int64(len(syn)) != want {
				t.Fatalf("%s: %d synapses, want %d", pr.Name, len(syn), want)
			}
		}
	}
	// Delays: 0.75 ms → 8 steps (round half away from zero), 40 ms is representable in 16 bits.
	if n.parts[0].DelayWidth != 2 {
		t.Fatalf("delays up to 400 steps need 16 bits, got width %d", n.parts[0].DelayWidth)
	}
}

func TestInitialStates(t *testing.T) {
	m := builtin(t, "hpc_benchmark", "scale=0.1")
	n := load(t, buildDir(t, m, 5, 2, 2))
	var sum, sum2 float64
	for _, v := range n.state {
		sum += v
		sum2 += v * v
	}
	cnt := float64(len(n.state))
	mean, sd := sum/cnt, math.Sqrt(sum2/cnt-(sum/cnt)*(sum/cnt))
	if math.Abs(mean-5.7) > 5*7.2/math.Sqrt(cnt) || math.Abs(sd-7.2) > 0.3 {
		t.Fatalf("V_m mean %g sd %g, want Normal(5.7, 7.2)", mean, sd)
	}
}

func TestOutputDirectory(t *testing.T) {
	m := builtin(t, "brunel", "N=100")
	ctx := context.Background()
	base := t.TempDir()
	out := filepath.Join(base, "net")
	if _, err := InProc(ctx, Options{Model: m, Seed: 1, Out: out}, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := InProc(ctx, Options{Model: m, Seed: 1, Out: out}, 2); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("building over an existing directory: %v, want a refusal mentioning --force", err)
	}
	if _, err := InProc(ctx, Options{Model: m, Seed: 2, Out: out, Force: true}, 3); err != nil {
		t.Fatal(err)
	}
	man, err := netfile.ReadManifest(out)
	if err != nil || man.Ranks != 3 || man.Seed != 2 {
		t.Fatalf("--force did not replace the network: %v %+v", err, man)
	}
	other := filepath.Join(base, "precious")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "thesis.tex"), []byte("x"), 0o644)
	if _, err := InProc(ctx, Options{Model: m, Seed: 1, Out: other, Force: true}, 1); err == nil || !strings.Contains(err.Error(), "holds no manifest.json") {
		t.Fatalf("--force over a non-network directory: %v", err)
	}
	if _, err := InProc(ctx, Options{Model: m, Seed: 1, Out: filepath.Join(base, "x")}, 101); err == nil || !strings.Contains(err.Error(), "at most 100 ranks") {
		t.Fatalf("101 ranks for 100 neurons: %v", err)
	}
	assertNoLeftovers(t, base, "net", "precious")
}

// assertNoLeftovers demands that dir holds exactly the named entries: no
// temporary directories left behind.
func assertNoLeftovers(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("%s holds %v, want %v", dir, names, want)
	}
}

// TestFailureLeavesNothing: a build that fails on one rank (here: a
// fixed_total_number draw that overflows a target without multapses) leaves
// no directory under the final name and no temporary one.
func TestFailureLeavesNothing(t *testing.T) {
	m := &model.Model{Name: "overflow", Populations: []model.Population{
		{Name: "S", Size: 2, Neuron: "iaf_psc_delta"}, {Name: "T", Size: 50, Neuron: "iaf_psc_delta"}},
		Projections: []model.Projection{{Source: "S", Target: "T", Rule: model.FixedTotalNumber, N: 90, AllowMultapses: ptr(false), Weight: model.Const(1), Delay: model.Const(1)}}}
	if err := model.Resolve(m); err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	_, err := InProc(context.Background(), Options{Model: m, Seed: 1, Out: filepath.Join(base, "net")}, 3)
	if err == nil || !strings.Contains(err.Error(), "without multapses") {
		t.Fatalf("error %v, want a fixed_total_number overflow", err)
	}
	assertNoLeftovers(t, base)
	// A cancelled build also leaves nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := InProc(ctx, Options{Model: builtin(t, "brunel", "N=2000"), Seed: 1, Out: filepath.Join(base, "net")}, 2); err == nil {
		t.Fatal("a cancelled build succeeded")
	}
	assertNoLeftovers(t, base)
}

// TestCorruptionDetected: truncated, swapped and edited files are errors.
func TestCorruptionDetected(t *testing.T) {
	m := builtin(t, "brunel", "N=200")
	dir := buildDir(t, m, 1, 2, 1)
	syn0 := filepath.Join(dir, netfile.FileName(0, netfile.TableSynapses))
	man, _ := netfile.ReadManifest(dir)

	// The two neuron files have the same size, so only the checksum or the
	// schema metadata can tell them apart.
	swapped := t.TempDir()
	copyDir(t, dir, swapped)
	n0 := filepath.Join(swapped, netfile.FileName(0, netfile.TableNeurons))
	n1 := filepath.Join(swapped, netfile.FileName(1, netfile.TableNeurons))
	os.Rename(n0, n0+".tmp")
	os.Rename(n1, n0)
	os.Rename(n0+".tmp", n1)
	if _, err := netfile.ReadRank(swapped, man, 0); err == nil || !strings.Contains(err.Error(), "snnkit.rank") {
		t.Fatalf("swapped rank files: %v", err)
	}
	if err := man.Verify(swapped, true); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("swapped rank files, checksums: %v", err)
	}

	truncated := t.TempDir()
	copyDir(t, dir, truncated)
	p := filepath.Join(truncated, filepath.Base(syn0))
	st, _ := os.Stat(p)
	os.Truncate(p, st.Size()/2)
	if _, err := netfile.ReadRank(truncated, man, 0); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("truncated file: %v", err)
	}

	edited := t.TempDir()
	copyDir(t, dir, edited)
	mp := filepath.Join(edited, netfile.ManifestName)
	b, _ := os.ReadFile(mp)
	os.WriteFile(mp, []byte(strings.Replace(string(b), `"indegree": 16,`, `"indegree": 17,`, 1)), 0o644)
	if _, err := netfile.ReadManifest(edited); err == nil || !strings.Contains(err.Error(), "model_digest") {
		t.Fatalf("edited manifest: %v", err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkBuildHPC builds hpc_benchmark (scale from SNN_BENCH_SCALE, default
// 0.25) with 2 threads into a temporary directory and reports bytes per synapse.
func BenchmarkBuildHPC(b *testing.B) {
	scale := os.Getenv("SNN_BENCH_SCALE")
	if scale == "" {
		scale = "0.25"
	}
	m := builtin(b, "hpc_benchmark", "scale="+scale)
	for i := 0; i < b.N; i++ {
		dir := filepath.Join(b.TempDir(), "net")
		res, err := InProc(context.Background(), Options{Model: m, Seed: 1, Threads: 2, Out: dir}, 1)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.BytesPerSyn, "file-B/syn")
		b.ReportMetric(float64(res.Synapses)/res.WallSeconds/1e6, "Msyn/s")
	}
}
