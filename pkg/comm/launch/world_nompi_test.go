//go:build !mpi

package launch

import (
	"strings"
	"testing"
)

func TestWorldWithoutMPI(t *testing.T) {
	if HasMPI() || MPILibrary() != "" {
		t.Fatalf("HasMPI %v, MPILibrary %q in a build without the mpi tag", HasMPI(), MPILibrary())
	}
	cases := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"not launched", nil, ""},
		{"slurm batch job", map[string]string{"SLURM_NTASKS": "4"}, ""},
		{"launched as the only process", map[string]string{"OMPI_COMM_WORLD_SIZE": "1"}, ""},
		{"launched as one of 3", map[string]string{"OMPI_COMM_WORLD_SIZE": "3"}, "MPI launcher started 3 processes, but this binary was built without MPI support"},
		{"launched, size unknown", map[string]string{"PMIX_RANK": "0"}, "started several processes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clearLauncherEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c, stop, err := World()
			if c != nil {
				t.Fatalf("World: communicator %v without MPI", c)
			}
			if tc.wantErr == "" {
				if err != nil || stop == nil {
					t.Fatalf("World: stop %v, %v; want a no-op stop and no error", stop != nil, err)
				}
				stop()
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "go build -tags mpi ./cmd/...") || !strings.Contains(err.Error(), "make build") {
				t.Fatalf("World: %v; want an error saying %q and how to rebuild", err, tc.wantErr)
			}
		})
	}
}
