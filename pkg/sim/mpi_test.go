//go:build mpi

package sim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/launch"
	"github.com/snnkit/snnkit/pkg/model"
)

var world comm.Comm

func TestMain(m *testing.M) {
	w, stop, err := launch.World()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	world = w
	code := m.Run()
	stop()
	os.Exit(code)
}

// TestMPIRunMatchesInProcess: under mpirun -np R, both exchange modes give
// the spike digest of the in-process run, and plastic networks the same
// final weights (result.json's summary in fixed point); structural
// networks the same synapse counts.
func TestMPIRunMatchesInProcess(t *testing.T) {
	if world == nil {
		t.Skip("not under mpirun: run the test binary with mpirun -np 2 or 3")
	}
	var base string
	if world.Rank() == 0 {
		base = t.TempDir()
	}
	b, err := world.Bcast([]byte(base), 0)
	if err != nil {
		t.Fatal(err)
	}
	base = string(b)
	for _, tc := range []struct {
		name         string
		model        func(testing.TB) *model.Model
		seed         uint64
		presim, tsim float64
		plastic      int // plastic projections
	}{
		{"brunel", func(t testing.TB) *model.Model { return builtin(t, "brunel", "N=1500") }, 5, 20, 100, 0},
		{"hpc_plastic", func(t testing.TB) *model.Model { return builtin(t, "hpc_benchmark", "scale=0.02", "plastic=true") }, 1, 20, 80, 1},
		{"structural", func(t testing.TB) *model.Model {
			return structModel(t, deepR("AB_deep_r"), bamford("AB_bamford", "A", "B", 6, true), bamford("BB_bamford", "B", "B", 0, false))
		}, 7, 20, 100, 2},
		{"topomap", func(t testing.TB) *model.Model { return builtin(t, "topomap") }, 3, 0, 200, 2},
	} {
		net := filepath.Join(base, "net-"+tc.name)
		if world.Rank() == 0 {
			buildNetAt(t, tc.model(t), tc.seed, world.Size(), net)
		}
		world.Barrier()
		for _, mode := range CommModes {
			res, err := RunJob(context.Background(), JobOptions{Net: net, Out: filepath.Join(base, "run-"+tc.name+"-"+mode),
				Config: Config{Threads: 2, TPresim: tc.presim, TSim: tc.tsim, Comm: mode}}, world)
			if err != nil {
				t.Fatalf("rank %d: %v", world.Rank(), err)
			}
			if world.Rank() != 0 {
				continue
			}
			ref := runNet(t, net, world.Size(), 1, CommCollective, tc.presim, tc.tsim)
			if res.SpikeDigest != ref.SpikeDigest || res.Spikes == 0 {
				t.Fatalf("%s %s: MPI %d spikes %s, in-process %d spikes %s", tc.name, mode, res.Spikes, res.SpikeDigest, ref.Spikes, ref.SpikeDigest)
			}
			if !reflect.DeepEqual(res.Plastic, ref.Plastic) || len(res.Plastic) != tc.plastic {
				t.Fatalf("%s %s: MPI plastic weights %+v, in-process %+v", tc.name, mode, res.Plastic, ref.Plastic)
			}
			wantStructural := map[string]int{"structural": 3, "topomap": 2}[tc.name]
			if !reflect.DeepEqual(res.Structural, ref.Structural) || len(res.Structural) != wantStructural {
				t.Fatalf("%s %s: MPI structural synapses %+v, in-process %+v", tc.name, mode, res.Structural, ref.Structural)
			}
			if !reflect.DeepEqual(res.MapQuality, ref.MapQuality) {
				t.Fatalf("%s %s: MPI map quality %+v, in-process %+v", tc.name, mode, res.MapQuality, ref.MapQuality)
			}
			t.Logf("%s %s: %d MPI ranks gave the in-process spikes (%d) and plastic weights %+v", tc.name, mode, world.Size(), res.Spikes, res.Plastic)
		}
		world.Barrier()
	}
}
