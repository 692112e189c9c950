// Package launch finds out how a command was started, by an MPI launcher
// (mpirun, mpiexec, srun with PMI or PMIx) or directly, and returns the
// matching communicator.
//
// The detection (UnderMPILauncher) reads only environment variables and
// needs no MPI. World depends on the build: a binary built with the build
// tag mpi starts MPI when a launcher started it; one built without refuses
// to run as one of several MPI processes, so that a missing MPI build never
// silently runs R copies of rank 0.
package launch

import (
	"fmt"
	"os"
	"strconv"
)

// UnderMPILauncher reports whether an MPI launcher started this process
// and, when the launcher says, how many processes it started (size is 0
// when it does not).
//
// It recognises Open MPI's mpirun (OMPI_COMM_WORLD_SIZE), PMI-1/PMI-2
// launchers such as MPICH's and Intel MPI's Hydra, srun --mpi=pmi2 and Cray
// (PMI_SIZE, or PMI_RANK alone), MVAPICH's mpirun_rsh
// (MV2_COMM_WORLD_SIZE), Hydra's MPI_LOCALNRANKS, and PMIx launchers such as
// srun --mpi=pmix (PMIX_RANK; PMIx sets no size variable, so the size is
// SLURM_STEP_NUM_TASKS when Slurm set it). SLURM_* variables alone do not
// count: Slurm sets them in every batch job and step, MPI or not.
func UnderMPILauncher() (size int, ok bool) {
	for _, k := range []string{"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE"} {
		if n, ok := positive(k); ok {
			return n, true
		}
	}
	if _, ok := nonNegative("PMIX_RANK"); ok {
		n, _ := positive("SLURM_STEP_NUM_TASKS")
		return n, true
	}
	if _, ok := nonNegative("PMI_RANK"); ok {
		return 0, true
	}
	if _, ok := positive("MPI_LOCALNRANKS"); ok {
		// The number of processes on this node only: a lower bound.
		return 0, true
	}
	return 0, false
}

// launcherVars are the variables UnderMPILauncher reads.
var launcherVars = []string{
	"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "MV2_COMM_WORLD_SIZE", "PMIX_RANK", "SLURM_STEP_NUM_TASKS",
	"PMI_RANK", "MPI_LOCALNRANKS",
}

func positive(k string) (int, bool) {
	n, err := strconv.Atoi(os.Getenv(k))
	return n, err == nil && n > 0
}

func nonNegative(k string) (int, bool) {
	n, err := strconv.Atoi(os.Getenv(k))
	return n, err == nil && n >= 0
}

// checkWorldSize compares the launcher's process count (0: unknown) with
// the size of MPI_COMM_WORLD. They differ when the launcher belongs to
// another MPI installation than the one the binary was built with: every
// process then starts as its own rank 0 of 1.
func checkWorldSize(launcher, world int, library string) error {
	if launcher == 0 || launcher == world {
		return nil
	}
	return fmt.Errorf("launch: the MPI launcher started %d processes, but MPI_COMM_WORLD has %d: "+
		"start this binary with the mpirun of the MPI it was built with (%s)", launcher, world, library)
}
