package sim

// Topographic-map quality (Bamford, Murray & Willshaw 2010, "Synaptic
// rewiring for topographic mapping and receptive field development",
// Neural Computation 22; their analysis as ported to Python in Bogdan et
// al.'s SpiNNaker synaptogenesis code, centre_weights): for each target
// neuron of a plastic or structural projection between two grids of the
// same shape,
//
//   - the receptive-field centre c is the torus point minimising the
//     weighted mean square distance of the afferents' source positions,
//     weighted by |w| (a multapse counts once per synapse). The squared
//     torus distance is the sum of the per-axis squared distances, so the
//     minimisation splits into one per axis of the weight marginal; on
//     each axis the weighted mean square circular distance is piecewise
//     quadratic, and its exact minimum is found by minimising each piece
//     (Bamford search the grid points, then refine in steps of 0.1);
//   - sigma_aff is the mean over the two axes of the weighted standard
//     deviation about c (Bamford's std_dev = mean(std_x, std_y), which is
//     comparable to the sigma of a Gaussian formation kernel);
//   - AD is the torus distance between c and the neuron's own position.
//
// The projection's figures are means over the neurons with afferents
// (Bamford count a neuron without any as AD 0, σ 0; here it is left out
// and the count reported). The shuffled control keeps each synapse's
// weight but moves each distinct source of a target to a distinct random
// source position, drawn with the stream (seed, PurposeMapShuffle,
// projection, target gid); Bogdan et al. compare with shuffled weights
// in the same way, with scipy.stats.wilcoxon.
//
// Determinism: every target's synapses are on its own rank; each rank
// measures its targets from their synapses sorted by source and weight,
// and rank 0 sums the per-neuron figures in gid order, so the results
// are bitwise identical for any rank and thread count.

import (
	"cmp"
	"math"
	"slices"

	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/results"
	"github.com/snnkit/snnkit/pkg/rng"
)

// afferent is a synapse onto one target: the index of its source in the
// source population and its weight.
type afferent struct {
	src int64
	w   float64
}

// receptiveField measures the afferents aff of a target at (tx, ty) on a
// torus of w columns and h rows (source i at column i mod w, row i div w):
// the centre (cx, cy) in [0, w) × [0, h), sigma_aff and AD; ok is false
// when the afferents carry no weight. The sums run in the order of aff.
func receptiveField(aff []afferent, w, h, tx, ty int64) (cx, cy, sigma, ad float64, ok bool) {
	mx, my := make([]float64, w), make([]float64, h)
	weighted := false
	for _, a := range aff {
		v := math.Abs(a.w)
		mx[a.src%w] += v
		my[a.src/w] += v
		weighted = weighted || v > 0
	}
	if !weighted {
		return 0, 0, 0, 0, false
	}
	cx, vx := axisCentre(mx)
	cy, vy := axisCentre(my)
	dx, dy := circular(cx-float64(tx), w), circular(cy-float64(ty), h)
	return cx, cy, (math.Sqrt(vx) + math.Sqrt(vy)) / 2, math.Sqrt(dx*dx + dy*dy), true
}

// circular maps a coordinate difference on a circle of n points to the
// shorter way round, in [−n/2, n/2].
func circular(d float64, n int64) float64 {
	nf := float64(n)
	return d - nf*math.Round(d/nf)
}

// axisCentre returns the point c in [0, n) of a circle of n unit-spaced
// points that minimises the weighted mean square circular distance to the
// points, weighted by m (Σ m > 0), and that minimum. The distance to point
// k changes branch at k + n/2, so the circle splits into n pieces of unit
// length on which every point has one unwrapped position u_k; on a piece
// the mean square distance is Σ m_k (c − u_k)² / Σ m_k, least at the
// weighted mean of u_k clamped to the piece. Of equal minima the first
// piece's wins.
func axisCentre(m []float64) (c, v float64) {
	n := len(m)
	nf := float64(n)
	var tot float64
	for _, x := range m {
		tot += x
	}
	off := 0.0 // pieces start at the branch points: integers for even n
	if n%2 == 1 {
		off = 0.5
	}
	unwrap := func(k int, q float64) float64 { return float64(k) + nf*math.Round((q-float64(k))/nf) }
	best := math.Inf(1)
	for j := range n {
		lo := float64(j) + off
		q := lo + 0.5
		var s float64
		for k, x := range m {
			if x != 0 {
				s += x * unwrap(k, q)
			}
		}
		at := min(max(s/tot, lo), lo+1)
		var ss float64
		for k, x := range m {
			if x != 0 {
				d := at - unwrap(k, q)
				ss += x * d * d
			}
		}
		if ss /= tot; ss < best {
			best, c = ss, at
		}
	}
	c = math.Mod(c, nf)
	if c < 0 {
		c += nf
	}
	return c, best
}

// mapProj is a projection whose map the engine measures.
type mapProj struct {
	pj                          int
	srcFirst, tgtFirst, srcSize int64
	w, h                        int64
}

// mapProjections lists the plastic and structural projections of the
// network between two grid populations of the same shape.
func mapProjections(man *netfile.Manifest) []mapProj {
	m := man.Model
	var out []mapProj
	for pj := range m.Projections {
		pr := &m.Projections[pj]
		if pr.Structural == nil && pr.SynapseModel != STDPSynapse && pr.SynapseModel != STDPPLSynapse {
			continue
		}
		si, ti := m.PopulationIndex(pr.Source), m.PopulationIndex(pr.Target)
		if si < 0 || ti < 0 {
			continue
		}
		sp, tp := &m.Populations[si], &m.Populations[ti]
		if sp.Grid == nil || tp.Grid == nil || sp.Size != tp.Size || sp.Grid.Width != tp.Grid.Width || sp.Grid.Width <= 0 {
			continue
		}
		out = append(out, mapProj{pj: pj, srcFirst: man.Populations[si].FirstGID, tgtFirst: man.Populations[ti].FirstGID,
			srcSize: sp.Size, w: sp.Grid.Width, h: sp.Grid.Height(sp.Size)})
	}
	return out
}

// mapSynapses returns this rank's synapses of the measured projections,
// sorted by projection, target, source and weight (nil without any).
func (e *Engine) mapSynapses() []PlasticSynapse {
	mps := mapProjections(e.man)
	if len(mps) == 0 {
		return nil
	}
	measured := map[int]bool{}
	for _, mp := range mps {
		measured[mp.pj] = true
	}
	var all []PlasticSynapse
	if e.pl != nil {
		all = e.pl.appendSynapses(e, all)
	}
	if e.st != nil {
		all = e.st.synapses(e, all, false)
	}
	out := all[:0]
	for _, s := range all {
		if measured[s.Projection] {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, cmpMapSynapse)
	return out
}

func cmpMapSynapse(a, b PlasticSynapse) int {
	return cmp.Or(cmp.Compare(a.Projection, b.Projection), cmp.Compare(a.Target, b.Target),
		cmp.Compare(a.Source, b.Source), cmp.Compare(a.Weight, b.Weight))
}

// fieldFigures are a receptive field's AD and sigma_aff.
type fieldFigures struct {
	AD    float64 `json:"ad"`
	Sigma float64 `json:"sigma"`
}

// mapNeuron is one target neuron's figures, sent to rank 0: at t = 0
// (Initial), at the end (Final) and for the shuffled end (Shuffled); nil
// where the neuron has no weighted afferents.
type mapNeuron struct {
	Projection int           `json:"projection"`
	GID        uint32        `json:"gid"`
	Initial    *fieldFigures `json:"initial,omitempty"`
	Final      *fieldFigures `json:"final,omitempty"`
	Shuffled   *fieldFigures `json:"shuffled,omitempty"`
}

// mapNeurons measures this rank's targets from the synapses at t = 0
// (initial, from mapSynapses then) and now, ordered by projection and gid.
func (e *Engine) mapNeurons(initial []PlasticSynapse) []mapNeuron {
	mps := mapProjections(e.man)
	if len(mps) == 0 {
		return nil
	}
	final := e.mapSynapses()
	type key struct {
		pj  int
		gid uint32
	}
	groups := func(syns []PlasticSynapse) map[key][]PlasticSynapse {
		g := map[key][]PlasticSynapse{}
		for i := 0; i < len(syns); {
			j := i
			for j < len(syns) && syns[j].Projection == syns[i].Projection && syns[j].Target == syns[i].Target {
				j++
			}
			g[key{syns[i].Projection, syns[i].Target}] = syns[i:j]
			i = j
		}
		return g
	}
	gi, gf := groups(initial), groups(final)
	keys := make([]key, 0, len(gf)+len(gi))
	for k := range gi {
		keys = append(keys, k)
	}
	for k := range gf {
		if _, dup := gi[k]; !dup {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return cmp.Or(cmp.Compare(a.pj, b.pj), cmp.Compare(a.gid, b.gid)) })
	var out []mapNeuron
	for _, k := range keys {
		mp := mps[slices.IndexFunc(mps, func(m mapProj) bool { return m.pj == k.pj })]
		g := model.Grid{Width: mp.w}
		tx, ty := g.Position(int64(k.gid) - mp.tgtFirst)
		measure := func(aff []afferent) *fieldFigures {
			if _, _, s, ad, ok := receptiveField(aff, mp.w, mp.h, tx, ty); ok {
				return &fieldFigures{AD: ad, Sigma: s}
			}
			return nil
		}
		n := mapNeuron{Projection: k.pj, GID: k.gid}
		if syns := gi[k]; len(syns) > 0 {
			n.Initial = measure(afferents(syns, mp))
		}
		if syns := gf[k]; len(syns) > 0 {
			aff := afferents(syns, mp)
			n.Final = measure(aff)
			n.Shuffled = measure(shuffleSources(aff, mp.srcSize, e.man.Seed, k.pj, k.gid))
		}
		if n.Initial != nil || n.Final != nil {
			out = append(out, n)
		}
	}
	return out
}

// afferents turns one target's synapses into afferents.
func afferents(syns []PlasticSynapse, mp mapProj) []afferent {
	aff := make([]afferent, len(syns))
	for i, s := range syns {
		aff[i] = afferent{src: int64(s.Source) - mp.srcFirst, w: s.Weight}
	}
	return aff
}

// shuffleSources returns aff (sorted by source) with each distinct source
// moved to a distinct random source position among size, the first
// len(distinct) steps of a Fisher–Yates shuffle of the source population
// drawn from the stream (seed, PurposeMapShuffle, projection, target).
func shuffleSources(aff []afferent, size int64, seed uint64, pj int, target uint32) []afferent {
	s := rng.New(seed, rng.StreamID(rng.PurposeMapShuffle, uint32(pj)), target)
	perm := map[int64]int64{} // the shuffle's moved entries
	at := func(i int64) int64 {
		if v, ok := perm[i]; ok {
			return v
		}
		return i
	}
	out := make([]afferent, len(aff))
	var i, to int64 = -1, 0
	for k, a := range aff {
		if k == 0 || a.src != aff[k-1].src {
			i++
			j := i + int64(s.Uint64n(uint64(size-i)))
			vi, vj := at(i), at(j)
			perm[i], perm[j] = vj, vi
			to = vj
		}
		out[k] = afferent{src: to, w: a.w}
	}
	return out
}

// mapQualitySummary combines the ranks' per-neuron figures into each
// measured projection's MapQuality, summing in gid order.
func mapQualitySummary(man *netfile.Manifest, reps []rankReport) []results.MapQuality {
	mps := mapProjections(man)
	if len(mps) == 0 {
		return nil
	}
	var all []mapNeuron
	for _, r := range reps {
		all = append(all, r.Map...)
	}
	slices.SortFunc(all, func(a, b mapNeuron) int {
		return cmp.Or(cmp.Compare(a.Projection, b.Projection), cmp.Compare(a.GID, b.GID))
	})
	out := make([]results.MapQuality, 0, len(mps))
	for _, mp := range mps {
		q := results.MapQuality{Projection: man.Model.Projections[mp.pj].Name}
		var adI, sI, adF, sF, adS, sS []float64        // per neuron with the figure
		var pairADI, pairADF, pairSI, pairSF []float64 // neurons with both times
		for _, n := range all {
			if n.Projection != mp.pj {
				continue
			}
			if n.Initial != nil {
				adI, sI = append(adI, n.Initial.AD), append(sI, n.Initial.Sigma)
			}
			if n.Final != nil {
				adF, sF = append(adF, n.Final.AD), append(sF, n.Final.Sigma)
				adS, sS = append(adS, n.Shuffled.AD), append(sS, n.Shuffled.Sigma)
			}
			if n.Initial != nil && n.Final != nil {
				pairADI, pairADF = append(pairADI, n.Initial.AD), append(pairADF, n.Final.AD)
				pairSI, pairSF = append(pairSI, n.Initial.Sigma), append(pairSF, n.Final.Sigma)
			}
		}
		q.Neurons, q.NeuronsInitial = int64(len(adF)), int64(len(adI))
		q.ADInitial, q.SigmaAffInitial = meanOf(adI), meanOf(sI)
		q.ADFinal, q.SigmaAffFinal = meanOf(adF), meanOf(sF)
		q.ADShuffled, q.SigmaAffShuffled = meanOf(adS), meanOf(sS)
		q.PADVsShuffled = wilcoxonP(adF, adS)
		q.PSigmaVsShuffled = wilcoxonP(sF, sS)
		q.PADInitialVsFinal = wilcoxonP(pairADI, pairADF)
		q.PSigmaInitialVsFinal = wilcoxonP(pairSI, pairSF)
		out = append(out, q)
	}
	return out
}

// meanOf is the mean of xs summed in order (nil for none).
func meanOf(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	s /= float64(len(xs))
	return &s
}

// wilcoxonP is wilcoxon's p-value (nil when it has no non-zero difference).
func wilcoxonP(x, y []float64) *float64 {
	if _, p, _, ok := wilcoxon(x, y); ok {
		return &p
	}
	return nil
}
