package neuron

import (
	"math"
	"slices"
	"testing"

	"github.com/snnkit/snnkit/pkg/model"
)

const dt = 0.1

func params(name string, set map[string]float64) map[string]float64 {
	p := map[string]float64{}
	for _, s := range model.Neurons[name].Params {
		p[s.Name] = s.Default
	}
	for k, v := range set {
		p[k] = v
	}
	return p
}

// trace feeds one input of weight w at step 0 to a single neuron at rest
// and returns V − E_L after each of n steps; negative weights go to the
// inhibitory channel unless the model takes one channel (as the engine
// does).
func trace(t *testing.T, m Model, w float64, n int) []float64 {
	t.Helper()
	s := NewState(1)
	ex, in := []float64{0}, []float64{0}
	out := make([]float64, n)
	for k := 0; k < n; k++ {
		ex[0], in[0] = 0, 0
		if k == 0 {
			if w >= 0 || OneChannel(m) {
				ex[0] = w
			} else {
				in[0] = w
			}
		}
		if sp := m.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) > 0 {
			t.Fatalf("spiked at step %d", k)
		}
		out[k] = s.V[0]
	}
	return out
}

// pspExp and pspAlpha are the closed-form PSPs (mV) of a current of
// amplitude w (pA) starting at t = 0.
func pspExp(w, tauM, tauS, c, t float64) float64 {
	return w / c * tauS * tauM / (tauM - tauS) * (math.Exp(-t/tauM) - math.Exp(-t/tauS))
}

func pspAlpha(w, tauM, tauS, c, t float64) float64 {
	b := 1/tauS - 1/tauM
	return w * math.E / (tauS * c * b * b) * (math.Exp(-t/tauM) - math.Exp(-t/tauS)*(1+b*t))
}

func TestPSPMatchesClosedForm(t *testing.T) {
	mc := params("iaf_psc_exp", map[string]float64{"tau_m": 10, "tau_syn_ex": 0.5, "tau_syn_in": 0.5, "C_m": 250, "E_L": -65, "V_th": -50, "V_reset": -65})
	hpc := params("iaf_psc_alpha", map[string]float64{"tau_m": 10, "tau_syn_ex": 0.32582722403722841, "tau_syn_in": 0.32582722403722841, "C_m": 250, "E_L": 0, "V_th": 20, "V_reset": 0})
	cases := []struct {
		name   string
		neuron string
		p      map[string]float64
		w      float64 // pA
		peak   float64 // mV, the published peak of this weight
		psp    func(t float64) float64
	}{
		{"microcircuit exc", "iaf_psc_exp", mc, 0.15 * model.PSCOverPSPExp(10, 0.5, 250), 0.15,
			func(t float64) float64 { return pspExp(0.15*model.PSCOverPSPExp(10, 0.5, 250), 10, 0.5, 250, t) }},
		{"microcircuit inh", "iaf_psc_exp", mc, -4 * 0.15 * model.PSCOverPSPExp(10, 0.5, 250), -0.6,
			func(t float64) float64 { return pspExp(-0.6*model.PSCOverPSPExp(10, 0.5, 250), 10, 0.5, 250, t) }},
		{"hpc_benchmark exc", "iaf_psc_alpha", hpc, 0.14 * model.PSCOverPSPAlpha(10, 0.32582722403722841, 250), 0.14,
			func(t float64) float64 {
				return pspAlpha(0.14*model.PSCOverPSPAlpha(10, 0.32582722403722841, 250), 10, 0.32582722403722841, 250, t)
			}},
		{"hpc_benchmark inh", "iaf_psc_alpha", hpc, -5 * 0.14 * model.PSCOverPSPAlpha(10, 0.32582722403722841, 250), -0.7,
			func(t float64) float64 {
				return pspAlpha(-0.7*model.PSCOverPSPAlpha(10, 0.32582722403722841, 250), 10, 0.32582722403722841, 250, t)
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.neuron, tc.p, dt, 0)
			if err != nil {
				t.Fatal(err)
			}
			v := trace(t, m, tc.w, 400)
			// Input arriving in step 0 acts from step 1: after step k the
			// membrane has integrated the current for k·dt.
			for k, got := range v {
				if want := tc.psp(float64(k) * dt); math.Abs(got-want) > 1e-9*math.Abs(tc.peak) {
					t.Fatalf("step %d: V %.12g, closed form %.12g", k, got, want)
				}
			}
			// The continuous peak of the closed form is the published figure.
			peak := 0.0
			for x := 0.0; x < 40; x += 1e-4 {
				if p := tc.psp(x); math.Abs(p) > math.Abs(peak) {
					peak = p
				}
			}
			if math.Abs(peak-tc.peak) > 1e-6*math.Abs(tc.peak) {
				t.Fatalf("peak PSP %.9g mV, want %g", peak, tc.peak)
			}
		})
	}
}

func TestDeltaPSP(t *testing.T) {
	m, err := New("iaf_psc_delta", params("iaf_psc_delta", map[string]float64{"tau_m": 20, "E_L": 0, "V_th": 20, "V_reset": 10}), dt, 0)
	if err != nil {
		t.Fatal(err)
	}
	v := trace(t, m, 0.1, 100)
	for k, x := range v {
		if want := 0.1 * math.Exp(-float64(k)*dt/20); math.Abs(x-want) > 1e-15 {
			t.Fatalf("step %d: V %g, want %g", k, x, want)
		}
	}
}

// TestRefractoriness: after a spike the membrane stays at V_reset for t_ref
// (input to it is dropped for delta neurons, kept in the currents for
// current-based ones) and the neuron cannot spike again.
func TestRefractoriness(t *testing.T) {
	for _, name := range []string{"iaf_psc_exp", "iaf_psc_alpha", "iaf_psc_delta"} {
		t.Run(name, func(t *testing.T) {
			p := params(name, map[string]float64{"E_L": 0, "V_th": 20, "V_reset": 10, "t_ref": 2})
			m, err := New(name, p, dt, 0)
			if err != nil {
				t.Fatal(err)
			}
			s := NewState(1)
			s.V[0] = 25 // above threshold: spikes in the first step
			ex, in := []float64{0}, []float64{0}
			if sp := m.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) != 1 || s.V[0] != 10 {
				t.Fatalf("first step: spikes %v, V %g; want one spike and V_reset", sp, s.V[0])
			}
			// 20 refractory steps: V stays at V_reset whatever arrives.
			for k := 0; k < 20; k++ {
				ex[0] = 1000
				if sp := m.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) != 0 || s.V[0] != 10 {
					t.Fatalf("refractory step %d: spikes %v, V %g", k, sp, s.V[0])
				}
			}
			ex[0] = 0
			m.Step(s, 0, 1, Input{Ex: ex, In: in}, nil)
			if name == "iaf_psc_delta" {
				if s.V[0] >= 10 {
					t.Fatalf("input during refractoriness must be dropped: V %g after it", s.V[0])
				}
			} else if s.V[0] <= 10 {
				t.Fatalf("current that arrived during refractoriness must act afterwards: V %g", s.V[0])
			}
		})
	}
}

// TestDCResponse: a constant current drives V towards R·I = tau_m/C_m·I exactly.
func TestDCResponse(t *testing.T) {
	for _, name := range []string{"iaf_psc_exp", "iaf_psc_alpha", "iaf_psc_delta"} {
		p := params(name, map[string]float64{"E_L": 0, "V_th": 1e9, "V_reset": 0, "tau_m": 10, "C_m": 250})
		m, err := New(name, p, dt, 100)
		if err != nil {
			t.Fatal(err)
		}
		s := NewState(1)
		zero := []float64{0}
		for k := 1; k <= 500; k++ {
			m.Step(s, 0, 1, Input{Ex: zero, In: zero}, nil)
			want := 10.0 / 250 * 100 * (1 - math.Exp(-float64(k)*dt/10))
			if math.Abs(s.V[0]-want) > 1e-9 {
				t.Fatalf("%s step %d: V %.12g, want %.12g", name, k, s.V[0], want)
			}
		}
	}
}

func TestSingularPropagators(t *testing.T) {
	// tau_syn = tau_m: the singular forms, still the exact solution.
	p := params("iaf_psc_exp", map[string]float64{"E_L": 0, "V_th": 20, "tau_m": 5, "tau_syn_ex": 5, "C_m": 100})
	m, _ := New("iaf_psc_exp", p, dt, 0)
	v := trace(t, m, 10, 200)
	for k := 1; k < len(v); k++ {
		tt := float64(k) * dt
		want := 10 / 100.0 * tt * math.Exp(-tt/5)
		if math.Abs(v[k]-want) > 1e-9 {
			t.Fatalf("step %d: V %g, want %g", k, v[k], want)
		}
	}
}

func TestOneChannel(t *testing.T) {
	cases := []struct {
		neuron string
		set    map[string]float64
		one    bool
	}{
		{"iaf_psc_exp", map[string]float64{"tau_syn_ex": 0.5, "tau_syn_in": 0.5}, true},
		{"iaf_psc_exp", map[string]float64{"tau_syn_ex": 0.5, "tau_syn_in": 2}, false},
		{"iaf_psc_alpha", map[string]float64{"tau_syn_ex": 0.3, "tau_syn_in": 0.3}, true},
		{"iaf_psc_alpha", map[string]float64{"tau_syn_ex": 0.3, "tau_syn_in": 0.5}, false},
		{"iaf_psc_delta", nil, true},
		{"iaf_cond_exp", nil, false},
	}
	for _, tc := range cases {
		m, err := New(tc.neuron, params(tc.neuron, tc.set), dt, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := OneChannel(m); got != tc.one {
			t.Errorf("%s %v: OneChannel %v, want %v", tc.neuron, tc.set, got, tc.one)
		}
	}
}

// TestOneChannelExpMatchesTwo checks that iaf_psc_exp with one channel
// follows the same trace as with two, for mixed excitatory and inhibitory
// input, to rounding.
func TestOneChannelExpMatchesTwo(t *testing.T) {
	m, err := New("iaf_psc_exp", params("iaf_psc_exp", map[string]float64{"tau_syn_ex": 0.5, "tau_syn_in": 0.5, "I_e": 300}), dt, 0)
	if err != nil {
		t.Fatal(err)
	}
	one := m.(*Exp)
	two := *one
	two.one = false
	s1, s2 := NewState(1), NewState(1)
	spikes := 0
	for k := 0; k < 5000; k++ {
		ex, in := float64(k%7)*60, -float64(k%5)*40
		sp1 := one.Step(s1, 0, 1, Input{Ex: []float64{ex + in}, In: []float64{0}}, nil)
		sp2 := two.Step(s2, 0, 1, Input{Ex: []float64{ex}, In: []float64{in}}, nil)
		if len(sp1) != len(sp2) || math.Abs(s1.V[0]-s2.V[0]) > 1e-9 {
			t.Fatalf("step %d: one channel V %.12g spikes %d, two channels V %.12g spikes %d", k, s1.V[0], len(sp1), s2.V[0], len(sp2))
		}
		spikes += len(sp1)
	}
	if spikes < 10 {
		t.Fatalf("%d spikes: the test input should make the neuron fire", spikes)
	}
}

// BenchmarkExpStep is one step of 40,000 iaf_psc_exp neurons with the
// microcircuit's parameters (one input channel) and input that keeps them
// firing at a few Hz.
func BenchmarkExpStep(b *testing.B) {
	const n = 40000
	m, err := New("iaf_psc_exp", params("iaf_psc_exp", map[string]float64{"tau_syn_ex": 0.5, "tau_syn_in": 0.5, "E_L": -65, "V_th": -50, "V_reset": -65, "I_e": 340}), dt, 0)
	if err != nil {
		b.Fatal(err)
	}
	s := NewState(n)
	ex, in := make([]float64, n), make([]float64, n)
	x := uint32(1)
	for i := range ex {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		ex[i] = float64(x%200) - 100
		s.V[i] = float64(x % 15)
	}
	var spiked []int32
	b.ResetTimer()
	for k := 0; k < b.N; k++ {
		spiked = m.Step(s, 0, n, Input{Ex: ex, In: in}, spiked[:0])
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/neuron")
}

// TestExpOneAsmMatchesGo runs iaf_psc_exp's one-channel step (the AVX2
// loop where there is one) and its Go loop side by side on ranges of
// several lengths and offsets, with input that makes neurons fire and go
// refractory: states and spikes must be equal bit for bit.
func TestExpOneAsmMatchesGo(t *testing.T) {
	if !haveExpAsm {
		t.Skip("no vector loop on this machine: stepOne is stepOneGo")
	}
	m, err := New("iaf_psc_exp", params("iaf_psc_exp", map[string]float64{"tau_syn_ex": 0.5, "tau_syn_in": 0.5, "I_e": 300}), dt, 0)
	if err != nil {
		t.Fatal(err)
	}
	e := m.(*Exp)
	const n = 203
	a, b := NewState(n), NewState(n)
	ex := make([]float64, n)
	x := uint32(3)
	next := func() uint32 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return x
	}
	for i := range a.V {
		a.V[i] = float64(next()%1500) / 100
		b.V[i] = a.V[i]
	}
	spikes := 0
	for k := 0; k < 3000; k++ {
		for i := range ex {
			ex[i] = float64(next()%4001)/10 - 150
		}
		lo, hi := int(next()%7), n-int(next()%6)
		sa := e.stepOne(a, lo, hi, Input{Ex: ex}, nil)
		sb := e.stepOneGo(b, lo, hi, Input{Ex: ex}, nil)
		if !slices.Equal(sa, sb) {
			t.Fatalf("step %d [%d, %d): spikes %v, Go loop %v", k, lo, hi, sa, sb)
		}
		for i := range a.V {
			if math.Float64bits(a.V[i]) != math.Float64bits(b.V[i]) || math.Float64bits(a.IEx[i]) != math.Float64bits(b.IEx[i]) || a.Ref[i] != b.Ref[i] {
				t.Fatalf("step %d neuron %d: V %v I %v ref %d, Go loop V %v I %v ref %d", k, i, a.V[i], a.IEx[i], a.Ref[i], b.V[i], b.IEx[i], b.Ref[i])
			}
		}
		spikes += len(sa)
	}
	if spikes < 1000 {
		t.Fatalf("%d spikes: the test input should make neurons fire", spikes)
	}
}
