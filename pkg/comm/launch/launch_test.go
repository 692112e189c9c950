package launch

import "testing"

func TestUnderMPILauncher(t *testing.T) {
	vars := []string{"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "MPI_LOCALNRANKS", "MV2_COMM_WORLD_SIZE", "PMIX_RANK", "PMIX_NAMESPACE", "SLURM_NTASKS", "SLURM_PROCID"}
	cases := []struct {
		name string
		env  map[string]string
		size int
		ok   bool
	}{
		{"plain", nil, 0, false},
		{"slurm batch without MPI", map[string]string{"SLURM_NTASKS": "4", "SLURM_PROCID": "0"}, 0, false},
		{"mpirun", map[string]string{"OMPI_COMM_WORLD_SIZE": "3"}, 3, true},
		{"pmi", map[string]string{"PMI_SIZE": "2"}, 2, true},
		{"pmix without size", map[string]string{"PMIX_RANK": "1", "PMIX_NAMESPACE": "slurm.pmix.7.0"}, 0, true},
		{"garbage", map[string]string{"OMPI_COMM_WORLD_SIZE": "x"}, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range vars {
				t.Setenv(v, "")
			}
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
