package cliargs

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// UsageError marks bad command-line usage: Run exits with status 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef formats a UsageError.
func Usagef(format string, args ...any) error { return UsageError{fmt.Errorf(format, args...)} }

// SilentError fails a command whose verdict it has already printed: Run
// exits with status 1 without printing the error.
type SilentError struct{ Err error }

func (e SilentError) Error() string { return e.Err.Error() }
func (e SilentError) Unwrap() error { return e.Err }

// Run runs app on args (positional arguments moved behind the flags, see
// Interspersed) and returns the exit status: 0, 2 for a UsageError, 1 for
// any other error, which it prints to stderr as "APP: error" unless it is
// a SilentError.
func Run(app *cli.App, args []string, stderr io.Writer) int {
	err := app.Run(Interspersed(app, args))
	if err == nil {
		return 0
	}
	var se SilentError
	if errors.As(err, &se) {
		return 1
	}
	fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
	var ue UsageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// Main is Run on os.Args with os.Exit: the body of a command's main.
func Main(app *cli.App) { os.Exit(Run(app, os.Args, os.Stderr)) }
