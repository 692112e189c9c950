// Package cmdtest builds the toolkit's commands for tests and runs them the
// way a user does: as separate processes, checking output and exit status.
package cmdtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build compiles the named commands of cmd/ (e.g. "snn-build") with the
// go build tags into a new temporary folder and returns it; the caller
// removes it. Use it from TestMain.
func Build(tags string, cmds ...string) (string, error) {
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	dir, err := os.MkdirTemp("", "snnkit-cmdtest")
	if err != nil {
		return "", err
	}
	args := []string{"build", "-o", dir + string(filepath.Separator)}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	for _, c := range cmds {
		args = append(args, "./cmd/"+c)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return dir, nil
}

// Main builds cmds into a temporary folder, calls found with it, runs the
// tests and removes the folder: the body of a TestMain.
func Main(m *testing.M, found func(dir string), tags string, cmds ...string) {
	d, err := Build(tags, cmds...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	found(d)
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}

// Cmd is a command to run: Stdin, Dir and Env are optional.
type Cmd struct {
	Stdin []byte
	Dir   string
	Env   []string
}

// Run runs name with args and returns its stdout, stderr and exit status;
// a failure to start it fails the test.
func (c Cmd) Run(t testing.TB, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = c.Dir
	if c.Env != nil {
		cmd.Env = c.Env
	}
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), errb.String(), 0
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	}
	t.Fatalf("run %s: %v", name, err)
	return "", "", -1
}

// Run runs name with args (see Cmd.Run).
func Run(t testing.TB, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return Cmd{}.Run(t, name, args...)
}
