package cliargs

import (
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// newApp is a command with snn-report's shape: root flags and
// subcommands with their own.
func newApp() *cli.App {
	return &cli.App{
		Name: "snn-report",
		Flags: []cli.Flag{&cli.StringFlag{Name: "by"}, &cli.StringSliceFlag{Name: "out", Aliases: []string{"o"}},
			&cli.BoolFlag{Name: "json"}},
		Commands: []*cli.Command{
			{Name: "compare", Flags: []cli.Flag{&cli.Float64Flag{Name: "alpha"}, &cli.StringFlag{Name: "fail-on-regression"},
				&cli.StringSliceFlag{Name: "out", Aliases: []string{"o"}}}},
			{Name: "history", Flags: []cli.Flag{&cli.Int64Flag{Name: "seed"}, &cli.BoolFlag{Name: "json"}}},
		},
	}
}

func TestInterspersed(t *testing.T) {
	app := newApp()
	tests := []struct{ in, want string }{
		{"snn-report results/ -o report.html", "snn-report -o report.html -- results/"},
		{"snn-report results/ --json", "snn-report --json -- results/"},
		{"snn-report - --by model,ranks", "snn-report --by model,ranks -- -"},
		{"snn-report --by=model a b", "snn-report --by=model -- a b"},
		{"snn-report compare base new --fail-on-regression 5% -o x.md", "snn-report compare --fail-on-regression 5% -o x.md -- base new"},
		{"snn-report history r/ --seed 3 --json", "snn-report history --seed 3 --json -- r/"},
		{"snn-report a -- -o", "snn-report -- a -o"},
		{"snn-report --help", "snn-report --help"},
		{"snn-report", "snn-report"},
	}
	for _, tc := range tests {
		got := strings.Join(Interspersed(app, strings.Fields(tc.in)), " ")
		if got != tc.want {
			t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzInterspersed checks that reordering keeps every argument, keeps the
// command name first and never panics.
func FuzzInterspersed(f *testing.F) {
	for _, s := range []string{"results/ -o x.html", "compare a b --alpha 0.1", "history - --seed", "-- -o", "--by=a,b x", "-"} {
		f.Add(s)
	}
	app := newApp()
	f.Fuzz(func(t *testing.T, s string) {
		args := append([]string{"snn-report"}, strings.Fields(s)...)
		out := Interspersed(app, args)
		if out[0] != "snn-report" {
			t.Fatalf("%q → %q", args, out)
		}
		count := map[string]int{}
		for _, a := range args {
			count[a]++
		}
		for _, a := range out {
			count[a]--
		}
		for a, n := range count {
			if n != 0 && !(a == "--" && n < 0) && !(a == "--" && n == 1) {
				t.Fatalf("%q → %q: %q count off by %d", args, out, a, n)
			}
		}
	})
}
