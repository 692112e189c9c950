package results

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText renders the run's summary: timers, real-time factor, rates and
// plastic weights.
func (r *Result) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s (%s): %d neurons, %d synapses, %d ranks × %d threads, %s exchange, seed %d\n",
		r.Model, r.ModelDigest[:min(len(r.ModelDigest), 19)], r.Neurons, r.Synapses, r.Ranks, r.Threads, r.Comm, r.Seed)
	fmt.Fprintf(w, "load %.2f s, presimulate %.2f s (%g ms), simulate %.2f s (%g ms): real-time factor %.2f; %d spikes; peak RSS %.1f MiB (%.1f B/synapse)\n",
		r.TimeConstructionLoad, r.TimePresimulate, r.TPresim, r.TimeSimulate, r.TSim, r.RealTimeFactor, r.Spikes,
		float64(r.PeakRSS)/(1<<20), r.BytesPerSynapse)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "population\tneurons\tspikes\trate (Hz)\t")
	for _, p := range r.Rates {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t\n", p.Population, p.Neurons, p.Spikes, p.Rate)
	}
	tw.Flush()
	for _, p := range r.Plastic {
		fmt.Fprintf(w, "plastic %s (%s): %d synapses, weight mean %.6g, min %.6g, max %.6g\n",
			p.Projection, p.SynapseModel, p.Synapses, p.MeanWeight, p.MinWeight, p.MaxWeight)
	}
	for _, p := range r.Structural {
		fmt.Fprintf(w, "structural %s (%s): %d synapses, %d formed, %d eliminated\n", p.Projection, p.Rule, p.Synapses, p.Formed, p.Eliminated)
	}
	writeMapQuality(w, r.MapQuality)
	_, err := fmt.Fprintf(w, "spike digest %s\n", r.SpikeDigest)
	return err
}
