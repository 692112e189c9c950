// Command snn-run simulates a network built by snn-build: see
// `snn-run --help` and the README.
package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/snnkit/snnkit/pkg/cliargs"
	"github.com/snnkit/snnkit/pkg/comm/launch"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/progress"
	"github.com/snnkit/snnkit/pkg/results"
	"github.com/snnkit/snnkit/pkg/sim"
)

func main() {
	app := &cli.App{
		Name:    "snn-run",
		Usage:   "simulate a network built by snn-build",
		Version: meta.ToolInfo().String(),
		UsageText: `snn-run NETDIR [--ranks R] [--threads T] [--t-presim MS] [--t-sim MS] [--comm collective|p2p] -o RUNDIR
   mpirun -np R snn-run NETDIR ...      (one rank per MPI process)`,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "ranks", Aliases: []string{"r"}, Usage: "in-process ranks; must equal the network's partition count (default: that count; under mpirun: the MPI size)"},
			&cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 1, Usage: "threads per rank"},
			&cli.Float64Flag{Name: "t-presim", Value: 100, Usage: "warm-up model time in ms (not measured)"},
			&cli.Float64Flag{Name: "t-sim", Value: 1000, Usage: "measured model time in ms"},
			&cli.StringFlag{Name: "comm", Value: sim.CommCollective, Usage: "spike exchange: collective (Allgather) or p2p (only to the ranks that need each spike)"},
			&cli.StringFlag{Name: "backend", Value: "cpu", Usage: "cpu (cuda needs a build with -tags cuda)"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "run directory to create (spikes and result.json)"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing run directory"},
			&cli.BoolFlag{Name: "json", Usage: "print result.json on stdout"},
		},
		Action: run,
	}
	cliargs.Main(app)
}

func run(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("give one network directory (built by snn-build)")
	}
	if c.String("out") == "" {
		return cliargs.Usagef("no run directory: give -o DIR")
	}
	if b := c.String("backend"); b != "cpu" {
		return cliargs.Usagef("--backend %s: this snn-run was built without CUDA support (accepted: cpu); GPU builds use make build-cuda where CUDA is installed", b)
	}
	if c.Int("threads") < 1 || !(c.Float64("t-sim") >= 0) || !(c.Float64("t-presim") >= 0) {
		return cliargs.Usagef("--threads must be at least 1, --t-sim and --t-presim at least 0")
	}
	net := c.Args().First()
	man, err := netfile.ReadManifest(net)
	if err != nil {
		return err
	}
	steps := new(atomic.Int64)
	opts := sim.JobOptions{Net: net, Out: c.String("out"), Force: c.Bool("force"), MPILibrary: launch.MPILibrary(),
		Config: sim.Config{Threads: c.Int("threads"), TPresim: c.Float64("t-presim"), TSim: c.Float64("t-sim"), Comm: c.String("comm"), Progress: steps}}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	world, stop, err := launch.World()
	if err != nil {
		return err
	}
	ranks := man.Ranks
	if world != nil {
		defer stop()
	} else if r := c.Int("ranks"); r != 0 {
		ranks = r
	}
	total := int64(math.Round(opts.Config.TPresim/man.Dt) + math.Round(opts.Config.TSim/man.Dt))
	var stopProgress func()
	if world == nil || world.Rank() == 0 {
		stopProgress = progress.Sim(os.Stderr, progress.IsTerminal(os.Stderr), total, man.Dt, steps, 10*time.Second)
	}
	var res *results.Result
	if world != nil {
		res, err = sim.RunJob(ctx, opts, world)
	} else {
		res, err = sim.InProcJob(ctx, opts, ranks)
	}
	if stopProgress != nil {
		stopProgress()
	}
	if err != nil || res == nil {
		return err
	}
	if c.Bool("json") {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteText(os.Stdout)
}
