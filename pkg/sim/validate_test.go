package sim

import (
	"math"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/netfile"
)

// spikesOf simulates a one-rank network and returns every recorded spike.
func spikesOf(t *testing.T, net string, presim, tsim float64) ([]Spike, *netfile.Manifest) {
	t.Helper()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := comm.NewInProc(1)
	e, err := New(net, man, cs[0], Config{TPresim: presim, TSim: tsim, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Run(); err != nil {
		t.Fatal(err)
	}
	return e.recorded, man
}

// regime returns the mean CV of the inter-spike intervals (neurons with at
// least 3 spikes after from) and the synchrony of the population: the
// variance over mean of the spike count in 1 ms bins (≈ 1 for independent
// neurons, ≫ 1 when the population oscillates), and the mean rate.
func regime(spikes []Spike, n int, from uint32, steps uint32, dt float64) (cv, sync, rate float64) {
	byNeuron := map[uint32][]uint32{}
	binSteps := uint32(math.Round(1 / dt))
	bins := make([]float64, steps/binSteps+1)
	var count int
	for _, s := range spikes {
		if s.Step < from {
			continue
		}
		count++
		byNeuron[s.GID] = append(byNeuron[s.GID], s.Step)
		bins[(s.Step-from)/binSteps]++
	}
	var cvs []float64
	for _, st := range byNeuron {
		if len(st) < 3 {
			continue
		}
		var m, m2 float64
		for i := 1; i < len(st); i++ {
			isi := float64(st[i] - st[i-1])
			m += isi
			m2 += isi * isi
		}
		k := float64(len(st) - 1)
		m /= k
		cvs = append(cvs, math.Sqrt(m2/k-m*m)/m)
	}
	for _, c := range cvs {
		cv += c / float64(len(cvs))
	}
	var bm, bv float64
	for _, b := range bins {
		bm += b / float64(len(bins))
	}
	for _, b := range bins {
		bv += (b - bm) * (b - bm) / float64(len(bins))
	}
	return cv, bv / bm, float64(count) / float64(n) / (float64(steps) * dt / 1000)
}

// TestBrunelRegimes checks Brunel (2000) model A (N = 10,000, in-degree
// 800 + 200, J = 0.1 mV, D = 1.5 ms) in three points of its phase diagram:
//   - g = 3, eta = 2 is synchronous regular: neurons fire almost
//     periodically near saturation;
//   - g = 6, eta = 4 is irregular: mean CV of the ISIs above 0.5;
//   - g = 5, eta = 2: the peer simulator Brian2 2.5.1 on the same network
//     (../shared/peers/brunel.py standalone 1 delta 1 sorted) gives a mean
//     rate of 42.0 Hz and a mean CV of 0.34 over 1 s; we must agree.
//
// The synchrony index (variance over mean of the 1 ms population count) is
// logged for information: it is large in all three points at this N.
func TestBrunelRegimes(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates three 10,000-neuron networks")
	}
	for _, tc := range []struct {
		g, eta         string
		cvLo, cvHi     float64
		rateLo, rateHi float64
	}{
		{"3", "2", 0, 0.2, 200, 500},
		{"6", "4", 0.5, 2, 0, 1000},
		{"5", "2", 0.29, 0.39, 42.0 * 0.95, 42.0 * 1.05},
	} {
		net := buildNet(t, builtin(t, "brunel", "N=10000", "g="+tc.g, "eta="+tc.eta), 1, 1)
		spikes, man := spikesOf(t, net, 0, 1000)
		cv, sync, rate := regime(spikes, int(man.Neurons), 0, 10000, man.Dt)
		t.Logf("g=%s eta=%s: rate %.1f Hz, mean CV(ISI) %.2f, synchrony %.1f", tc.g, tc.eta, rate, cv, sync)
		if cv < tc.cvLo || cv > tc.cvHi || rate < tc.rateLo || rate > tc.rateHi {
			t.Errorf("g=%s eta=%s: rate %.1f Hz and CV %.2f, want rate in [%g, %g] and CV in [%g, %g]",
				tc.g, tc.eta, rate, cv, tc.rateLo, tc.rateHi, tc.cvLo, tc.cvHi)
		}
	}
}
