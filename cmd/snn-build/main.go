// Command snn-build builds a spiking network, partitioned over ranks, into
// Arrow files: see `snn-build --help` and the README.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/snnkit/snnkit/pkg/build"
	"github.com/snnkit/snnkit/pkg/cliargs"
	"github.com/snnkit/snnkit/pkg/comm/launch"
	"github.com/snnkit/snnkit/pkg/meta"
	"github.com/snnkit/snnkit/pkg/model"
	"github.com/snnkit/snnkit/pkg/netfile"
	"github.com/snnkit/snnkit/pkg/progress"
)

func main() {
	app := &cli.App{
		Name:    "snn-build",
		Usage:   "build a spiking network, partitioned over ranks, into Arrow files",
		Version: meta.ToolInfo().String(),
		UsageText: `snn-build --model NAME [--set KEY=VALUE]... [--seed S] [--ranks R] [--threads T] -o DIR
   snn-build --model-file FILE.yaml [...] -o DIR
   mpirun -np R snn-build --model NAME -o DIR       (each MPI rank builds and writes its own part)
   snn-build models | show NAME | inspect DIR`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "model", Aliases: []string{"m"}, Usage: "built-in model (see `snn-build models`)"},
			&cli.StringFlag{Name: "model-file", Aliases: []string{"f"}, Usage: "YAML model file (`snn-build show NAME` prints one)"},
			&cli.StringSliceFlag{Name: "set", Usage: "override a parameter: scale=0.5, populations.E.size=100 (repeatable)"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "random seed: the network depends only on the model and the seed"},
			&cli.IntFlag{Name: "ranks", Aliases: []string{"r"}, Usage: "number of partitions, built by in-process ranks (default 1; under mpirun: the MPI size)"},
			&cli.IntFlag{Name: "threads", Aliases: []string{"t"}, Value: 1, Usage: "threads per rank"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "network directory to create"},
			&cli.BoolFlag{Name: "force", Usage: "replace an existing network directory"},
			&cli.StringFlag{Name: "compress", Value: "none", Usage: "Arrow IPC buffer compression: none, zstd or lz4"},
			&cli.BoolFlag{Name: "json", Usage: "print the build's figures as JSON on stdout"},
		},
		Action: buildAction,
		Commands: []*cli.Command{
			{
				Name:  "models",
				Usage: "list the built-in models with their parameters and defaults",
				Action: func(c *cli.Context) error {
					return model.WriteCatalog(os.Stdout)
				},
			},
			{
				Name:      "show",
				Usage:     "print a built-in model as a YAML model file, to copy and edit",
				ArgsUsage: "NAME",
				Flags:     []cli.Flag{&cli.StringSliceFlag{Name: "set", Usage: "override a parameter (repeatable)"}},
				Action:    showAction,
			},
			{
				Name:      "inspect",
				Usage:     "verify a network directory and summarise it",
				ArgsUsage: "DIR",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "no-checksums", Usage: "check sizes and schemas only, skip SHA-256"},
					&cli.BoolFlag{Name: "json", Usage: "print the manifest and figures as JSON"},
				},
				Action: inspectAction,
			},
		},
	}
	cliargs.Main(app)
}

// loadModel resolves --model or --model-file with --set overrides.
func loadModel(c *cli.Context) (*model.Model, error) {
	sets, err := model.ParseSets(c.StringSlice("set"))
	if err != nil {
		return nil, cliargs.UsageError{Err: err}
	}
	name, file := c.String("model"), c.String("model-file")
	switch {
	case name != "" && file != "":
		return nil, cliargs.Usagef("give either --model or --model-file, not both")
	case name != "":
		return model.Builtin(name, sets)
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read model file: %w", err)
		}
		return model.Parse(file, data, sets)
	}
	return nil, cliargs.Usagef("no model: give --model NAME (one of %v) or --model-file FILE", model.BuiltinNames())
}

func buildAction(c *cli.Context) error {
	if c.NArg() > 0 {
		return cliargs.Usagef("unexpected argument %q (see snn-build --help)", c.Args().First())
	}
	m, err := loadModel(c)
	if err != nil {
		return err
	}
	if c.String("out") == "" {
		return cliargs.Usagef("no output directory: give -o DIR")
	}
	if c.Int("threads") < 1 {
		return cliargs.Usagef("--threads %d: must be at least 1", c.Int("threads"))
	}
	opts := build.Options{
		Model: m, Seed: c.Uint64("seed"), Threads: c.Int("threads"), Out: c.String("out"), Force: c.Bool("force"),
		Write:    netfile.WriteOptions{Compression: c.String("compress")},
		Creator:  "snn-build " + meta.ToolInfo().String(),
		Progress: new(atomic.Int64),
		Writing:  new(atomic.Int32),
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	world, stop, err := launch.World()
	if err != nil {
		return err
	}
	ranks, rank := c.Int("ranks"), 0
	if world != nil {
		defer stop()
		if ranks != 0 && ranks != world.Size() {
			return cliargs.Usagef("--ranks %d under an MPI launcher with %d processes: leave --ranks out, or use mpirun -np %d", ranks, world.Size(), ranks)
		}
		ranks, rank = world.Size(), world.Rank()
	} else if ranks == 0 {
		ranks = 1
	}
	if ranks < 1 {
		return cliargs.Usagef("--ranks %d: must be at least 1", ranks)
	}
	tty := progress.IsTerminal(os.Stderr)
	var work int64
	if world != nil {
		work = build.Work(m, rank, ranks)
	} else {
		for r := 0; r < ranks; r++ {
			work += build.Work(m, r, ranks)
		}
	}
	var stopBar func()
	if tty {
		label := func() string {
			if opts.Writing.Load() > 0 {
				return "building " + m.Name + ": writing files"
			}
			return "building " + m.Name + ": connecting"
		}
		stopBar = progress.Bar(os.Stderr, label, work, opts.Progress, time.Second)
	}
	var res *build.Result
	if world != nil {
		res, err = build.Run(ctx, opts, world)
	} else {
		res, err = build.InProc(ctx, opts, ranks)
	}
	if stopBar != nil {
		stopBar()
	}
	if err != nil {
		return err
	}
	if res == nil {
		return nil // a non-zero MPI rank: rank 0 reports
	}
	if !tty {
		for _, s := range res.RankStats {
			fmt.Fprintln(os.Stderr, s.Line(res.Ranks))
		}
	}
	if c.Bool("json") {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return res.WriteText(os.Stdout)
}

func showAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("show needs one built-in model name (one of %v)", model.BuiltinNames())
	}
	sets, err := model.ParseSets(c.StringSlice("set"))
	if err != nil {
		return cliargs.UsageError{Err: err}
	}
	m, err := model.Builtin(c.Args().First(), sets)
	if err != nil {
		return err
	}
	b, err := model.Marshal(m, model.Header(m.Name, sets))
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}

func inspectAction(c *cli.Context) error {
	if c.NArg() != 1 {
		return cliargs.Usagef("inspect needs one network directory")
	}
	s, err := netfile.Inspect(c.Args().First(), !c.Bool("no-checksums"))
	if err != nil {
		return err
	}
	if c.Bool("json") {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	return s.WriteText(os.Stdout)
}
