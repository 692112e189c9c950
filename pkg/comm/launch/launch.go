// Package launch finds out how a command was started: by an MPI launcher
// (mpirun, srun with PMI/PMIx) or directly, and returns the matching
// communicator. Binaries built with the build tag mpi start MPI when a
// launcher started them; others refuse to run as one of several MPI
// processes, so a missing MPI build never silently runs R copies of rank 0.
package launch

import (
	"os"
	"strconv"
)

// UnderMPILauncher reports whether the process was started by an MPI
// launcher, and the number of processes it started. SLURM variables alone
// do not count: they are set in every batch job, MPI or not.
func UnderMPILauncher() (size int, ok bool) {
	for _, k := range []string{"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS", "MV2_COMM_WORLD_SIZE"} {
		if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
			return n, true
		}
	}
	// PMIx (srun --mpi=pmix) sets a rank and namespace but not always a size.
	if os.Getenv("PMIX_RANK") != "" && os.Getenv("PMIX_NAMESPACE") != "" {
		return 0, true
	}
	return 0, false
}
