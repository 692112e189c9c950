package cliargs

import (
	"bytes"
	"errors"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestRunExitStatus(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"ok", nil, 0, ""},
		{"usage", Usagef("give %d inputs", 2), 2, "tool: give 2 inputs\n"},
		{"wrapped usage", errors.Join(errors.New("x"), Usagef("bad flag")), 2, "tool: x\nbad flag\n"},
		{"failure", errors.New("disk full"), 1, "tool: disk full\n"},
		{"silent", SilentError{errors.New("regression")}, 1, ""},
	} {
		app := &cli.App{Name: "tool", Action: func(*cli.Context) error { return tc.err }}
		var stderr bytes.Buffer
		if code := Run(app, []string{"tool"}, &stderr); code != tc.code || stderr.String() != tc.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", tc.name, code, stderr.String(), tc.code, tc.stderr)
		}
	}
}
