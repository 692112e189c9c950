// Package neuron holds neuron dynamics with exact integration of the linear
// subthreshold equations (Rotter & Diesmann 1999), with NEST's semantics for
// iaf_psc_exp, iaf_psc_alpha and iaf_psc_delta: spikes on the grid, the
// membrane clamped at V_reset for t_ref while synaptic currents go on
// evolving, input arriving in a step taking effect from the next one.
//
// Membrane potentials are stored relative to E_L, as in NEST.
package neuron

import (
	"fmt"
	"math"
)

// State holds the state of a group of neurons, one slice element each.
// Currents are in pA, V in mV relative to E_L.
type State struct {
	V   []float64 // membrane potential − E_L
	IEx []float64 // excitatory synaptic current
	IIn []float64 // inhibitory synaptic current (negative)
	DEx []float64 // alpha synapses: derivative of the excitatory current
	DIn []float64 // alpha synapses: derivative of the inhibitory current
	Ref []int32   // remaining refractory steps
}

// NewState allocates the state of n neurons.
func NewState(n int) *State {
	return &State{V: make([]float64, n), IEx: make([]float64, n), IIn: make([]float64, n),
		DEx: make([]float64, n), DIn: make([]float64, n), Ref: make([]int32, n)}
}

// Input is what arrives at neurons [lo, hi) in one step, indexed like State:
// the summed excitatory and inhibitory weights (pA; mV for delta synapses,
// which use Ex only).
type Input struct {
	Ex, In []float64
}

// OneChannel reports whether model m responds to an input the same way
// whichever sign it has: delta synapses, or excitatory and inhibitory
// synapses with the same time constant. Such neurons take all their input
// summed in Input.Ex and leave Input.In unread, which halves the input
// rings the engine keeps for them.
func OneChannel(m Model) bool {
	o, ok := m.(interface{ oneChannel() bool })
	return ok && o.oneChannel()
}

// Model advances neurons of one population by one step.
type Model interface {
	// Step advances neurons lo..hi−1 by one step with the input that
	// arrived in this step and appends the indices of those that spiked.
	Step(s *State, lo, hi int, in Input, spiked []int32) []int32
	// EL returns the resting potential E_L in mV (states are relative to it).
	EL() float64
}

// New returns the model name with NEST parameters params (all present, as
// model.Resolve leaves them) for resolution dt (ms), plus a constant
// external current dc (pA) from dc_generators.
func New(name string, params map[string]float64, dt, dc float64) (Model, error) {
	get := func(k string) float64 { return params[k] }
	c := common{
		theta:    get("V_th") - get("E_L"),
		vReset:   get("V_reset") - get("E_L"),
		ie:       get("I_e") + dc,
		refSteps: int32(math.Round(get("t_ref") / dt)),
		el:       get("E_L"),
	}
	tauM, cM := get("tau_m"), get("C_m")
	switch name {
	case "iaf_psc_exp":
		tex, tin := get("tau_syn_ex"), get("tau_syn_in")
		p22 := math.Exp(-dt / tauM)
		return &Exp{common: c,
			p11ex: math.Exp(-dt / tex), p11in: math.Exp(-dt / tin), p22: p22,
			p21ex: propagator32(tex, tauM, cM, dt), p21in: propagator32(tin, tauM, cM, dt),
			p20: tauM / cM * (1 - p22), one: tex == tin}, nil
	case "iaf_psc_alpha":
		tex, tin := get("tau_syn_ex"), get("tau_syn_in")
		a := &Alpha{common: c,
			p11ex: math.Exp(-dt / tex), p11in: math.Exp(-dt / tin),
			p31ex: propagator31(tex, tauM, cM, dt), p32ex: propagator32(tex, tauM, cM, dt),
			p31in: propagator31(tin, tauM, cM, dt), p32in: propagator32(tin, tauM, cM, dt),
			epscInit: math.E / tex, ipscInit: math.E / tin,
			expm1TauM: math.Expm1(-dt / tauM), p30: -tauM / cM * math.Expm1(-dt/tauM)}
		a.p21ex, a.p21in = dt*a.p11ex, dt*a.p11in
		a.one = tex == tin
		return a, nil
	case "iaf_psc_delta":
		return &Delta{common: c, p33: math.Exp(-dt / tauM), p30: -tauM / cM * math.Expm1(-dt/tauM)}, nil
	case "iaf_cond_exp":
		return newCondExp(c, params, dt), nil
	}
	return nil, fmt.Errorf("neuron model %q is not implemented (accepted: iaf_cond_exp, iaf_psc_alpha, iaf_psc_delta, iaf_psc_exp)", name)
}

type common struct {
	theta, vReset, ie, el float64
	refSteps              int32
}

// EL is the resting potential in mV.
func (c *common) EL() float64 { return c.el }

// Exp is iaf_psc_exp.
type Exp struct {
	common
	p11ex, p11in, p22, p21ex, p21in, p20 float64
	one                                  bool // tau_syn_ex = tau_syn_in
}

func (m *Exp) oneChannel() bool { return m.one }

// Step advances iaf_psc_exp neurons by one step.
func (m *Exp) Step(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	if m.one {
		return m.stepOne(s, lo, hi, in, spiked)
	}
	v, iex, iin, ref := s.V[lo:hi], s.IEx[lo:hi], s.IIn[lo:hi], s.Ref[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	drive := m.ie * m.p20
	for i := range v {
		if ref[i] == 0 {
			v[i] = v[i]*m.p22 + drive + iex[i]*m.p21ex + iin[i]*m.p21in
		} else {
			ref[i]--
		}
		iex[i] = iex[i]*m.p11ex + ex[i]
		iin[i] = iin[i]*m.p11in + inh[i]
		if v[i] >= m.theta {
			ref[i] = m.refSteps
			v[i] = m.vReset
			spiked = append(spiked, int32(lo+i))
		}
	}
	return spiked
}

// stepOneGo is stepOne in Go.
func (m *Exp) stepOneGo(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	v, iex, ref := s.V[lo:hi], s.IEx[lo:hi], s.Ref[lo:hi]
	ex := in.Ex[lo:hi]
	ex, iex, ref = ex[:len(v)], iex[:len(v)], ref[:len(v)]
	// Locals, so that the loop does not reload them after every store.
	drive, p22, p21, p11, theta := m.ie*m.p20, m.p22, m.p21ex, m.p11ex, m.theta
	for i := range v {
		vi := v[i]
		if r := ref[i]; r == 0 {
			vi = vi*p22 + drive + iex[i]*p21
		} else {
			ref[i] = r - 1
		}
		iex[i] = iex[i]*p11 + ex[i]
		if vi >= theta {
			ref[i] = m.refSteps
			vi = m.vReset
			spiked = append(spiked, int32(lo+i))
		}
		v[i] = vi
	}
	return spiked
}

// Alpha is iaf_psc_alpha.
type Alpha struct {
	common
	p11ex, p11in, p21ex, p21in, p31ex, p32ex, p31in, p32in float64
	epscInit, ipscInit, expm1TauM, p30                     float64
	one                                                    bool // tau_syn_ex = tau_syn_in
}

func (m *Alpha) oneChannel() bool { return m.one }

// Step advances iaf_psc_alpha neurons by one step.
func (m *Alpha) Step(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	v, iex, iin, dex, din, ref := s.V[lo:hi], s.IEx[lo:hi], s.IIn[lo:hi], s.DEx[lo:hi], s.DIn[lo:hi], s.Ref[lo:hi]
	ex, inh := in.Ex[lo:hi], in.In[lo:hi]
	drive := m.p30 * m.ie
	for i := range v {
		if ref[i] == 0 {
			v[i] = drive + m.p31ex*dex[i] + m.p32ex*iex[i] + m.p31in*din[i] + m.p32in*iin[i] + m.expm1TauM*v[i] + v[i]
		} else {
			ref[i]--
		}
		iex[i] = m.p21ex*dex[i] + m.p11ex*iex[i]
		dex[i] = dex[i]*m.p11ex + m.epscInit*ex[i]
		iin[i] = m.p21in*din[i] + m.p11in*iin[i]
		din[i] = din[i]*m.p11in + m.ipscInit*inh[i]
		if v[i] >= m.theta {
			ref[i] = m.refSteps
			v[i] = m.vReset
			spiked = append(spiked, int32(lo+i))
		}
	}
	return spiked
}

// Delta is iaf_psc_delta: a spike of weight w moves V_m by w mV; input
// arriving during the refractory period is lost.
type Delta struct {
	common
	p33, p30 float64
}

func (m *Delta) oneChannel() bool { return true }

// Step advances iaf_psc_delta neurons by one step.
func (m *Delta) Step(s *State, lo, hi int, in Input, spiked []int32) []int32 {
	v, ref := s.V[lo:hi], s.Ref[lo:hi]
	ex := in.Ex[lo:hi]
	drive := m.p30 * m.ie
	for i := range v {
		if ref[i] == 0 {
			v[i] = drive + m.p33*v[i] + ex[i]
		} else {
			ref[i]--
		}
		if v[i] >= m.theta {
			ref[i] = m.refSteps
			v[i] = m.vReset
			spiked = append(spiked, int32(lo+i))
		}
	}
	return spiked
}

// propagator31 and propagator32 are the propagator elements from the
// synaptic current (and its derivative) to the membrane potential, with
// NEST's switch to the singular form when tau_m and tau_syn (nearly) coincide.
func propagator31(tauSyn, tau, c, h float64) float64 {
	p31Linear := 1 / (3 * c * tau * tau) * h * h * h * (tauSyn - tau) * math.Exp(-h/tau)
	p31 := 1 / c * (math.Exp(-h/tauSyn)*math.Expm1(-h/tau+h/tauSyn)/(tau/tauSyn-1)*tau - h*math.Exp(-h/tauSyn)) / (-1 - -tau/tauSyn) * tau
	p31Singular := h * h / 2 / c * math.Exp(-h/tau)
	if tau == tauSyn || (math.Abs(tau-tauSyn) < 0.1 && math.Abs(p31-p31Singular) > 2*math.Abs(p31Linear)) {
		return p31Singular
	}
	return p31
}

func propagator32(tauSyn, tau, c, h float64) float64 {
	p32Linear := 1 / (2 * c * tau * tau) * h * h * (tauSyn - tau) * math.Exp(-h/tau)
	p32Singular := h / c * math.Exp(-h/tau)
	p32 := -tau / (c * (1 - tau/tauSyn)) * math.Exp(-h/tauSyn) * math.Expm1(h*(1/tauSyn-1/tau))
	if tau == tauSyn || (math.Abs(tau-tauSyn) < 0.1 && math.Abs(p32-p32Singular) > 2*math.Abs(p32Linear)) {
		return p32Singular
	}
	return p32
}
