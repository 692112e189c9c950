//go:build mpi

package launch

import (
	"os"
	"strconv"
	"testing"
)

// TestWorldWithMPI: run plainly, World gives no communicator; under mpirun,
// it starts MPI with the launcher's size and rank. (MPI starts once per
// process, so this is the only test here that may call World under mpirun.)
func TestWorldWithMPI(t *testing.T) {
	if !HasMPI() || MPILibrary() == "" {
		t.Fatalf("HasMPI %v, MPILibrary %q in a build with the mpi tag", HasMPI(), MPILibrary())
	}
	size, launched := UnderMPILauncher()
	c, stop, err := World()
	if err != nil || stop == nil {
		t.Fatalf("World: stop %v, %v", stop != nil, err)
	}
	defer stop()
	if !launched {
		if c != nil {
			t.Fatalf("World without a launcher: %v, want nil", c)
		}
		return
	}
	if c == nil {
		t.Fatal("World under a launcher: nil communicator")
	}
	if size != 0 && c.Size() != size {
		t.Errorf("size %d, launcher says %d", c.Size(), size)
	}
	if r, err := strconv.Atoi(os.Getenv("OMPI_COMM_WORLD_RANK")); err == nil && r != c.Rank() {
		t.Errorf("rank %d, launcher says %d", c.Rank(), r)
	}
	if sum, err := c.AllreduceSumInt64(int64(c.Rank())); err != nil || sum != int64(c.Size()*(c.Size()-1)/2) {
		t.Errorf("sum of ranks: %d, %v", sum, err)
	}
}
