package launch

import (
	"strings"
	"testing"
)

// clearLauncherEnv unsets (for the test) every variable the detection reads,
// including those of an mpirun that runs this test binary.
func clearLauncherEnv(t *testing.T) {
	for _, k := range append(launcherVars, "SLURM_NTASKS", "SLURM_PROCID", "SLURM_JOB_ID", "SLURM_STEP_ID", "PMIX_NAMESPACE") {
		t.Setenv(k, "")
	}
}

func TestUnderMPILauncher(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		size int
		ok   bool
	}{
		{"plain", nil, 0, false},
		{"slurm batch job", map[string]string{"SLURM_JOB_ID": "42", "SLURM_NTASKS": "4", "SLURM_PROCID": "0"}, 0, false},
		{"srun without mpi", map[string]string{"SLURM_JOB_ID": "42", "SLURM_STEP_ID": "0", "SLURM_STEP_NUM_TASKS": "4", "SLURM_PROCID": "2"}, 0, false},
		{"open mpi mpirun", map[string]string{"OMPI_COMM_WORLD_SIZE": "3", "PMIX_RANK": "1"}, 3, true},
		{"open mpi single", map[string]string{"OMPI_COMM_WORLD_SIZE": "1"}, 1, true},
		{"hydra", map[string]string{"PMI_SIZE": "2", "PMI_RANK": "0", "PMI_FD": "7", "MPI_LOCALNRANKS": "2"}, 2, true},
		{"srun pmi2", map[string]string{"PMI_SIZE": "8", "PMI_RANK": "5", "SLURM_NTASKS": "8"}, 8, true},
		{"pmi without size", map[string]string{"PMI_RANK": "0", "PMI_FD": "5"}, 0, true},
		{"pmi rank, bad size", map[string]string{"PMI_RANK": "3", "PMI_SIZE": "many"}, 0, true},
		{"mvapich mpirun_rsh", map[string]string{"MV2_COMM_WORLD_SIZE": "16"}, 16, true},
		{"hydra local ranks only", map[string]string{"MPI_LOCALNRANKS": "4"}, 0, true},
		{"srun pmix", map[string]string{"PMIX_RANK": "1", "PMIX_NAMESPACE": "slurm.pmix.7.0", "SLURM_STEP_NUM_TASKS": "4", "SLURM_NTASKS": "16"}, 4, true},
		{"pmix without size", map[string]string{"PMIX_RANK": "0", "PMIX_NAMESPACE": "prterun-host-1@1"}, 0, true},
		{"pmix rank 0 of 1", map[string]string{"PMIX_RANK": "0", "SLURM_STEP_NUM_TASKS": "1"}, 1, true},
		{"garbage size", map[string]string{"OMPI_COMM_WORLD_SIZE": "x"}, 0, false},
		{"zero size", map[string]string{"PMI_SIZE": "0"}, 0, false},
		{"negative rank", map[string]string{"PMIX_RANK": "-1"}, 0, false},
		{"garbage size, then a good one", map[string]string{"OMPI_COMM_WORLD_SIZE": "x", "PMI_SIZE": "3"}, 3, true},
		{"empty values", map[string]string{"OMPI_COMM_WORLD_SIZE": "", "PMIX_RANK": "", "PMI_RANK": ""}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearLauncherEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			size, ok := UnderMPILauncher()
			if size != tc.size || ok != tc.ok {
				t.Fatalf("got (%d, %v), want (%d, %v)", size, ok, tc.size, tc.ok)
			}
		})
	}
}

func TestCheckWorldSize(t *testing.T) {
	for _, tc := range []struct{ launcher, world int }{{0, 1}, {0, 4}, {1, 1}, {3, 3}} {
		if err := checkWorldSize(tc.launcher, tc.world, "Open MPI v4"); err != nil {
			t.Errorf("launcher %d, world %d: %v", tc.launcher, tc.world, err)
		}
	}
	err := checkWorldSize(3, 1, "Open MPI v4.1.4")
	if err == nil || !strings.Contains(err.Error(), "started 3 processes, but MPI_COMM_WORLD has 1") || !strings.Contains(err.Error(), "Open MPI v4.1.4") {
		t.Errorf("launcher 3, world 1: %v", err)
	}
}
