package model

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteCatalog lists the built-in models with their parameters and
// defaults, and the neuron, synapse and rule names a model file may use.
func WriteCatalog(w io.Writer) error {
	for _, name := range BuiltinNames() {
		b := Builtins[name]
		fmt.Fprintf(w, "%s — %s\n", b.Name, b.Doc)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range b.Params {
			def := p.Default
			if len(p.Choices) > 0 {
				def += " (" + strings.Join(p.Choices, "|") + ")"
			}
			fmt.Fprintf(tw, "  --set %s=%s\t%s\n", p.Name, def, p.Doc)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Model files (snn-build show NAME prints one to start from) may use:\n")
	fmt.Fprintf(w, "  neurons:  %s\n", strings.Join(NeuronNames(), ", "))
	fmt.Fprintf(w, "  synapses: %s\n", strings.Join(SynapseNames(), ", "))
	fmt.Fprintf(w, "  rules:    %s\n", strings.Join(Rules, ", "))
	fmt.Fprintf(w, "  values:   a number, {dist: normal, mean, sd, min, max} or {dist: uniform, low, high}\n")
	fmt.Fprintf(w, "  stimuli:  %s (rate, weight, delay), %s (amplitude)\n", PoissonGenerator, DCGenerator)
	_, err := fmt.Fprintln(w, "  --set also takes dotted paths: populations.E.size=100, projections.E_I.weight=50")
	return err
}
