// Package outdir writes outputs atomically: a command writes a directory
// (Prepare, Commit) or a file (WriteFile, WriteBytes) under a temporary
// name beside the final one and renames it into place only when everything
// is complete, so a failed, cancelled or killed run leaves nothing under
// the final name.
package outdir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Prepare checks that out may be written (it must not exist unless force
// is set, and then it must be a directory holding marker, or empty) and
// creates the temporary directory beside it, which it returns.
func Prepare(out, marker string, force bool) (string, error) {
	if out == "" {
		return "", errors.New("no output directory: give -o DIR")
	}
	out = filepath.Clean(out)
	if st, err := os.Stat(out); err == nil {
		if !force {
			return "", fmt.Errorf("output %s exists: choose another -o or pass --force to replace it", out)
		}
		if err := replaceable(out, marker, st); err != nil {
			return "", err
		}
	} else if !os.IsNotExist(err) {
		return "", fmt.Errorf("output %s: %w", out, err)
	}
	parent := filepath.Dir(out)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("output %s: %w", out, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".partial-")
	if err != nil {
		return "", fmt.Errorf("output %s: %w", out, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp makes it private
		os.Remove(tmp)
		return "", fmt.Errorf("output %s: %w", out, err)
	}
	return tmp, nil
}

// replaceable refuses to --force over anything but a directory holding
// marker (one of ours) or an empty one.
func replaceable(out, marker string, st os.FileInfo) error {
	if !st.IsDir() {
		return fmt.Errorf("output %s exists and is not a directory: refusing to replace it", out)
	}
	if _, err := os.Stat(filepath.Join(out, marker)); err == nil {
		return nil
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("output %s holds no %s: refusing to replace it even with --force", out, marker)
	}
	return nil
}

// Commit moves the finished temporary directory tmp to out, replacing an
// existing out (which Prepare has vetted).
func Commit(tmp, out string) error {
	out = filepath.Clean(out)
	if _, err := os.Stat(out); err != nil {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("move %s into place: %w", out, err)
		}
		return nil
	}
	// Move the old directory aside, put the new one in place, remove the old.
	old, err := os.MkdirTemp(filepath.Dir(out), "."+filepath.Base(out)+".old-")
	if err != nil {
		return fmt.Errorf("replace %s: %w", out, err)
	}
	if err := os.Rename(out, filepath.Join(old, "previous")); err != nil {
		os.Remove(old)
		return fmt.Errorf("replace %s: %w", out, err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("replace %s: %w (the old one is in %s)", out, err, old)
	}
	return os.RemoveAll(old)
}
