package connect

import (
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/rng"
)

// kernelSources appends the sources onto target index j of a
// pairwise_bernoulli projection with a distance kernel, drawn from s (the
// stream keyed by seed, projection and target gid). Candidates are drawn as
// for plain pairwise_bernoulli with the kernel's peak probability P, and each
// is kept with probability exp(−d²/(2σ²)), d the torus distance between the
// source's and the target's grid positions: every pair connects
// independently with probability P·exp(−d²/(2σ²)), in O(P·sources) draws.
// self is the source index that would be an autapse (−1: none).
func (g *Gen) kernelSources(s *rng.Stream, p *Proj, j, self int64, dst []uint32) []uint32 {
	m := g.plan.Model
	k := p.Spec.Kernel
	sg, tg := m.Populations[p.Src].Grid, m.Populations[p.Tgt].Grid
	w, h := tg.Width, tg.Height(p.TgtN)
	tx, ty := tg.Position(j)
	prob := *k.P
	if prob <= 0 {
		return dst
	}
	for i := int64(-1); ; {
		if prob >= 1 {
			i++
		} else {
			skip := s.Geometric(prob)
			if skip >= p.SrcN {
				return dst
			}
			i += 1 + skip
		}
		if i >= p.SrcN {
			return dst
		}
		if i == self {
			continue
		}
		x, y := sg.Position(i)
		if s.Float64() < k.Shape(model.TorusDistance2(x, y, tx, ty, w, h)) {
			dst = append(dst, uint32(i))
		}
	}
}
