//go:build mpi

package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/launch"
	"github.com/snnkit/snnkit/pkg/netfile"
)

// world is MPI_COMM_WORLD when the test binary runs under mpirun.
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

// TestMPIBuildMatchesInProcess: under mpirun -np R every rank builds and
// writes only its own files, and the result is byte for byte the
// in-process build with R ranks.
func TestMPIBuildMatchesInProcess(t *testing.T) {
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
	for _, m := range []struct {
		name string
		sets []string
	}{{"microcircuit", []string{"N_scaling=0.02", "K_scaling=0.05"}}, {"hpc_benchmark", []string{"scale=0.02"}}, {"brunel", []string{"N=500"}}} {
		mod := builtin(t, m.name, m.sets...)
		mpiDir := filepath.Join(base, m.name+"-mpi")
		res, err := Run(context.Background(), Options{Model: mod, Seed: 9, Threads: 2, Out: mpiDir}, world)
		if err != nil {
			t.Fatalf("rank %d: %v", world.Rank(), err)
		}
		if world.Rank() != 0 {
			if res != nil {
				t.Errorf("rank %d got a result; only rank 0 reports", world.Rank())
			}
			continue
		}
		inDir := filepath.Join(base, m.name+"-inproc")
		if _, err := InProc(context.Background(), Options{Model: mod, Seed: 9, Threads: 1, Out: inDir}, world.Size()); err != nil {
			t.Fatal(err)
		}
		a, err := netfile.ReadManifest(mpiDir)
		if err != nil {
			t.Fatal(err)
		}
		want, err := netfile.ReadManifest(inDir)
		if err != nil {
			t.Fatal(err)
		}
		if a.Ranks != world.Size() {
			t.Fatalf("%s: %d partitions from %d MPI ranks", m.name, a.Ranks, world.Size())
		}
		for r := range want.RankEntries {
			for f := range want.RankEntries[r].Files {
				x, y := a.RankEntries[r].Files[f], want.RankEntries[r].Files[f]
				if x != y {
					t.Fatalf("%s rank %d: MPI wrote %+v, in-process %+v", m.name, r, x, y)
				}
			}
		}
		t.Logf("%s: %d MPI ranks wrote the in-process bytes (%d synapses)", m.name, world.Size(), a.Synapses)
	}
	if err := world.Barrier(); err != nil {
		t.Fatal(err)
	}
}
