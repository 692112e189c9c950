package model

import (
	"fmt"
	"math"
)

func init() {
	register(&BuiltinSpec{
		Name: "topomap",
		Doc:  "Bamford, Murray & Willshaw (2010) topographic map (as GeNN and SpiNNaker reproduce it): a poisson_bump input layer and an iaf_cond_exp output layer of 16·scale × 16·scale on tori, gaussian-kernel feed-forward and lateral projections, additive STDP and bamford rewiring",
		Params: []BuiltinParam{
			{Name: "scale", Default: "1", Doc: "each layer is 16·scale × 16·scale neurons (16·scale a whole number ≥ 2)"},
			{Name: "rewiring", Default: "true", Choices: []string{"true", "false"}, Doc: "bamford rewiring every 1 ms on both projections"},
			{Name: "stdp", Default: "true", Choices: []string{"true", "false"}, Doc: "additive stdp_synapse on both projections (else static_synapse)"},
		},
		build: topomap,
	})
}

// Topographic map parameters (Bamford et al. 2010; the SpiNNaker
// reproduction of Bogdan et al. 2018 uses the same values).
const (
	topoSide = 16 // neurons per grid side at scale 1
	// gMaxRel is g_max in units of the leak conductance: Bamford's
	// membrane equation is τ_m dV/dt = V_rest − V + g_ex(E_ex − V) with
	// g_ex relative to the leak (as Song, Miller & Abbott 2000; SpiNNaker's
	// IF_cond_exp version takes c_m = 20 nF, so g_L = 1 µS and g_max =
	// 0.2 µS). With C_m = 200 pF and g_L = 10 nS (τ_m = 20 ms) it is 2 nS.
	gMaxRel   = 0.2
	topoCm    = 200.0 // pF
	topoGL    = 10.0  // nS
	topoAPlus = 0.02  // potentiation per pair, as a fraction of g_max
	topoB     = 1.2   // A−·τ− = B·A+·τ+
	tauPlus   = 20.0  // ms
	tauMinus  = 64.0  // ms
	// Elimination probabilities per rewiring attempt of a synapse below
	// and at or above g_max/2 (Bamford's p_elim_dep and p_elim_pot;
	// GeNN's reproduction multiplies both by 50, which is not followed).
	pElimDep = 0.0245
	pElimPot = 1.36e-4
	sMax     = 32 // Bamford's maximum in-degree
)

func topomap(v values) (*Model, error) {
	scale, err := v.positive("scale")
	if err != nil {
		return nil, err
	}
	side := topoSide * scale
	if side != math.Trunc(side) || side < 2 || side*side > MaxNeurons/2 {
		return nil, fmt.Errorf("scale: 16·scale must be a whole number of neurons per side ≥ 2, got %g", side)
	}
	n := int64(side)
	gMax := gMaxRel * topoGL // nS
	out := map[string]float64{"C_m": topoCm, "g_L": topoGL, "E_L": -70, "V_th": -54, "V_reset": -70, "t_ref": 5,
		"tau_syn_ex": 5, "tau_syn_in": 5, "E_ex": 0, "E_in": -80, "tau_minus": tauMinus}
	proj := func(name, src string, p, sigma float64) Projection {
		pr := Projection{Name: name, Source: src, Target: "output", Rule: PairwiseBernoulli,
			Kernel: &Kernel{Type: Gaussian, P: &p, Sigma: sigma}, AllowAutapses: boolPtr(false),
			Weight: Const(gMax), Delay: Const(1)}
		if v["stdp"] == "true" {
			// NEST's additive stdp_synapse (mu_plus = mu_minus = 0):
			// Δw = Wmax·lambda·K+ and −Wmax·alpha·lambda·K−, w ∈ [0, Wmax].
			pr.SynapseModel = "stdp_synapse"
			pr.SynapseParams = map[string]float64{"tau_plus": tauPlus, "lambda": topoAPlus,
				"alpha": topoB * tauPlus / tauMinus, "mu_plus": 0, "mu_minus": 0, "Wmax": gMax}
		}
		if v["rewiring"] == "true" {
			pr.Structural = &Structural{Rule: Bamford, Interval: 1, MaxIndegree: sMax, PForm: p, Sigma: sigma,
				PElimLow: pElimDep, PElimHigh: pElimPot, WThreshold: gMax / 2, FormWeight: gMax}
		}
		return pr
	}
	return &Model{
		Name:        "topomap",
		Description: fmt.Sprintf("Bamford et al. (2010) topographic map, %d×%d per layer, rewiring %s, stdp %s", n, n, v["rewiring"], v["stdp"]),
		Dt:          0.1,
		Populations: []Population{
			{Name: "input", Size: n * n, Neuron: PoissonBump, Grid: &Grid{Width: n},
				Params: map[string]float64{"rate": 5, "peak": 152.8, "sigma": 2, "period": 20}},
			{Name: "output", Size: n * n, Neuron: "iaf_cond_exp", Grid: &Grid{Width: n}, Params: out},
		},
		Projections: []Projection{proj("feedforward", "input", 0.16, 2.5), proj("lateral", "output", 1, 1)},
		Recorders:   []Recorder{{Type: "spike_recorder"}},
	}, nil
}
