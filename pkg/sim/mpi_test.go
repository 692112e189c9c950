//go:build mpi

package sim

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/launch"
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
// the spike digest of the in-process run.
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
	net := filepath.Join(base, "net")
	if world.Rank() == 0 {
		buildNetAt(t, builtin(t, "brunel", "N=1500"), 5, world.Size(), net)
	}
	world.Barrier()
	for _, mode := range CommModes {
		res, err := RunJob(context.Background(), JobOptions{Net: net, Out: filepath.Join(base, "run-"+mode),
			Config: Config{Threads: 2, TPresim: 20, TSim: 100, Comm: mode}}, world)
		if err != nil {
			t.Fatalf("rank %d: %v", world.Rank(), err)
		}
		if world.Rank() != 0 {
			continue
		}
		ref := runNet(t, net, world.Size(), 1, CommCollective, 20, 100)
		if res.SpikeDigest != ref.SpikeDigest || res.Spikes == 0 {
			t.Fatalf("%s: MPI %d spikes %s, in-process %d spikes %s", mode, res.Spikes, res.SpikeDigest, ref.Spikes, ref.SpikeDigest)
		}
		t.Logf("%s: %d MPI ranks gave the in-process spikes (%d)", mode, world.Size(), res.Spikes)
	}
	world.Barrier()
}
