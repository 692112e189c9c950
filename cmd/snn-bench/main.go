// Command snn-bench expands benchmark matrices into runs, runs them here or
// submits them to SLURM, and collects their results into a store: see
// `snn-bench --help` and the README.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/snnkit/snnkit/pkg/bench"
	"github.com/snnkit/snnkit/pkg/cliargs"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/outdir"
	"github.com/snnkit/snnkit/pkg/results"
)

func main() { cliargs.Main(newApp()) }

var (
	machineFlag = &cli.StringFlag{Name: "machine", Value: bench.DefaultMachine, Usage: "machine profile: NAME (from $SNNKIT_MACHINES, ~/.config/snnkit/machines or the shipped ones) or a YAML file"}
	outFlag     = &cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "results", Usage: "results directory"}
	binFlag     = &cli.StringFlag{Name: "bin", Usage: "folder with snn-build, snn-run and snn-bench (default: next to this snn-bench, else $PATH)"}
	forceFlag   = &cli.BoolFlag{Name: "force", Usage: "replace the plan of another benchmark in the results directory (results and store are kept)"}
)

func newApp() *cli.App {
	return &cli.App{
		Name:    "snn-bench",
		Usage:   "benchmark matrices run locally or on SLURM, every result stored with its metadata",
		Version: meta.ToolInfo().String(),
		UsageText: `snn-bench example > bench.yaml              (the embedded default benchmark, commented)
   snn-bench plan [bench.yaml] [--machine NAME] [--json]
   snn-bench run [bench.yaml] [-o results/] [--machine NAME]
   snn-bench submit [bench.yaml] [-o results/] [--machine NAME] [--templates DIR] [--dry-run]
   snn-bench status results/ [--wait] [--json]
   snn-bench collect results/
   snn-bench export results/ --format jsonl|gobench [-o FILE]

Exit status: 0 success, 1 failure (a failed run, a failed job), 2 bad usage.`,
		// Without a command (or with an unknown one) snn-bench is misused:
		// exit status 2, not urfave/cli's help with 0 (or 3).
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return cliargs.Usagef("unknown command %q (see snn-bench --help)", c.Args().First())
			}
			return cliargs.Usagef("give a command: example, plan, run, submit, status, collect or export (see snn-bench --help)")
		},
		Commands: []*cli.Command{
			{
				Name:      "example",
				Usage:     "print the embedded default benchmark config (commented YAML) to copy and edit",
				UsageText: "snn-bench example > bench.yaml",
				Action: func(c *cli.Context) error {
					_, err := os.Stdout.Write(bench.DefaultConfig)
					return err
				},
			},
			{
				Name:      "plan",
				Usage:     "print the expanded runs, one per line",
				UsageText: "snn-bench plan [bench.yaml] [--machine NAME] [--json]",
				Flags:     []cli.Flag{machineFlag, &cli.BoolFlag{Name: "json", Usage: "print the plan as JSON"}},
				Action:    planAction,
			},
			{
				Name:      "run",
				Usage:     "build and run every configuration here, one after another, storing each result as it finishes",
				UsageText: "snn-bench run [bench.yaml] [-o results/] [--machine NAME] [--bin DIR] [--rerun]",
				Flags: []cli.Flag{machineFlag, outFlag, binFlag, forceFlag,
					&cli.BoolFlag{Name: "rerun", Usage: "run again the runs that already have a result (default: keep them and resume)"}},
				Action: runAction,
			},
			{
				Name:      "submit",
				Usage:     "render SLURM job scripts from the templates and submit them: builds, run arrays (afterok), collect (afterany)",
				UsageText: "snn-bench submit [bench.yaml] [-o results/] [--machine NAME] [--templates DIR] [--dry-run]",
				Flags: []cli.Flag{machineFlag, outFlag, binFlag, forceFlag,
					&cli.StringFlag{Name: "templates", Usage: "folder of *.tmpl files that replace the embedded job templates (see jobs/README.md)"},
					&cli.BoolFlag{Name: "dry-run", Usage: "print the scripts and the sbatch lines; write and submit nothing"},
					&cli.StringFlag{Name: "sbatch", Value: "sbatch", Usage: "the sbatch command"}},
				Action: submitAction,
			},
			{
				Name:      "status",
				Usage:     "which builds and runs are pending, running, done, failed or cancelled, with their logs",
				UsageText: "snn-bench status results/ [--wait] [--timeout 30m] [--json]",
				Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"},
					&cli.BoolFlag{Name: "wait", Usage: "poll until nothing is pending or running; exit 1 if anything failed"},
					&cli.DurationFlag{Name: "timeout", Value: 30 * time.Minute, Usage: "give up --wait after this long"},
					&cli.DurationFlag{Name: "interval", Value: 2 * time.Second, Usage: "--wait's polling interval"}},
				Action: statusAction,
			},
			{
				Name:      "collect",
				Usage:     "merge the finished runs into the results store (idempotent)",
				UsageText: "snn-bench collect results/",
				Action:    collectAction,
			},
			{
				Name:      "export",
				Usage:     "write the store as JSON lines (for snn-report -, pandas, jq) or Go benchmark format (for benchstat)",
				UsageText: "snn-bench export results/ --format jsonl|gobench [-o FILE]",
				Flags: []cli.Flag{&cli.StringFlag{Name: "format", Value: "jsonl", Usage: "jsonl or gobench"},
					&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "-", Usage: "file, or - for stdout"}},
				Action: exportAction,
			},
		},
	}
}

// loadPlan reads the config named by the first argument and expands it for
// the machine.
func loadPlan(c *cli.Context) (*bench.Plan, error) {
	var cfg *bench.Config
	var err error
	switch c.NArg() {
	case 0:
		fmt.Fprintln(os.Stderr, "snn-bench: no config given: using the embedded default benchmark (snn-bench example prints it)")
		cfg, err = bench.LoadDefaultConfig()
	case 1:
		cfg, err = bench.LoadConfig(c.Args().First())
	default:
		return nil, cliargs.Usagef("give one benchmark config (YAML), or none for the embedded default; see snn-bench example")
	}
	if err != nil {
		return nil, err
	}
	m, err := bench.LoadMachine(c.String("machine"))
	if err != nil {
		return nil, err
	}
	p, err := bench.Expand(cfg, m)
	if err != nil {
		return nil, err
	}
	for _, w := range p.Warnings {
		fmt.Fprintln(os.Stderr, "snn-bench: warning:", w)
	}
	return p, nil
}

// loadPlanAndBins is loadPlan and the binaries the plan's jobs run.
func loadPlanAndBins(c *cli.Context) (*bench.Plan, bench.Bins, error) {
	p, err := loadPlan(c)
	if err != nil {
		return nil, bench.Bins{}, err
	}
	bins, err := bench.FindBins(c.String("bin"))
	return p, bins, err
}

func planAction(c *cli.Context) error {
	p, err := loadPlan(c)
	if err != nil {
		return err
	}
	if c.Bool("json") {
		return writeJSON(os.Stdout, p)
	}
	return p.WriteText(os.Stdout)
}

func runAction(c *cli.Context) error {
	p, bins, err := loadPlanAndBins(c)
	if err != nil {
		return err
	}
	dir := c.String("out")
	if err := p.Prepare(dir, c.Bool("force")); err != nil {
		return err
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	fmt.Fprintf(os.Stderr, "snn-bench: %d runs of %d networks on machine %s into %s\n", len(p.Runs), len(p.Networks), p.Machine.Name, dir)
	sum, err := bench.RunLocal(ctx, p, dir, bench.LocalOptions{Bins: bins, Out: os.Stderr, Rerun: c.Bool("rerun")})
	if sum != nil {
		fmt.Fprintf(os.Stderr, "snn-bench: %d runs: %d ran, %d kept from before, %d failed; %d added to %s\n",
			sum.Total, sum.Ran, sum.Reused, len(sum.Failed), sum.Stored, filepath.Join(dir, results.StoreDir))
		for _, f := range sum.Failed {
			fmt.Fprintf(os.Stderr, "  FAILED %s: %s (log %s)\n", f.Run, f.Reason, filepath.Join(dir, f.Log))
		}
	}
	return err
}

func submitAction(c *cli.Context) error {
	p, bins, err := loadPlanAndBins(c)
	if err != nil {
		return err
	}
	t, err := bench.LoadTemplates(c.String("templates"))
	if err != nil {
		return err
	}
	scripts, err := bench.Render(p, t, bins)
	if err != nil {
		return err
	}
	dir := c.String("out")
	if c.Bool("dry-run") {
		return bench.WriteDryRun(os.Stdout, dir, scripts)
	}
	if _, err := os.Stat(filepath.Join(dir, bench.SlurmDir, bench.JobsFile)); err == nil && !c.Bool("force") {
		return fmt.Errorf("%s was submitted before (%s): use another -o, or --force to submit again", dir, filepath.Join(dir, bench.SlurmDir, bench.JobsFile))
	}
	if err := p.Prepare(dir, c.Bool("force")); err != nil {
		return err
	}
	if err := bench.WriteScripts(dir, scripts); err != nil {
		return err
	}
	rec, err := bench.Submit(c.Context, dir, scripts, bench.SubmitOptions{Log: os.Stdout, Sbatch: c.String("sbatch")})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "snn-bench: submitted %d jobs for %d runs; job IDs in %s; follow with: snn-bench status %s\n",
		len(rec.Jobs), len(p.Runs), filepath.Join(dir, bench.SlurmDir, bench.JobsFile), dir)
	return nil
}

func statusAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("give one results directory")
	}
	dir := c.Args().First()
	deadline := time.Now().Add(c.Duration("timeout"))
	for {
		st, err := bench.Status(c.Context, dir)
		if err != nil {
			return err
		}
		n := bench.CountStates(st)
		busy := n[bench.StatePending] + n[bench.StateRunning]
		if !c.Bool("wait") || busy == 0 || time.Now().After(deadline) {
			if c.Bool("json") {
				if err := writeJSON(os.Stdout, st); err != nil {
					return err
				}
			} else if err := bench.WriteStatus(os.Stdout, st); err != nil {
				return err
			}
			if c.Bool("wait") {
				if busy > 0 {
					return fmt.Errorf("%d tasks still pending or running after %s", busy, c.Duration("timeout"))
				}
				if bad := n[bench.StateFailed] + n[bench.StateCancelled] + n[bench.StateUnknown]; bad > 0 {
					return fmt.Errorf("%d of %d tasks failed, were cancelled or are unknown", bad, len(st))
				}
			}
			return nil
		}
		select {
		case <-c.Context.Done():
			return c.Context.Err()
		case <-time.After(c.Duration("interval")):
		}
	}
}

func collectAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("give one results directory")
	}
	dir := c.Args().First()
	s, err := bench.Collect(dir, os.Stderr)
	if s != nil {
		fmt.Printf("collected %s: %d added, %d already in the store, %d without a result\n", dir, s.Added, s.Present, s.Missing)
	}
	return err
}

func exportAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("give one results directory or store")
	}
	format := c.String("format")
	if format != "jsonl" && format != "gobench" {
		return cliargs.Usagef("--format %q: want jsonl or gobench", format)
	}
	recs, err := results.ReadStore(c.Args().First())
	if err != nil {
		return err
	}
	write := func(w io.Writer) error {
		if format == "gobench" {
			return results.WriteGoBench(w, recs)
		}
		return results.WriteJSONL(w, recs)
	}
	if out := c.String("out"); out != "-" {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return err
		}
		return outdir.WriteBytes(out, b.Bytes())
	}
	return write(os.Stdout)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
