package meta

import (
	"bufio"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Run is the metadata recorded with every run: what ran, where and when.
type Run struct {
	Tool       Tool              `json:"tool"`
	MPILibrary string            `json:"mpi_library,omitempty"`
	Host       string            `json:"host"`
	OS         string            `json:"os"`
	Arch       string            `json:"arch"`
	CPUModel   string            `json:"cpu_model,omitempty"`
	Cores      int               `json:"cores"`
	MemoryB    int64             `json:"memory_bytes,omitempty"`
	Slurm      map[string]string `json:"slurm,omitempty"`
	Started    time.Time         `json:"started"`
}

// Collect gathers the metadata of this process and machine; mpiLibrary is
// the MPI library's version string ("" without MPI).
func Collect(mpiLibrary string) Run {
	host, _ := os.Hostname()
	r := Run{Tool: ToolInfo(), MPILibrary: mpiLibrary, Host: host, OS: runtime.GOOS, Arch: runtime.GOARCH,
		Cores: runtime.NumCPU(), Started: time.Now().UTC()}
	r.CPUModel = cpuModel()
	r.MemoryB = memTotal()
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SLURM_") && slurmKeys[k] {
			if r.Slurm == nil {
				r.Slurm = map[string]string{}
			}
			r.Slurm[k] = v
		}
	}
	return r
}

// slurmKeys are the SLURM variables worth keeping with a result.
var slurmKeys = map[string]bool{
	"SLURM_JOB_ID": true, "SLURM_ARRAY_JOB_ID": true, "SLURM_ARRAY_TASK_ID": true, "SLURM_JOB_NAME": true,
	"SLURM_JOB_PARTITION": true, "SLURM_JOB_NODELIST": true, "SLURM_JOB_NUM_NODES": true, "SLURM_NTASKS": true,
	"SLURM_NTASKS_PER_NODE": true, "SLURM_CPUS_PER_TASK": true, "SLURM_CLUSTER_NAME": true, "SLURM_JOB_ACCOUNT": true,
}

// SlurmKeys lists the SLURM variables Collect keeps.
func SlurmKeys() []string {
	keys := make([]string, 0, len(slurmKeys))
	for k := range slurmKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}
