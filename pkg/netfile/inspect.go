package netfile

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Summary is what `snn-build inspect` reports about a network directory.
type Summary struct {
	Dir      string    `json:"dir"`
	Manifest *Manifest `json:"manifest"`
	// Bytes is the total size of the partition files.
	Bytes int64 `json:"bytes"`
	// BytesPerSynapse is Bytes over the synapse count.
	BytesPerSynapse float64 `json:"bytes_per_synapse"`
	// Checksums tells whether SHA-256 sums were verified (sizes always are).
	Checksums bool `json:"checksums_verified"`
}

// Inspect verifies a network directory — every file's size, its schema
// metadata against the manifest and, when checksums is set, its SHA-256 —
// and summarises it.
func Inspect(dir string, checksums bool) (*Summary, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if err := m.Verify(dir, checksums); err != nil {
		return nil, err
	}
	s := &Summary{Dir: dir, Manifest: m, Checksums: checksums}
	for r, re := range m.RankEntries {
		for _, fe := range re.Files {
			s.Bytes += fe.Bytes
			if err := checkFileSchema(dir, fe, m.Header(r)); err != nil {
				return nil, err
			}
		}
	}
	if m.Synapses > 0 {
		s.BytesPerSynapse = float64(s.Bytes) / float64(m.Synapses)
	}
	return s, nil
}

func checkFileSchema(dir string, fe FileEntry, want Header) error {
	f, rd, err := openTable(dir, fe, want)
	if err != nil {
		return err
	}
	rd.Close()
	return f.Close()
}

// WriteText renders the summary for a terminal.
func (s *Summary) WriteText(w io.Writer) error {
	m := s.Manifest
	verified := "sizes and schemas verified"
	if s.Checksums {
		verified = "sizes, schemas and SHA-256 checksums verified"
	}
	fmt.Fprintf(w, "network %s: model %s (%s), seed %d, %d ranks, %s\n", s.Dir, m.Model.Name, short(m.ModelDigest), m.Seed, m.Ranks, verified)
	fmt.Fprintf(w, "%s neurons, %s synapses, dt %g ms, delays %d–%d steps, files %s (%.2f bytes/synapse)\n\n",
		count(m.Neurons), count(m.Synapses), m.Dt, m.MinDelaySteps, m.MaxDelaySteps, bytesize(s.Bytes), s.BytesPerSynapse)

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "population\tneuron\tfirst gid\tsize\t")
	for _, p := range m.Populations {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t\n", p.Name, p.Neuron, p.FirstGID, p.Size)
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{"projection", "rule", "synapse", "synapses"}
	showRanks := m.Ranks <= 8
	if showRanks {
		for r := 0; r < m.Ranks; r++ {
			header = append(header, fmt.Sprintf("rank %d", r))
		}
	}
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for i, p := range m.Projections {
		row := []string{p.Name, p.Rule, p.SynapseModel, count(p.Synapses)}
		if showRanks {
			for _, re := range m.RankEntries {
				row = append(row, count(re.ProjectionSynapses[i]))
			}
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(w)

	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rank\tneurons\tsynapses\tsend pairs\tbytes\tbytes/synapse\t")
	for _, re := range m.RankEntries {
		var b int64
		for _, f := range re.Files {
			b += f.Bytes
		}
		per := "-"
		if re.Synapses > 0 {
			per = fmt.Sprintf("%.2f", float64(b)/float64(re.Synapses))
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%d\t%s\t%s\t\n", re.Rank, re.Neurons, count(re.Synapses), re.SendPairs, bytesize(b), per)
	}
	return tw.Flush()
}

func short(digest string) string {
	if i := strings.Index(digest, ":"); i >= 0 && len(digest) > i+13 {
		return digest[:i+13]
	}
	return digest
}

// count renders n with a metric suffix: 126.6 M.
func count(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2f G", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f M", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1f k", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func bytesize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
