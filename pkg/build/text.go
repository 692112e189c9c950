package build

import (
	"fmt"
	"io"
)

// Line renders a rank's figures on one line, for logs.
func (s RankStats) Line(ranks int) string {
	return fmt.Sprintf("rank %d/%d: %d neurons, %d synapses, %d send pairs, create %.2fs connect %.2fs sendmap %.2fs write %.2fs, %.1f MiB files, peak RSS %.1f MiB",
		s.Rank, ranks, s.Neurons, s.Synapses, s.SendPairs, s.CreateSeconds, s.ConnectSeconds, s.SendMapSeconds, s.WriteSeconds,
		float64(s.Bytes)/(1<<20), float64(s.PeakRSS)/(1<<20))
}

// WriteText renders the build's summary.
func (r *Result) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "built %s: %d neurons, %d synapses on %d ranks × %d threads in %.2f s; files %.1f MiB (%.2f bytes/synapse); peak RSS %.1f MiB (%.2f bytes/synapse)\n",
		r.Dir, r.Neurons, r.Synapses, r.Ranks, r.Threads, r.WallSeconds,
		float64(r.Bytes)/(1<<20), r.BytesPerSyn, float64(r.PeakRSS)/(1<<20), r.MemoryPerSyn)
	return err
}
