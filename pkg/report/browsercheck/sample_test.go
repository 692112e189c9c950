package browsercheck

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/report/figure"
	"github.com/snnkit/snnkit/pkg/report/htmlpage"
)

// samplePage builds a report page like snn-report's, with one figure of each
// kind drawn by package figure, tables with numeric and text columns, and
// hostile strings that must be shown as text.
func samplePage(t *testing.T) htmlpage.Page {
	t.Helper()
	ranks := []float64{1, 2, 4, 8, 16}
	must := func(b []byte, err error) []byte {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	scaling := must(figure.Scaling(figure.Options{
		Title: "Strong scaling: hpc_benchmark, scale 1", XLabel: "MPI ranks", YLabel: "time_simulate (s)", LogX: true, LogY: true,
	}, []figure.Series{
		{Label: "threads=1", X: ranks, Y: []float64{80, 42, 23, 13, 8}, Low: []float64{78, 40, 22, 12, 7.5}, High: []float64{83, 44, 24, 14, 9}},
		{Label: "threads=2", X: ranks, Y: []float64{45, 24, 13, 8, 5.5}},
	}))
	rtf := must(figure.Lines(figure.Options{
		Title: "Real-time factor", XLabel: "MPI ranks", YLabel: "real-time factor (wall/model time)", LogX: true,
	}, []figure.Series{
		{Label: "brunel N=2000", X: ranks, Y: []float64{8, 4.2, 2.3, 1.3, 0.8}, Low: []float64{7.8, 4, 2.2, 1.2, 0.75}, High: []float64{8.3, 4.4, 2.4, 1.4, 0.9}},
		{Label: "microcircuit", X: ranks, Y: []float64{4.5, 2.4, 1.3, 0.8, 0.55}},
	}))
	phases := must(figure.StackedBars(figure.Options{
		Title: "State propagation phases", XLabel: "MPI ranks", YLabel: "time (s)",
	}, []string{"1", "2", "4", "8", "16"}, []figure.Stack{
		{Label: "time_update", Values: []float64{50, 26, 14, 8, 5}},
		{Label: "time_deliver", Values: []float64{25, 13, 7, 4, 2}},
		{Label: "time_communicate", Values: []float64{0, 2, 2.5, 3, 3.5}},
	}))
	rates := must(figure.Bars(figure.Options{
		Title: "Firing rates per population", XLabel: "population", YLabel: "rate (spikes/s)",
	}, []string{"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"},
		[]float64{0.9, 2.8, 4.4, 5.8, 7.3, 8.6, 1.1, 7.8},
		[]float64{0.8, 2.6, 4.1, 5.5, 7.0, 8.2, 1.0, 7.5},
		[]float64{1.0, 3.0, 4.7, 6.1, 7.6, 9.0, 1.2, 8.1}))
	var xs, ys []float64
	var ticks []figure.Tick
	for i := 0; i < 24; i++ {
		y := 10 + 0.2*math.Sin(float64(i))
		if i >= 15 {
			y += 1.5
		}
		xs, ys = append(xs, float64(i)), append(ys, y)
		ticks = append(ticks, figure.Tick{Value: float64(i), Label: fmt.Sprintf("%07x", 0x1a2b3c*(i+1)&0xfffffff)})
	}
	hist := must(figure.History(figure.Options{
		Title: "time_simulate across commits (node01)", XLabel: "commit (oldest first)", YLabel: "time_simulate (s)", XTicks: ticks,
	}, []figure.Series{{Label: "node01", X: xs, Y: ys}}, []figure.Change{{X: 15, Label: ticks[15].Label + " +15.0 % (p=0.001)"}}))

	return htmlpage.Page{
		Title:     "snn-report: hpc_benchmark <script>alert(1)</script>",
		Subtitle:  "results/ — 40 runs on 2 machines",
		Generated: time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC),
		Meta: []htmlpage.Field{
			{Name: "results", Value: "results/"},
			{Name: "commit", Value: "3f2a1bc (dirty)"},
			{Name: "hostile", Value: `"><img src=x onerror=alert(1)>`},
		},
		Sections: []htmlpage.Section{
			{
				Heading: "Summary",
				Text:    "Each configuration: median [min–max] over repetitions, slowest rank per run.\n\nTimes in seconds. <b>not bold</b>",
				Tables: []htmlpage.Table{{
					Caption: "Timers by configuration",
					Header:  []string{"model", "ranks", "threads", "time_simulate (s)", "real-time factor", "n"},
					Rows: [][]string{
						{"hpc_benchmark", "1", "1", "80.1 [78.0–83.2]", "8.01", "5"},
						{"hpc_benchmark", "2", "1", "42.3 [40.1–44.0]", "4.23", "5"},
						{"hpc_benchmark", "4", "1", "23.0 [22.1–24.3]", "2.30", "5"},
						{"<script>alert('x')</script>", "8", "1", "13.2 [12.0–14.1]", "1.32", "5"},
					},
					Notes: "95 % confidence intervals by bootstrap & <i>not italic</i>.",
				}},
			},
			{Heading: "Scaling", Figures: []htmlpage.Figure{
				{Caption: "Time against ranks; dashed: ideal scaling from one rank. Below: parallel efficiency.", SVG: scaling},
				{Caption: "Real-time factor with 95 % confidence intervals.", SVG: rtf},
			}},
			{Heading: "Phases", Figures: []htmlpage.Figure{{Caption: "beNNch phase times per rank count.", SVG: phases}}},
			{Heading: "Activity", Figures: []htmlpage.Figure{{Caption: "Per-population rates.", SVG: rates}}},
			{Heading: "History", Figures: []htmlpage.Figure{{Caption: "Change point detected by E-divisive.", SVG: hist}}},
			{Heading: "Machines", Tables: []htmlpage.Table{{
				Caption: "Metadata that differs between the machines",
				Header:  []string{"field", "node01", "node02"},
				Rows: [][]string{
					{"cpu", "AMD EPYC 7742 64-Core Processor", "Intel(R) Xeon(R) Platinum 8480+"},
					{"mpi", "Open MPI v4.1.4", "Open MPI v4.1.6"},
					{"very long value", "a-very-long-unbroken-value-" + string(bytes.Repeat([]byte("x"), 120)), "short"},
				},
			}}},
		},
	}
}

// writeSample renders the sample page to a file in dir and returns its path.
func writeSample(t *testing.T, dir string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := htmlpage.Render(&buf, samplePage(t)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
