package model

import (
	"fmt"
	"math"
)

func init() {
	register(&BuiltinSpec{
		Name: "hpc_benchmark",
		Doc:  "NEST's balanced random network benchmark: iaf_psc_alpha, 11250·scale neurons, in-degree 11250 (126.6 M synapses at scale 1)",
		Params: []BuiltinParam{
			{Name: "scale", Default: "1", Doc: "N_E = 9000·scale, N_I = 2250·scale; in-degrees stay 9000 and 2250"},
			{Name: "plastic", Default: "false", Choices: []string{"false", "true"}, Doc: "E→E synapses use stdp_pl_synapse_hom"},
		},
		build: hpcBenchmark,
	})
	register(&BuiltinSpec{
		Name: "microcircuit",
		Doc:  "Potjans & Diesmann (2014) cortical microcircuit: 8 populations, iaf_psc_exp, 77,169 neurons and ~0.3 G synapses at full scale",
		Params: []BuiltinParam{
			{Name: "N_scaling", Default: "1", Doc: "scales the neuron counts"},
			{Name: "K_scaling", Default: "1", Doc: "scales the in-degrees; weights ÷ √K_scaling and a compensating DC current keep the mean input"},
			{Name: "input", Default: "poisson", Choices: []string{"poisson", "dc"}, Doc: "background input: Poisson at 8 Hz × K_ext, or the equivalent DC current"},
		},
		build: microcircuit,
	})
	register(&BuiltinSpec{
		Name: "brunel",
		Doc:  "Brunel (2000) sparse network, model A: 80 % excitatory, in-degree 10 %, fixed in-degree without multapses",
		Params: []BuiltinParam{
			{Name: "N", Default: "10000", Doc: "number of neurons (N_E = 0.8 N, N_I = 0.2 N; in-degrees C_E = 0.1 N_E, C_I = 0.1 N_I)"},
			{Name: "g", Default: "5", Doc: "relative strength of inhibition"},
			{Name: "eta", Default: "2", Doc: "external rate relative to the threshold rate nu_thr = V_th / (J C_E tau_m)"},
			{Name: "J", Default: "0.1", Doc: "excitatory PSP amplitude in mV"},
			{Name: "synapse", Default: "delta", Choices: []string{"delta", "exp"}, Doc: "delta: iaf_psc_delta; exp: iaf_psc_exp, tau_syn 0.5 ms, same charge per spike"},
		},
		build: brunel,
	})
}

func boolPtr(b bool) *bool { return &b }

// hpcBenchmark follows NEST's hpc_benchmark.py.
func hpcBenchmark(v values) (*Model, error) {
	scale, err := v.positive("scale")
	if err != nil {
		return nil, err
	}
	nE, nI := int64(9000*scale), int64(2250*scale)
	if nE < 1 || nI < 1 {
		return nil, fmt.Errorf("scale %g gives %d excitatory and %d inhibitory neurons: need at least one of each", scale, nE, nI)
	}
	const (
		kE, kI   = 9000, 2250
		tauSyn   = 0.32582722403722841
		cM, tauM = 250.0, 10.0
		jEmV     = 0.14
		g        = -5.0
		eta      = 1.685
		delay    = 1.5
		vTh      = 20.0
	)
	jE := jEmV * PSCOverPSPAlpha(tauM, tauSyn, cM)
	nuTh := vTh / (kE * tauM / cM * jE * math.E * tauSyn)
	rate := eta * nuTh * kE * 1000
	params := map[string]float64{"E_L": 0, "C_m": cM, "tau_m": tauM, "t_ref": 0.5, "V_th": vTh, "V_reset": 0,
		"tau_syn_ex": tauSyn, "tau_syn_in": tauSyn, "tau_minus": 30}
	initial := map[string]Dist{"V_m": NormalDist(5.7, 7.2)}
	pop := func(name string, n int64) Population {
		return Population{Name: name, Size: n, Neuron: "iaf_psc_alpha", Params: clone(params), Initial: clone(initial)}
	}
	proj := func(src, tgt string, k int64, w float64) Projection {
		return Projection{Source: src, Target: tgt, Rule: FixedIndegree, Indegree: k,
			AllowAutapses: boolPtr(false), AllowMultapses: boolPtr(true), Weight: Const(w), Delay: Const(delay)}
	}
	ee := proj("E", "E", kE, jE)
	if v["plastic"] == "true" {
		ee.SynapseModel = "stdp_pl_synapse_hom"
		ee.SynapseParams = map[string]float64{"alpha": 0.0513, "lambda": 0.1, "mu": 0.4, "tau_plus": 15}
	}
	return &Model{
		Name:        "hpc_benchmark",
		Description: fmt.Sprintf("NEST hpc_benchmark, scale %g, plastic %s", scale, v["plastic"]),
		Dt:          0.1,
		Populations: []Population{pop("E", nE), pop("I", nI)},
		Projections: []Projection{ee, proj("E", "I", kE, jE), proj("I", "E", kI, g*jE), proj("I", "I", kI, g*jE)},
		Stimuli: []Stimulus{{Name: "poisson", Type: PoissonGenerator, Targets: []string{"E", "I"},
			Rate: rate, Weight: jE, Delay: delay}},
		Recorders: []Recorder{{Type: "spike_recorder"}},
	}, nil
}

func clone[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Potjans & Diesmann (2014), as in NEST's microcircuit example.
var (
	mcPops      = []string{"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"}
	mcFullN     = []float64{20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948}
	mcVmMean    = []float64{-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43}
	mcVmSD      = []float64{5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48}
	mcKExt      = []float64{1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100}
	mcFullRates = []float64{0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851}
	// mcConnProbs[target][source]
	mcConnProbs = [][]float64{
		{0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0},
		{0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0},
		{0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0},
		{0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0},
		{0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0},
		{0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0},
		{0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
		{0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443},
	}
)

// MicrocircuitFullSynapses returns the full-scale synapse count of each
// (target, source) pair: ln(1−p) / ln((N_pre·N_post − 1)/(N_pre·N_post)).
func MicrocircuitFullSynapses() [][]float64 {
	out := make([][]float64, 8)
	for t := range out {
		out[t] = make([]float64, 8)
		for s := range out[t] {
			prod := mcFullN[t] * mcFullN[s]
			out[t][s] = math.Log(1-mcConnProbs[t][s]) / math.Log((prod-1)/prod)
		}
	}
	return out
}

func microcircuit(v values) (*Model, error) {
	nScaling, err := v.positive("N_scaling")
	if err != nil {
		return nil, err
	}
	kScaling, err := v.positive("K_scaling")
	if err != nil {
		return nil, err
	}
	poisson := v["input"] == "poisson"
	const (
		cM, tauM, tauSyn = 250.0, 10.0, 0.5
		pspExc           = 0.15
		g                = -4.0
		bgRate           = 8.0
		dExc, dInh       = 1.5, 0.75
		delayRelSD       = 0.5
		weightRelSD      = 0.1
		delayPoisson     = 1.5
		dt               = 0.1
	)
	full := MicrocircuitFullSynapses()
	pscExt := pspExc * PSCOverPSPExp(tauM, tauSyn, cM)
	// Mean PSC of each (target, source) pair at full scale.
	psc := make([][]float64, 8)
	for t := range psc {
		psc[t] = make([]float64, 8)
		for s := range psc[t] {
			w := pscExt
			if s%2 == 1 {
				w *= g
			}
			if t == 0 && s == 2 { // L4E → L2/3E doubled
				w *= 2
			}
			psc[t][s] = w
		}
	}
	dc := make([]float64, 8)
	if !poisson {
		for i := range dc {
			dc[i] = 0.001 * bgRate * mcKExt[i] * pscExt * tauSyn
		}
	}
	wScale := 1.0
	if kScaling != 1 {
		wScale = 1 / math.Sqrt(kScaling)
		for t := range dc {
			inRec := 0.0
			for s := range psc[t] {
				inRec += psc[t][s] * full[t][s] / mcFullN[t] * mcFullRates[s]
			}
			dc[t] += 0.001 * tauSyn * (1 - math.Sqrt(kScaling)) * inRec
			if poisson {
				dc[t] += 0.001 * tauSyn * (1 - math.Sqrt(kScaling)) * pscExt * mcKExt[t] * bgRate
			}
		}
	}
	m := &Model{
		Name:        "microcircuit",
		Description: fmt.Sprintf("Potjans & Diesmann (2014) microcircuit, N_scaling %g, K_scaling %g, %s input", nScaling, kScaling, v["input"]),
		Dt:          dt,
		Recorders:   []Recorder{{Type: "spike_recorder"}},
	}
	params := map[string]float64{"C_m": cM, "tau_m": tauM, "tau_syn_ex": tauSyn, "tau_syn_in": tauSyn,
		"t_ref": 2, "E_L": -65, "V_th": -50, "V_reset": -65}
	sizes := make([]int64, 8)
	for i, name := range mcPops {
		sizes[i] = int64(math.Round(mcFullN[i] * nScaling))
		if sizes[i] < 1 {
			return nil, fmt.Errorf("N_scaling %g leaves population %s empty: use N_scaling ≥ %g", nScaling, name, 0.5/mcFullN[i])
		}
		m.Populations = append(m.Populations, Population{Name: name, Size: sizes[i], Neuron: "iaf_psc_exp", Params: clone(params),
			Initial: map[string]Dist{"V_m": NormalDist(mcVmMean[i], mcVmSD[i])}})
	}
	for t := range mcPops {
		for s := range mcPops {
			n := int64(math.Round(full[t][s] * nScaling * kScaling))
			if n == 0 {
				continue
			}
			w := psc[t][s] * wScale
			weight := NormalDist(w, weightRelSD*math.Abs(w))
			if w >= 0 {
				weight = weight.Bounded(0, math.Inf(1))
			} else {
				weight = weight.Bounded(math.Inf(-1), 0)
			}
			d := dExc
			if s%2 == 1 {
				d = dInh
			}
			m.Projections = append(m.Projections, Projection{Source: mcPops[s], Target: mcPops[t], Rule: FixedTotalNumber, N: n,
				AllowAutapses: boolPtr(true), AllowMultapses: boolPtr(true), Weight: weight,
				Delay: NormalDist(d, delayRelSD*d).Bounded(dt/2, math.Inf(1))})
		}
	}
	for i, name := range mcPops {
		if poisson {
			kExt := math.Round(mcKExt[i] * kScaling)
			m.Stimuli = append(m.Stimuli, Stimulus{Name: "bg_" + name, Type: PoissonGenerator, Targets: []string{name},
				Rate: bgRate * kExt, Weight: pscExt * wScale, Delay: delayPoisson})
		}
		if dc[i] != 0 {
			m.Stimuli = append(m.Stimuli, Stimulus{Name: "dc_" + name, Type: DCGenerator, Targets: []string{name}, Amplitude: dc[i]})
		}
	}
	return m, nil
}

func brunel(v values) (*Model, error) {
	nf, err := v.positive("N")
	if err != nil {
		return nil, err
	}
	if nf != math.Trunc(nf) || nf < 10 {
		return nil, fmt.Errorf("N: must be a whole number ≥ 10, got %s", v["N"])
	}
	g, err := v.float("g")
	if err != nil {
		return nil, err
	}
	eta, err := v.float("eta")
	if err != nil {
		return nil, err
	}
	if eta < 0 {
		return nil, fmt.Errorf("eta: must be ≥ 0, got %g", eta)
	}
	j, err := v.float("J")
	if err != nil {
		return nil, err
	}
	n := int64(nf)
	nE := n * 4 / 5
	nI := n - nE
	cE, cI := nE/10, nI/10
	const (
		tauM, vTh, vReset, tRef, delay = 20.0, 20.0, 10.0, 2.0, 1.5
		cM, tauSyn                     = 250.0, 0.5
	)
	nuThr := vTh / (j * float64(cE) * tauM) // spikes per ms
	rate := 1000 * eta * nuThr * float64(cE)
	neuron := "iaf_psc_delta"
	params := map[string]float64{"C_m": cM, "tau_m": tauM, "t_ref": tRef, "E_L": 0, "V_reset": vReset, "V_th": vTh}
	w := j // mV for delta synapses
	if v["synapse"] == "exp" {
		neuron = "iaf_psc_exp"
		params["tau_syn_ex"], params["tau_syn_in"] = tauSyn, tauSyn
		w = j * cM / tauSyn // the same charge: w·tau_syn/C_m = J
	}
	initial := map[string]Dist{"V_m": {Kind: Uniform, Low: 0, High: vTh}}
	proj := func(src, tgt string, k int64, w float64) Projection {
		return Projection{Source: src, Target: tgt, Rule: FixedIndegree, Indegree: k,
			AllowAutapses: boolPtr(true), AllowMultapses: boolPtr(false), Weight: Const(w), Delay: Const(delay)}
	}
	return &Model{
		Name:        "brunel",
		Description: fmt.Sprintf("Brunel (2000) model A, N %d, g %g, eta %g, J %g mV, %s synapses", n, g, eta, j, v["synapse"]),
		Dt:          0.1,
		Populations: []Population{
			{Name: "E", Size: nE, Neuron: neuron, Params: clone(params), Initial: clone(initial)},
			{Name: "I", Size: nI, Neuron: neuron, Params: clone(params), Initial: clone(initial)},
		},
		Projections: []Projection{proj("E", "E", cE, w), proj("E", "I", cE, w), proj("I", "E", cI, -g*w), proj("I", "I", cI, -g*w)},
		Stimuli: []Stimulus{{Name: "poisson", Type: PoissonGenerator, Targets: []string{"E", "I"},
			Rate: rate, Weight: w, Delay: delay}},
		Recorders: []Recorder{{Type: "spike_recorder"}},
	}, nil
}
