package build

import (
	"math"
	"testing"
)

// TestKernelRankInvariance builds the example with gaussian-kernel
// projections on 16×16 tori on 1, 2 and 3 ranks: the union of the
// partitions is the same network, with the expected synapse counts and
// no autapses where they are off; the manifest keeps the kernels.
func TestKernelRankInvariance(t *testing.T) {
	m := fromFile(t, "../../examples/grid_kernel.yaml")
	var ref string
	for _, ranks := range []int{1, 2, 3} {
		threads := 1 + ranks%2
		n := load(t, buildDir(t, m, 5, ranks, threads))
		n.checkSendMaps(t)
		if d := n.digest(); ranks == 1 {
			ref = d
		} else if d != ref {
			t.Fatalf("%d ranks × %d threads: network %s differs from 1 rank's %s", ranks, threads, d[:12], ref[:12])
		}
		if k := n.man.Model.Projections[0].Kernel; k == nil || k.Sigma != 2.5 || *k.P != 0.16 {
			t.Fatalf("manifest model: ff kernel %+v", k)
		}
		count := make([]float64, len(m.Projections))
		for _, s := range n.synapses {
			count[s.proj]++
			if pr := m.Projections[s.proj]; !pr.Autapses() && s.source == s.target {
				t.Fatalf("%s: autapse on %d", pr.Name, s.source)
			}
		}
		// Expected counts: 256 targets × Σ over the 256 torus offsets of
		// P·exp(−d²/(2σ²)), less the autapse (d = 0, P = 1) for lateral.
		for i, pr := range m.Projections {
			var mean, variance float64
			for dx := -8; dx < 8; dx++ {
				for dy := -8; dy < 8; dy++ {
					q := *pr.Kernel.P * math.Exp(-float64(dx*dx+dy*dy)/(2*pr.Kernel.Sigma*pr.Kernel.Sigma))
					if dx == 0 && dy == 0 && !pr.Autapses() {
						q = 0
					}
					mean, variance = mean+256*q, variance+256*q*(1-q)
				}
			}
			if math.Abs(count[i]-mean) > 4*math.Sqrt(variance) {
				t.Errorf("%s: %g synapses, want %.1f ± %.1f (4 sd)", pr.Name, count[i], mean, 4*math.Sqrt(variance))
			}
		}
	}
}
