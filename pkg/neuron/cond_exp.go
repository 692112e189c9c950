package neuron

import "math"

// CondExp is iaf_cond_exp (Meffin et al. 2004, NEST's iaf_cond_exp): a leaky
// integrate-and-fire neuron with exponentially decaying excitatory and
// inhibitory conductances,
//
//	C_m dV/dt  = −g_L(V−E_L) − g_ex(V−E_ex) − g_in(V−E_in) + I_e
//	dg_ex/dt   = −g_ex/tau_syn_ex,  dg_in/dt = −g_in/tau_syn_in,
//
// integrated per neuron and step as NEST does: GSL's embedded
// Runge–Kutta–Fehlberg 4(5) (gsl_odeiv_step_rkf45) under the standard
// control on y with absolute tolerance 1e-3 and relative 0
// (gsl_odeiv_control_y_new(1e-3, 0)), driven by gsl_odeiv_evolve_apply
// over [0, dt] starting with the step size the neuron's previous step ended
// with. While refractory dV/dt is 0 and V is held at V_reset; outside, the
// right-hand side sees V bounded by V_th. Input arriving in a step adds to
// the conductances after that step's integration (w nS to g_ex for w > 0,
// |w| to g_in for w < 0), so it takes effect from the next step.
//
// The state lives in State: V (relative to E_L), IEx = g_ex and IIn = g_in
// (nS, g_in ≥ 0), DEx = the adaptive step size in ms (0: none yet, start
// with dt as NEST does). Each neuron is integrated on its own, so results do
// not depend on how neurons are split among ranks and threads.
type CondExp struct {
	common
	dt       float64
	gL, cm   float64 // nS, pF
	eEx, eIn float64 // reversal potentials relative to E_L, mV
	tauEx    float64 // ms
	tauIn    float64 // ms
	epsAbs   float64 // control: absolute tolerance
	epsRel   float64 // control: relative tolerance (on y)
}

// NEST's iaf_cond_exp tolerances (init_buffers_: gsl_odeiv_control_y_new(1e-3, 0.0)).
const (
	condExpEpsAbs = 1e-3
	condExpEpsRel = 0
)

func newCondExp(c common, params map[string]float64, dt float64) *CondExp {
	el := params["E_L"]
	return &CondExp{common: c, dt: dt,
		gL: params["g_L"], cm: params["C_m"],
		eEx: params["E_ex"] - el, eIn: params["E_in"] - el,
		tauEx: params["tau_syn_ex"], tauIn: params["tau_syn_in"],
		epsAbs: condExpEpsAbs, epsRel: condExpEpsRel}
}

// Step advances iaf_cond_exp neurons by one step.
func (m *CondExp) Step(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	v, gex, gin, hs, ref := s.V[lo:hi], s.IEx[lo:hi], s.IIn[lo:hi], s.DEx[lo:hi], s.Ref[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	for i := range v {
		y := [3]float64{v[i], gex[i], gin[i]}
		h := hs[i]
		if !(h > 0) {
			h = m.dt // NEST: IntegrationStep_ = resolution
		}
		refractory := ref[i] > 0
		// As NEST's update: evolve_apply until the whole step is covered.
		for t := 0.0; t < m.dt; {
			t = m.evolve(&y, t, &h, refractory)
		}
		hs[i] = h
		gex[i] = y[1] + ex[i]
		gin[i] = y[2] - inh[i] // inh is the (negative) sum of inhibitory weights
		switch {
		case refractory:
			ref[i]--
			v[i] = m.vReset
		case y[0] >= m.theta:
			ref[i] = m.refSteps
			v[i] = m.vReset
			spiked = append(spiked, int32(lo+i))
		default:
			v[i] = y[0]
		}
	}
	return spiked
}

// deriv is iaf_cond_exp_dynamics: the right-hand side at y.
func (m *CondExp) deriv(y *[3]float64, refractory bool) [3]float64 {
	var f [3]float64
	if !refractory {
		v := min(y[0], m.theta)
		iSynEx := y[1] * (v - m.eEx)
		iSynIn := y[2] * (v - m.eIn)
		iL := m.gL * v
		f[0] = (-iL + m.ie - iSynEx - iSynIn) / m.cm
	}
	f[1] = -y[1] / m.tauEx
	f[2] = -y[2] / m.tauIn
	return f
}

// Runge–Kutta–Fehlberg 4(5) coefficients as in GSL's ode-initval/rkf45.c.
const (
	rkfA0, rkfA1, rkfA2, rkfA3, rkfA4 = 1.0 / 4.0, 3.0 / 8.0, 12.0 / 13.0, 1.0, 1.0 / 2.0

	rkfB30, rkfB31 = 3.0 / 32.0, 9.0 / 32.0

	rkfB40, rkfB41, rkfB42 = 1932.0 / 2197.0, -7200.0 / 2197.0, 7296.0 / 2197.0

	rkfB50, rkfB51, rkfB52, rkfB53 = 8341.0 / 4104.0, -32832.0 / 4104.0, 29440.0 / 4104.0, -845.0 / 4104.0

	rkfB60, rkfB61, rkfB62, rkfB63, rkfB64 = -6080.0 / 20520.0, 41040.0 / 20520.0, -28352.0 / 20520.0, 9295.0 / 20520.0, -5643.0 / 20520.0

	// Fifth-order weights: the solution GSL propagates.
	rkfC1, rkfC3, rkfC4, rkfC5, rkfC6 = 902880.0 / 7618050.0, 3953664.0 / 7618050.0, 3855735.0 / 7618050.0, -1371249.0 / 7618050.0, 277020.0 / 7618050.0

	// Fifth minus fourth order weights: the error estimate.
	rkfE1, rkfE3, rkfE4, rkfE5, rkfE6 = 1.0 / 360.0, -128.0 / 4275.0, -2197.0 / 75240.0, 1.0 / 50.0, 2.0 / 55.0

	rkfOrder = 5 // gsl_odeiv_step_order of rkf45
)

// rkf45 is rkf45_apply: one step of size h from y with k1 = f(y); it
// returns the fifth-order solution and the error estimate.
func (m *CondExp) rkf45(y, k1 *[3]float64, h float64, refractory bool) (out, yerr [3]float64) {
	var tmp [3]float64
	for i := range tmp {
		tmp[i] = y[i] + rkfA0*h*k1[i]
	}
	k2 := m.deriv(&tmp, refractory)
	for i := range tmp {
		tmp[i] = y[i] + h*(rkfB30*k1[i]+rkfB31*k2[i])
	}
	k3 := m.deriv(&tmp, refractory)
	for i := range tmp {
		tmp[i] = y[i] + h*(rkfB40*k1[i]+rkfB41*k2[i]+rkfB42*k3[i])
	}
	k4 := m.deriv(&tmp, refractory)
	for i := range tmp {
		tmp[i] = y[i] + h*(rkfB50*k1[i]+rkfB51*k2[i]+rkfB52*k3[i]+rkfB53*k4[i])
	}
	k5 := m.deriv(&tmp, refractory)
	for i := range tmp {
		tmp[i] = y[i] + h*(rkfB60*k1[i]+rkfB61*k2[i]+rkfB62*k3[i]+rkfB63*k4[i]+rkfB64*k5[i])
	}
	k6 := m.deriv(&tmp, refractory)
	for i := range out {
		d := rkfC1*k1[i] + rkfC3*k3[i] + rkfC4*k4[i] + rkfC5*k5[i] + rkfC6*k6[i]
		out[i] = y[i] + h*d
		yerr[i] = h * (rkfE1*k1[i] + rkfE3*k3[i] + rkfE4*k4[i] + rkfE5*k5[i] + rkfE6*k6[i])
	}
	return out, yerr
}

// Results of hadjust, as GSL's GSL_ODEIV_HADJ_*.
const (
	hadjDec = -1
	hadjNil = 0
	hadjInc = 1
)

// hadjust is GSL's standard control (ode-initval/cstd.c) with a_y = 1,
// a_dydt = 0: it returns the adjustment and the new step size.
func (m *CondExp) hadjust(y, yerr *[3]float64, hOld float64) (int, float64) {
	const safety = 0.9
	rmax := 0x1p-1022 // DBL_MIN
	for i := range y {
		d0 := m.epsRel*math.Abs(y[i]) + m.epsAbs
		if r := math.Abs(yerr[i]) / math.Abs(d0); r > rmax {
			rmax = r
		}
	}
	switch {
	case rmax > 1.1:
		// Decrease, by no more than a factor of 5, a fraction more than the
		// scaling suggests.
		r := safety / math.Pow(rmax, 1.0/rkfOrder)
		if r < 0.2 {
			r = 0.2
		}
		return hadjDec, r * hOld
	case rmax < 0.5:
		// Increase by no more than a factor of 5, never decrease.
		r := safety / math.Pow(rmax, 1.0/(rkfOrder+1.0))
		if r > 5 {
			r = 5
		}
		if r < 1 {
			r = 1
		}
		return hadjInc, r * hOld
	}
	return hadjNil, hOld
}

// evolve is gsl_odeiv_evolve_apply from t0 towards t1 = dt: one accepted
// step (after as many retries with smaller steps as the control asks for),
// updating y and the suggested step size *h; it returns the new time.
func (m *CondExp) evolve(y *[3]float64, t0 float64, h *float64, refractory bool) float64 {
	t1 := m.dt
	dt := t1 - t0
	h0 := *h
	k1 := m.deriv(y, refractory) // dydt_in: rkf45 can use it
	for {
		final := false
		if h0 >= dt {
			h0, final = dt, true
			// t0 + (t1 − t0) may exceed t1 in floating point: back off.
			for t0+h0 > t1 {
				h0 = math.Nextafter(h0, 0)
			}
		}
		out, yerr := m.rkf45(y, &k1, h0, refractory)
		t := t0 + h0
		if final {
			t = t1
		}
		hOld := h0
		adj, hNew := m.hadjust(&out, &yerr, h0)
		h0 = hNew
		if adj == hadjDec {
			// Retry with the smaller step if it really is smaller and still
			// moves t by at least one ulp; else keep the step.
			if math.Abs(h0) < math.Abs(hOld) && t+h0 != t {
				continue
			}
			h0 = hOld
		}
		*y, *h = out, h0
		return t
	}
}
