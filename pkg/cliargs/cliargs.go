// Package cliargs is what the four commands share around urfave/cli v2:
// flags after positional arguments (which v2 stops parsing at) and the
// exit statuses (0 success, 1 failure, 2 bad usage).
package cliargs

import (
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// Interspersed moves the positional arguments of the command line behind
// the flags, so that `snn-report results/ -o report.html` works: urfave/cli
// v2 stops parsing flags at the first positional argument. Flags that take
// a value keep it; "-" (stdin) is positional; everything after "--" stays
// positional.
func Interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	flags, start := app.Flags, 1
	for _, c := range app.Commands {
		if args[1] == c.Name || slices.Contains(c.Aliases, args[1]) {
			flags, start = c.Flags, 2
		}
	}
	takesValue := map[string]bool{}
	for _, f := range flags {
		if _, ok := f.(*cli.BoolFlag); ok {
			continue
		}
		for _, n := range f.Names() {
			takesValue[n] = true
		}
	}
	var opts, pos []string
	rest := args[start:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			pos = append(pos, rest[i+1:]...)
			i = len(rest)
		case a == "-" || !strings.HasPrefix(a, "-"):
			pos = append(pos, a)
		default:
			opts = append(opts, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				opts = append(opts, rest[i])
			}
		}
	}
	out := append(append([]string(nil), args[:start]...), opts...)
	if len(pos) > 0 {
		out = append(append(out, "--"), pos...)
	}
	return out
}
