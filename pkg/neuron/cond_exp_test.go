package neuron

import (
	"math"
	"math/rand/v2"
	"testing"
)

// condExp returns an iaf_cond_exp model with NEST's defaults overridden by
// set, for resolution h, and with the control's absolute tolerance eps
// (0: NEST's 1e-3).
func condExp(t *testing.T, set map[string]float64, h, eps float64) *CondExp {
	t.Helper()
	m, err := New("iaf_cond_exp", params("iaf_cond_exp", set), h, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := m.(*CondExp)
	if eps > 0 {
		c.epsAbs = eps
	}
	return c
}

// condRef is the membrane potential (relative to E_L) of the subthreshold
// linear equation C dV/dt = −g_L V − g_ex(t)(V−e_ex) − g_in(t)(V−e_in) + I
// with g_ex = gex0·exp(−t/tau_ex), g_in = gin0·exp(−t/tau_in), at times
// h, 2h, …, n·h: the integrating-factor solution
// V(t) = exp(−A(t))·V0 + ∫ b(s)·exp(−(A(t)−A(s))) ds with A in closed form
// and the integral by composite Simpson on 2000 panels per step.
func condRef(c *CondExp, v0, gex0, gin0, h float64, n int) []float64 {
	gex := func(s float64) float64 { return gex0 * math.Exp(-s/c.tauEx) }
	gin := func(s float64) float64 { return gin0 * math.Exp(-s/c.tauIn) }
	A := func(s float64) float64 {
		return (c.gL*s - gex0*c.tauEx*math.Expm1(-s/c.tauEx) - gin0*c.tauIn*math.Expm1(-s/c.tauIn)) / c.cm
	}
	b := func(s float64) float64 { return (gex(s)*c.eEx + gin(s)*c.eIn + c.ie) / c.cm }
	const panels = 2000
	out := make([]float64, n)
	v := v0
	for k := 0; k < n; k++ {
		t0, t1 := float64(k)*h, float64(k+1)*h
		a1 := A(t1)
		f := func(s float64) float64 { return b(s) * math.Exp(-(a1 - A(s))) }
		q := h / panels
		sum := f(t0) + f(t1)
		for j := 1; j < panels; j++ {
			w := 2.0
			if j%2 == 1 {
				w = 4
			}
			sum += w * f(t0+float64(j)*q)
		}
		v = math.Exp(-(a1-A(t0)))*v + sum*q/3
		out[k] = v
	}
	return out
}

// TestCondExpSubthreshold compares single-neuron traces with closed forms
// and with an accurate reference: with NEST's tolerance and, to check the
// integrator itself, with a tight one.
func TestCondExpSubthreshold(t *testing.T) {
	cases := []struct {
		name string
		set  map[string]float64
		eps  float64 // control tolerance (0: NEST's)
		v0   float64 // V_m − E_L at t = 0
		w    float64 // nS arriving in step 0: g jumps by |w| at t = dt
		tol  float64 // mV
	}{
		{"relax from above", nil, 0, 10, 0, 1e-9},
		{"relax from below", nil, 0, -12, 0, 1e-9},
		{"relax, tau_m 5 ms", map[string]float64{"g_L": 50}, 0, 14, 0, 1e-9},
		// NEST's absolute tolerance of 1e-3 (on the fourth-order error
		// estimate, while the fifth-order solution is kept) bounds the
		// error of fast (0.2 ms), strong transients to ~1e-4 mV.
		{"excitatory kick", nil, 0, 0, 20, 5e-5},
		{"excitatory kick, depolarised", nil, 0, 8, 40, 2e-5},
		{"large inhibitory kick", nil, 0, 10, -2000, 5e-4},
		{"excitatory kick, slow synapse", map[string]float64{"tau_syn_ex": 2}, 0, 0, 5, 1e-6},
		{"inhibitory kick", nil, 0, 10, -20, 1e-6},
		// The integrator itself converges to the reference.
		{"excitatory kick, tight tolerance", nil, 1e-12, 0, 20, 1e-10},
		{"inhibitory kick, tight tolerance", nil, 1e-12, 10, -2000, 1e-10},
		{"depolarised kick, tight tolerance", nil, 1e-12, 8, 40, 1e-10},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := condExp(t, tc.set, dt, tc.eps)
			tauM := c.cm / c.gL
			s := NewState(1)
			s.V[0] = tc.v0
			ex, in := []float64{0}, []float64{0}
			const n = 300
			var got []float64
			for k := 0; k < n; k++ {
				ex[0], in[0] = 0, 0
				if k == 0 {
					if tc.w > 0 {
						ex[0] = tc.w
					} else {
						in[0] = tc.w
					}
				}
				if sp := c.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) > 0 {
					t.Fatalf("spiked at step %d", k)
				}
				got = append(got, s.V[0])
			}
			// Step 0 is pure relaxation; the conductance acts from t = dt.
			v1 := tc.v0 * math.Exp(-dt/tauM)
			var gex, gin float64
			if tc.w > 0 {
				gex = tc.w
			} else {
				gin = -tc.w
			}
			ref := append([]float64{v1}, condRef(c, v1, gex, gin, dt, n-1)...)
			worst := 0.0
			for k, v := range got {
				want := ref[k]
				if tc.w == 0 {
					want = tc.v0 * math.Exp(-float64(k+1)*dt/tauM)
				}
				if e := math.Abs(v - want); e > worst {
					worst = e
				}
				if math.Abs(v-want) > tc.tol {
					t.Fatalf("step %d: V %.12g, reference %.12g (|error| > %g mV)", k, v, want, tc.tol)
				}
			}
			t.Logf("largest |error| %.3g mV", worst)
		})
	}
}

// TestCondExpRegularFiring: a constant current above rheobase g_L·(V_th−E_L)
// gives regular firing with ISI t_ref + tau_m·ln((V∞−V_reset)/(V∞−V_th)),
// V∞ = I_e/g_L, up to one step of grid quantisation; below rheobase the
// neuron stays silent and settles at V∞.
func TestCondExpRegularFiring(t *testing.T) {
	cases := []struct {
		name string
		set  map[string]float64
		h    float64
		dc   float64 // pA from a dc_generator, added to I_e
	}{
		{"I_e 400 pA", map[string]float64{"I_e": 400}, 0.1, 0},
		{"I_e 1000 pA", map[string]float64{"I_e": 1000}, 0.1, 0},
		{"just above rheobase", map[string]float64{"I_e": 260}, 0.1, 0},
		{"dc_generator, dt 0.05", nil, 0.05, 500},
		{"t_ref 0.5, C_m 100", map[string]float64{"I_e": 600, "t_ref": 0.5, "C_m": 100}, 0.1, 0},
		{"below rheobase", map[string]float64{"I_e": 240}, 0.1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New("iaf_cond_exp", params("iaf_cond_exp", tc.set), tc.h, tc.dc)
			if err != nil {
				t.Fatal(err)
			}
			c := m.(*CondExp)
			vInf, tauM := c.ie/c.gL, c.cm/c.gL
			s := NewState(1)
			zero := []float64{0}
			var spikes []int
			steps := int(math.Round(300 / tc.h))
			for k := 0; k < steps; k++ {
				if sp := c.Step(s, 0, 1, Input{Ex: zero, In: zero}, nil); len(sp) > 0 {
					spikes = append(spikes, k)
				}
			}
			if vInf < c.theta {
				if len(spikes) > 0 || math.Abs(s.V[0]-vInf) > 1e-6 {
					t.Fatalf("below rheobase: %d spikes, V %g, want none and V → %g", len(spikes), s.V[0], vInf)
				}
				return
			}
			want := float64(c.refSteps)*tc.h + tauM*math.Log((vInf-c.vReset)/(vInf-c.theta))
			if len(spikes) < 3 {
				t.Fatalf("%d spikes in 300 ms, want regular firing with ISI %g ms", len(spikes), want)
			}
			for j := 2; j < len(spikes); j++ {
				isi := float64(spikes[j]-spikes[j-1]) * tc.h
				if isi < want-1e-9 || isi > want+tc.h {
					t.Fatalf("ISI %d: %g ms, analytic %g ms (grid: up to one step longer)", j, isi, want)
				}
				if spikes[j]-spikes[j-1] != spikes[2]-spikes[1] {
					t.Fatalf("irregular ISIs: spikes at steps %v", spikes)
				}
			}
		})
	}
}

// TestCondExpRefractoriness: after a spike V is held at V_reset for t_ref
// whatever arrives, while the conductances go on decaying and summing input,
// which then acts.
func TestCondExpRefractoriness(t *testing.T) {
	cases := []struct {
		name   string
		t_ref  float64
		ex, in float64 // input during the refractory period
	}{
		{"excitation", 2, 50, 0},
		{"inhibition", 2, 0, -50},
		{"short t_ref", 0.3, 50, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := condExp(t, map[string]float64{"t_ref": tc.t_ref}, dt, 0)
			s := NewState(1)
			s.V[0] = c.theta + 1 // spikes in the first step
			ex, in := []float64{0}, []float64{0}
			if sp := c.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) != 1 || s.V[0] != c.vReset {
				t.Fatalf("first step: spikes %v, V %g; want one spike and V_reset", sp, s.V[0])
			}
			refSteps := int(math.Round(tc.t_ref / dt))
			for k := 0; k < refSteps; k++ {
				gex, gin := s.IEx[0], s.IIn[0]
				ex[0], in[0] = tc.ex, tc.in
				if sp := c.Step(s, 0, 1, Input{Ex: ex, In: in}, nil); len(sp) != 0 || s.V[0] != c.vReset {
					t.Fatalf("refractory step %d: spikes %v, V %g, want V_reset %g", k, sp, s.V[0], c.vReset)
				}
				// The conductances decay (to NEST's tolerance) and sum the input.
				wantEx := gex*math.Exp(-dt/c.tauEx) + tc.ex
				wantIn := gin*math.Exp(-dt/c.tauIn) - tc.in
				if math.Abs(s.IEx[0]-wantEx) > 1e-3 || math.Abs(s.IIn[0]-wantIn) > 1e-3 {
					t.Fatalf("refractory step %d: g_ex %g, g_in %g; want %g, %g", k, s.IEx[0], s.IIn[0], wantEx, wantIn)
				}
			}
			ex[0], in[0] = 0, 0
			c.Step(s, 0, 1, Input{Ex: ex, In: in}, nil)
			if tc.ex > 0 && !(s.V[0] > c.vReset) || tc.in < 0 && !(s.V[0] < c.vReset) {
				t.Fatalf("conductance from the refractory period must act afterwards: V %g, V_reset %g", s.V[0], c.vReset)
			}
		})
	}
}

// TestCondExpInhibitionBound: inhibition pulls V towards E_in and never
// below it, however strong.
func TestCondExpInhibitionBound(t *testing.T) {
	cases := []struct {
		name  string
		v0    float64 // V_m − E_L
		w     float64 // nS per step
		steps int     // steps with input
		near  float64 // V must come this close to E_in (mV)
	}{
		{"one moderate kick", 0, -50, 1, 12},
		{"one huge kick", 10, -1e5, 1, 0.01},
		{"sustained strong", 0, -200, 200, 0.1},
		{"sustained huge", -10, -1e4, 100, 0.01},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := condExp(t, nil, dt, 0)
			s := NewState(1)
			s.V[0] = tc.v0
			ex, in := []float64{0}, []float64{0}
			lowest := math.Inf(1)
			for k := 0; k < tc.steps+1500; k++ {
				in[0] = 0
				if k < tc.steps {
					in[0] = tc.w
				}
				c.Step(s, 0, 1, Input{Ex: ex, In: in}, nil)
				if s.V[0] < c.eIn {
					t.Fatalf("step %d: V %.12g below E_in %g", k, s.V[0]+c.el, c.eIn+c.el)
				}
				lowest = min(lowest, s.V[0])
			}
			if lowest-c.eIn > tc.near {
				t.Fatalf("lowest V %g mV, want within %g mV of E_in %g", lowest+c.el, tc.near, c.eIn+c.el)
			}
			if math.Abs(s.V[0]) > 1 {
				t.Fatalf("V %g mV 150 ms after the input, want back near E_L", s.V[0]+c.el)
			}
		})
	}
}

// TestCondExpDeterminism: two runs, and runs that split the neurons into
// different ranges per call (as threads and ranks do), agree bitwise.
func TestCondExpDeterminism(t *testing.T) {
	const n, steps = 40, 2000
	c := condExp(t, map[string]float64{"I_e": 300}, dt, 0)
	run := func(splits []int) (*State, []int32) {
		rng := rand.New(rand.NewPCG(1, 2))
		s := NewState(n)
		for i := range s.V {
			s.V[i] = rng.Float64()*20 - 5
		}
		ex, in := make([]float64, n), make([]float64, n)
		var spikes []int32
		for k := 0; k < steps; k++ {
			for i := range ex {
				ex[i], in[i] = 0, 0
				if rng.IntN(10) == 0 {
					ex[i] = 3 * rng.Float64()
				}
				if rng.IntN(20) == 0 {
					in[i] = -8 * rng.Float64()
				}
			}
			lo := 0
			for _, hi := range append(splits, n) {
				spikes = c.Step(s, lo, hi, Input{Ex: ex, In: in}, spikes)
				lo = hi
			}
		}
		return s, spikes
	}
	ref, refSpikes := run(nil)
	if len(refSpikes) < n {
		t.Fatalf("only %d spikes: the test needs firing", len(refSpikes))
	}
	for _, splits := range [][]int{nil, {1}, {13, 14, 30}, {20}} {
		s, spikes := run(splits)
		if len(spikes) != len(refSpikes) {
			t.Fatalf("splits %v: %d spikes, want %d", splits, len(spikes), len(refSpikes))
		}
		for j := range spikes {
			if spikes[j] != refSpikes[j] {
				t.Fatalf("splits %v: spike %d is neuron %d, want %d", splits, j, spikes[j], refSpikes[j])
			}
		}
		for name, pair := range map[string][2][]float64{"V": {s.V, ref.V}, "g_ex": {s.IEx, ref.IEx}, "g_in": {s.IIn, ref.IIn}, "h": {s.DEx, ref.DEx}} {
			for i := range pair[0] {
				if math.Float64bits(pair[0][i]) != math.Float64bits(pair[1][i]) {
					t.Fatalf("splits %v: %s of neuron %d is %v, want %v", splits, name, i, pair[0][i], pair[1][i])
				}
			}
		}
	}
}

// TestCondExpStepSize: the adaptive step grows when nothing happens (at
// most 5× per step, GSL's limit), shrinks below dt for a fast, strong
// conductance transient, and is carried from step to step.
func TestCondExpStepSize(t *testing.T) {
	c := condExp(t, nil, dt, 0)
	s := NewState(1)
	zero, ex := []float64{0}, []float64{0}
	c.Step(s, 0, 1, Input{Ex: zero, In: zero}, nil)
	if s.DEx[0] != 5*dt {
		t.Fatalf("at rest the step size grows to 5·dt, got %g", s.DEx[0])
	}
	ex[0] = 500
	c.Step(s, 0, 1, Input{Ex: ex, In: zero}, nil)
	c.Step(s, 0, 1, Input{Ex: zero, In: zero}, nil)
	if !(s.DEx[0] < dt) {
		t.Fatalf("a 500 nS conductance with tau 0.2 ms needs steps below dt, got %g", s.DEx[0])
	}
}

// TestCondExpHadjust pins GSL's standard control (cstd.c) for rkf45
// (order 5) with eps_abs 1e-3, eps_rel 0: decrease by 0.9·rmax^(−1/5) but
// at most 5×, increase by 0.9·rmax^(−1/6) up to 5× and never below 1×,
// keep the step for 0.5 ≤ rmax ≤ 1.1.
func TestCondExpHadjust(t *testing.T) {
	c := condExp(t, nil, dt, 0)
	cases := []struct {
		rmax  float64 // largest |yerr|/eps_abs, put on g_in
		adj   int
		scale float64
	}{
		{32, hadjDec, 0.45},
		{1e6, hadjDec, 0.2},
		{1.2, hadjDec, 0.9 / math.Pow(1.2, 0.2)},
		{1.1, hadjNil, 1},
		{0.5, hadjNil, 1},
		{1.0 / 64, hadjInc, 1.8},
		{0.49, hadjInc, 0.9 / math.Pow(0.49, 1.0/6)},
		{1e-9, hadjInc, 5},
		{0, hadjInc, 5},
	}
	for _, tc := range cases {
		y := [3]float64{-3, 40, 7} // relative tolerance 0: y does not matter
		yerr := [3]float64{0.1 * tc.rmax * 1e-3, -0.5 * tc.rmax * 1e-3, -tc.rmax * 1e-3}
		adj, h := c.hadjust(&y, &yerr, 0.04)
		if adj != tc.adj || math.Abs(h-tc.scale*0.04) > 1e-15 {
			t.Errorf("rmax %g: adjustment %d, h %.17g; want %d, %.17g", tc.rmax, adj, h, tc.adj, tc.scale*0.04)
		}
	}
}
