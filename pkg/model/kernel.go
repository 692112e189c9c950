package model

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Kernel types.
const Gaussian = "gaussian"

// KernelTypes lists the accepted kernel types.
var KernelTypes = []string{Gaussian}

// Kernel makes a pairwise_bernoulli projection distance-dependent: source
// and target populations lie on grids of the same shape, and each (source,
// target) pair connects independently with probability
// P·exp(−d²/(2σ²)), d the torus distance between their grid positions
// (Bamford et al. 2010). Kernel.P replaces the projection's p.
type Kernel struct {
	// Type is one of KernelTypes.
	Type string `yaml:"type" json:"type"`
	// P is the connection probability at distance 0, in [0, 1].
	P *float64 `yaml:"p" json:"p"`
	// Sigma is the kernel's width in grid units (> 0).
	Sigma float64 `yaml:"sigma" json:"sigma"`
}

// Prob returns the connection probability at squared distance d2.
func (k *Kernel) Prob(d2 float64) float64 { return *k.P * k.Shape(d2) }

// Shape returns the kernel without its peak, exp(−d2/(2σ²)), in [0, 1].
func (k *Kernel) Shape(d2 float64) float64 { return math.Exp(-d2 / (2 * k.Sigma * k.Sigma)) }

// checkKernel validates projection i's kernel, if any: rule
// pairwise_bernoulli without its own p, both populations on grids of the
// same shape, a known type, 0 ≤ p ≤ 1 and σ > 0.
func checkKernel(m *Model, i int) error {
	pr := &m.Projections[i]
	k := pr.Kernel
	if k == nil {
		return nil
	}
	path := []string{"projections", strconv.Itoa(i)}
	kpath := append(path, "kernel")
	if pr.Rule != PairwiseBernoulli {
		return fieldErr(kpath, "a kernel needs rule %s, got rule %s", PairwiseBernoulli, pr.Rule)
	}
	if pr.P != nil {
		return fieldErr(append(path, "p"), "with a kernel the peak probability is kernel.p: remove p (each pair connects with kernel.p·exp(−d²/(2σ²)))")
	}
	if k.Type != Gaussian {
		return fieldErr(append(kpath, "type"), "unknown kernel type %q (accepted: %s)", k.Type, strings.Join(KernelTypes, ", "))
	}
	if k.P == nil || !(*k.P >= 0 && *k.P <= 1) {
		got := "nothing"
		if k.P != nil {
			got = fmt.Sprint(*k.P)
		}
		return fieldErr(append(kpath, "p"), "a gaussian kernel needs a peak probability p in [0, 1], got %s", got)
	}
	if !(k.Sigma > 0) || !finite(k.Sigma) {
		return fieldErr(append(kpath, "sigma"), "must be a finite width > 0 in grid units, got %g", k.Sigma)
	}
	return checkSameGrids(m, pr, kpath, "a kernel")
}

// checkSameGrids reports, at path, unless projection pr's source and
// target populations lie on grids of the same shape, which what (the
// feature that needs them) requires.
func checkSameGrids(m *Model, pr *Projection, path []string, what string) error {
	src, tgt := &m.Populations[m.PopulationIndex(pr.Source)], &m.Populations[m.PopulationIndex(pr.Target)]
	for _, p := range []*Population{src, tgt} {
		if p.Grid == nil {
			return fieldErr(path, "%s needs both populations on a grid: give population %s grid: {width: W}", what, p.Name)
		}
	}
	sw, sh := src.Grid.Width, src.Grid.Height(src.Size)
	tw, th := tgt.Grid.Width, tgt.Grid.Height(tgt.Size)
	if sw != tw || sh != th {
		return fieldErr(path, "%s needs grids of the same shape: %s is %d×%d, %s is %d×%d", what, src.Name, sw, sh, tgt.Name, tw, th)
	}
	return nil
}
