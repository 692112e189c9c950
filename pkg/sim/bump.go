package sim

import (
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/neuron"
)

// newNeuronModel returns the model of population pi's local neurons
// [lo, hi) with the constant current dc: neuron.New for the integrate-and-
// fire models; poisson_bump also needs the population's grid, first gid
// and index, which key its streams.
func (e *Engine) newNeuronModel(pi, lo, hi int, dc float64) (neuron.Model, error) {
	m := e.man.Model
	pop := &m.Populations[pi]
	if pop.Neuron != model.PoissonBump {
		return neuron.New(pop.Neuron, pop.Params, m.Dt, dc)
	}
	var w, h int64
	if pop.Grid != nil {
		w, h = pop.Grid.Width, pop.Grid.Height(pop.Size)
	}
	return neuron.NewPoissonBump(neuron.BumpConfig{Rate: pop.Params["rate"], Peak: pop.Params["peak"],
		Sigma: pop.Params["sigma"], Period: pop.Params["period"], Dt: m.Dt, Width: w, Height: h,
		FirstGID: e.man.Populations[pi].FirstGID, Pop: uint32(pi), Lo: lo, Hi: hi})
}
