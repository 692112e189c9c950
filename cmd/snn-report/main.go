// Command snn-report turns benchmark results into reports, comparisons
// and histories: see `snn-report --help` and the README.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/snnkit/snnkit/pkg/cliargs"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/report"
	"github.com/snnkit/snnkit/pkg/results"
)

func main() {
	app := newApp()
	if err := app.Run(cliargs.Interspersed(app, os.Args)); err != nil {
		var ue usageError
		var rg regressionError
		switch {
		case errors.As(err, &rg):
			os.Exit(1) // the verdict is already printed
		case errors.As(err, &ue):
			fmt.Fprintln(os.Stderr, "snn-report:", err)
			os.Exit(2)
		default:
			fmt.Fprintln(os.Stderr, "snn-report:", err)
			os.Exit(1)
		}
	}
}

type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

type regressionError struct{ error }

var (
	byFlag      = &cli.StringFlag{Name: "by", Usage: "group (match) configurations by these comma-separated keys: configuration fields (model, ranks, threads, backend, comm, params, ...), param.NAME, or metadata keys (host, cpu_model, ...)"}
	metricsFlag = &cli.StringFlag{Name: "metrics", Aliases: []string{"m"}, Usage: "comma-separated metrics (time_simulate, real_time_factor, time_update, peak_rss_bytes, rate_hz.E, ...)"}
	outFlag     = &cli.StringSliceFlag{Name: "out", Aliases: []string{"o"}, Usage: "write to FILE by its extension: .html, .md, .txt, .json; - for text on stdout (repeatable; default: text on stdout)"}
	jsonFlag    = &cli.BoolFlag{Name: "json", Usage: "print JSON on stdout instead of text"}
	figsFlag    = &cli.StringFlag{Name: "figures", Usage: "also write each figure as a file into DIR"}
	figFmtFlag  = &cli.StringFlag{Name: "figure-format", Value: "svg", Usage: "format of the --figures files: svg or png"}
)

func newApp() *cli.App {
	return &cli.App{
		Name:    "snn-report",
		Usage:   "reports, comparisons and histories of snn-bench results",
		Version: meta.ToolInfo().String(),
		UsageText: `snn-report RESULTS... [--by KEYS] [--metrics LIST] [-o report.html|report.md|-]
   snn-report compare BASE NEW [--alpha 0.05] [--threshold PCT] [--fail-on-regression PCT] [-o compare.md]
   snn-report history RESULTS... [-o history.html]
   snn-bench export results/ --format jsonl | snn-report -

RESULTS is a results directory (its store/), a store directory, a JSON-lines file, or - for JSON lines on stdin.
Exit status: 0 success, 1 failure or a regression beyond --fail-on-regression, 2 bad usage.`,
		Flags:  []cli.Flag{byFlag, metricsFlag, outFlag, jsonFlag, figsFlag, figFmtFlag},
		Action: reportAction,
		Commands: []*cli.Command{
			{
				Name:      "compare",
				Usage:     "compare NEW against BASE: medians ± CI, change, Mann–Whitney U p-value; \"~\" when not significant",
				UsageText: "snn-report compare BASE NEW [--by KEYS] [--metrics LIST] [--alpha A] [--threshold PCT] [--fail-on-regression PCT] [-o FILE]",
				Flags: []cli.Flag{byFlag, metricsFlag, outFlag, jsonFlag,
					&cli.Float64Flag{Name: "alpha", Value: 0.05, Usage: "significance level of the Mann–Whitney U test"},
					&cli.StringFlag{Name: "threshold", Value: "0", Usage: "smallest change (percent, e.g. 2%) reported as a change"},
					&cli.StringFlag{Name: "fail-on-regression", Usage: "exit 1 when a time or memory metric is significantly worse by more than PCT (e.g. 5%)"},
				},
				Action: compareAction,
			},
			{
				Name:      "history",
				Usage:     "each metric across commits per machine and configuration, with change points (E-divisive means)",
				UsageText: "snn-report history RESULTS... [--by KEYS] [--metrics LIST] [--alpha A] [--permutations R] [--min-size N] [--threshold PCT] [-o FILE]",
				Flags: []cli.Flag{byFlag, metricsFlag, outFlag, jsonFlag, figsFlag, figFmtFlag,
					&cli.Float64Flag{Name: "alpha", Value: 0.01, Usage: "significance level of the permutation test"},
					&cli.IntFlag{Name: "permutations", Value: 499, Usage: "permutations per test"},
					&cli.IntFlag{Name: "min-size", Value: 3, Usage: "fewest runs on either side of a change"},
					&cli.StringFlag{Name: "threshold", Value: "0", Usage: "smallest change of the median (percent) reported as a change; smaller ones are listed as minor"},
					&cli.Uint64Flag{Name: "seed", Usage: "seed of the permutations"},
					&cli.StringFlag{Name: "machine", Usage: "comma-separated metadata keys that identify a machine (default: host, or SLURM cluster/partition, and cpu_model); e.g. cpu_model,cores for CI runners with changing host names"},
				},
				Action: historyAction,
			},
		},
	}
}

// load reads and concatenates the records of the inputs.
func load(args []string) ([]results.Record, error) {
	var recs []results.Record
	stdin := false
	for _, a := range args {
		if a == "-" {
			if stdin {
				return nil, usagef("- (stdin) given twice")
			}
			stdin = true
		}
		r, err := report.Load(a, os.Stdin)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r...)
	}
	return recs, nil
}

func keysAndMetrics(c *cli.Context) (by, metrics []string, err error) {
	if by, err = report.ParseKeys(c.String("by")); err != nil {
		return nil, nil, usagef("--by: %w", err)
	}
	if metrics, err = report.ParseKeys(c.String("metrics")); err != nil {
		return nil, nil, usagef("--metrics: %w", err)
	}
	return by, metrics, nil
}

// output is one destination of a report.
type output struct {
	path   string // "" for stdout
	format string // text, markdown, html, json
}

// outputsAndRecords reads the -o outputs, the figure format and the
// records of every input argument: what the report and history commands
// share.
func outputsAndRecords(c *cli.Context) (outs []output, figFormat string, recs []results.Record, err error) {
	if outs, err = outputs(c); err != nil {
		return nil, "", nil, err
	}
	if figFormat, err = figureFormat(c); err != nil {
		return nil, "", nil, err
	}
	recs, err = load(c.Args().Slice())
	return outs, figFormat, recs, err
}

func outputs(c *cli.Context) ([]output, error) {
	var outs []output
	for _, p := range c.StringSlice("out") {
		if p == "-" {
			outs = append(outs, output{"", "text"})
			continue
		}
		var f string
		switch strings.ToLower(filepath.Ext(p)) {
		case ".html", ".htm":
			f = "html"
		case ".md", ".markdown":
			f = "markdown"
		case ".txt", ".text":
			f = "text"
		case ".json":
			f = "json"
		default:
			return nil, usagef("-o %s: unknown format (accepted extensions: .html, .md, .txt, .json; - for stdout)", p)
		}
		outs = append(outs, output{p, f})
	}
	if c.Bool("json") {
		outs = append(outs, output{"", "json"})
	} else if len(outs) == 0 {
		outs = append(outs, output{"", "text"})
	}
	return outs, nil
}

// renderer writes a report in each format.
type renderer interface {
	text(io.Writer) error
	markdown(io.Writer) error
	html(io.Writer) error
	json(io.Writer) error
}

func emit(outs []output, r renderer) error {
	for _, o := range outs {
		render := map[string]func(io.Writer) error{"text": r.text, "markdown": r.markdown, "html": r.html, "json": r.json}[o.format]
		if o.path == "" {
			if err := render(os.Stdout); err != nil {
				return err
			}
			continue
		}
		if err := outdir.WriteFile(o.path, render); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "snn-report: wrote %s\n", o.path)
	}
	return nil
}

type aggregateOut struct {
	a       *report.Aggregate
	sources []string
}

func (r aggregateOut) text(w io.Writer) error { return r.a.WriteText(w) }
func (r aggregateOut) markdown(w io.Writer) error {
	return r.a.WriteMarkdown(w, "snn-report: "+strings.Join(r.sources, ", "))
}
func (r aggregateOut) html(w io.Writer) error {
	return report.AggregateHTML(w, r.a, strings.Join(r.sources, ", "), time.Now())
}
func (r aggregateOut) json(w io.Writer) error { return report.WriteJSON(w, r.a) }

func reportAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("give a results directory, a JSON-lines file or - for stdin (see snn-report --help)")
	}
	by, metrics, err := keysAndMetrics(c)
	if err != nil {
		return err
	}
	outs, figFormat, recs, err := outputsAndRecords(c)
	if err != nil {
		return err
	}
	a, err := report.AggregateRecords(recs, report.AggregateOptions{By: by, Metrics: metrics})
	if err != nil {
		return fmt.Errorf("%s: %w", strings.Join(c.Args().Slice(), ", "), err)
	}
	if err := emit(outs, aggregateOut{a, c.Args().Slice()}); err != nil {
		return err
	}
	if dir := c.String("figures"); dir != "" {
		figs, notes := a.Figures(figFormat)
		return writeFigures(dir, figFormat, figs, notes)
	}
	return nil
}

func figureFormat(c *cli.Context) (string, error) {
	switch f := c.String("figure-format"); f {
	case "svg", "png":
		return f, nil
	default:
		return "", usagef("--figure-format %q: accepted values are svg and png", f)
	}
}

func writeFigures(dir, format string, figs []report.Figure, notes []string) error {
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "snn-report: warning:", n)
	}
	paths, err := report.WriteFigures(dir, format, figs)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "snn-report: wrote %d figures into %s\n", len(paths), dir)
	return nil
}

type compareOut struct{ c *report.Comparison }

func (r compareOut) text(w io.Writer) error     { return r.c.WriteText(w) }
func (r compareOut) markdown(w io.Writer) error { return r.c.WriteMarkdown(w) }
func (r compareOut) html(w io.Writer) error     { return report.ComparisonHTML(w, r.c, time.Now()) }
func (r compareOut) json(w io.Writer) error     { return report.WriteJSON(w, r.c) }

func compareAction(c *cli.Context) error {
	if c.NArg() != 2 {
		return usagef("compare takes two inputs, BASE and NEW (results directories, JSON-lines files or -); got %d", c.NArg())
	}
	by, metrics, err := keysAndMetrics(c)
	if err != nil {
		return err
	}
	opt := report.CompareOptions{By: by, Metrics: metrics, Alpha: c.Float64("alpha"), BaseName: c.Args().Get(0), NewName: c.Args().Get(1)}
	if !(opt.Alpha > 0 && opt.Alpha < 1) {
		return usagef("--alpha %v: want a level between 0 and 1 (e.g. 0.05)", opt.Alpha)
	}
	if opt.Threshold, err = report.ParsePercent(c.String("threshold")); err != nil {
		return usagef("--threshold: %w", err)
	}
	if s := c.String("fail-on-regression"); s != "" {
		opt.Gate = true
		if opt.FailOnRegression, err = report.ParsePercent(s); err != nil {
			return usagef("--fail-on-regression: %w", err)
		}
	}
	outs, err := outputs(c)
	if err != nil {
		return err
	}
	if c.Args().Get(0) == "-" && c.Args().Get(1) == "-" {
		return usagef("BASE and NEW cannot both be - (stdin)")
	}
	base, err := load(c.Args().Slice()[:1])
	if err != nil {
		return err
	}
	new, err := load(c.Args().Slice()[1:])
	if err != nil {
		return err
	}
	cmp, err := report.CompareRecords(base, new, opt)
	if err != nil {
		return err
	}
	if err := emit(outs, compareOut{cmp}); err != nil {
		return err
	}
	if outs[0].path != "" || outs[0].format == "json" {
		fmt.Fprintln(os.Stderr, "snn-report:", cmp.Verdict())
	}
	if cmp.Failed {
		return regressionError{errors.New(cmp.Verdict())}
	}
	return nil
}

type historyOut struct{ h *report.History }

func (r historyOut) text(w io.Writer) error     { return r.h.WriteText(w) }
func (r historyOut) markdown(w io.Writer) error { return r.h.WriteMarkdown(w) }
func (r historyOut) html(w io.Writer) error     { return report.HistoryHTML(w, r.h, time.Now()) }
func (r historyOut) json(w io.Writer) error     { return report.WriteJSON(w, r.h) }

func historyAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return usagef("give a results directory, a JSON-lines file or - for stdin")
	}
	by, metrics, err := keysAndMetrics(c)
	if err != nil {
		return err
	}
	opt := report.HistoryOptions{By: by, Metrics: metrics, Alpha: c.Float64("alpha"), Permutations: c.Int("permutations"), MinSize: c.Int("min-size"), Seed: c.Uint64("seed")}
	if !(opt.Alpha > 0 && opt.Alpha < 1) || opt.Permutations < 1 || opt.MinSize < 2 {
		return usagef("--alpha must lie between 0 and 1, --permutations be at least 1 and --min-size at least 2")
	}
	if opt.Threshold, err = report.ParsePercent(c.String("threshold")); err != nil {
		return usagef("--threshold: %w", err)
	}
	if opt.MachineKeys, err = report.ParseKeys(c.String("machine")); err != nil {
		return usagef("--machine: %w", err)
	}
	outs, figFormat, recs, err := outputsAndRecords(c)
	if err != nil {
		return err
	}
	h, err := report.HistoryRecords(recs, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", strings.Join(c.Args().Slice(), ", "), err)
	}
	if err := emit(outs, historyOut{h}); err != nil {
		return err
	}
	if dir := c.String("figures"); dir != "" {
		figs, notes := h.Figures(figFormat, 0)
		return writeFigures(dir, figFormat, figs, notes)
	}
	return nil
}
