package sim

import (
	"math"
	"reflect"
	"testing"

	"github.com/snnkit/snnkit/pkg/results"
)

// TestTopomapInvariance: the topomap model (poisson_bump input, STDP and
// bamford rewiring on both projections) runs 200 ms bitwise identically —
// spikes, plastic weights and synapse counts — for 1, 2 and 3 ranks × 1
// and 2 threads × both exchange modes; without rewiring and STDP too.
func TestTopomapInvariance(t *testing.T) {
	for _, tc := range []struct {
		name string
		sets []string
	}{
		{"rewiring_stdp", nil},
		{"static", []string{"rewiring=false", "stdp=false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := builtin(t, "topomap", tc.sets...)
			var ref *results.Result
			for _, ranks := range []int{1, 2, 3} {
				net := buildNet(t, m, 11, ranks)
				for _, threads := range []int{1, 2} {
					for _, mode := range CommModes {
						if ranks == 1 && mode == CommP2P {
							continue
						}
						res := runNet(t, net, ranks, threads, mode, 0, 200)
						if ref == nil {
							ref = res
							checkTopomapRun(t, res, tc.sets == nil)
							continue
						}
						if res.SpikeDigest != ref.SpikeDigest || res.Spikes != ref.Spikes {
							t.Fatalf("%d ranks × %d threads %s: %d spikes %s, want %d %s", ranks, threads, mode, res.Spikes, res.SpikeDigest, ref.Spikes, ref.SpikeDigest)
						}
						if !reflect.DeepEqual(res.Plastic, ref.Plastic) || !reflect.DeepEqual(res.Structural, ref.Structural) {
							t.Fatalf("%d ranks × %d threads %s: plastic %+v structural %+v, want %+v %+v", ranks, threads, mode, res.Plastic, res.Structural, ref.Plastic, ref.Structural)
						}
					}
				}
			}
		})
	}
}

// checkTopomapRun checks the first run's figures: the input layer fires
// at Bamford's mean rate (5 + 152.8·Σexp(−d²/8)/256 ≈ 20 Hz), the output
// layer fires, and with plasticity synapses form and the weights spread
// below g_max = 2 nS (eliminations are rare in 200 ms).
func checkTopomapRun(t *testing.T, res *results.Result, plastic bool) {
	t.Helper()
	if len(res.Rates) != 2 || math.Abs(res.Rates[0].Rate-20) > 3 || res.Rates[1].Spikes == 0 {
		t.Fatalf("rates %+v: want the input near 20 Hz and output spikes", res.Rates)
	}
	t.Logf("%d spikes, rates %+v, plastic %+v, structural %+v", res.Spikes, res.Rates, res.Plastic, res.Structural)
	if !plastic {
		if len(res.Plastic) != 0 || len(res.Structural) != 0 {
			t.Fatalf("static model: plastic %+v structural %+v", res.Plastic, res.Structural)
		}
		return
	}
	if len(res.Plastic) != 2 || len(res.Structural) != 2 {
		t.Fatalf("plastic %+v structural %+v: want both projections", res.Plastic, res.Structural)
	}
	for i, s := range res.Structural {
		if s.Formed == 0 || res.Plastic[i].MinWeight >= res.Plastic[i].MaxWeight || res.Plastic[i].MaxWeight > 2 {
			t.Fatalf("%s: %+v, weights %+v: want formations and weights spread in [0, 2] nS", s.Projection, s, res.Plastic[i])
		}
	}
}
