package outdir

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "report.md")
	if err := WriteFile(path, func(w io.Writer) error { _, err := fmt.Fprint(w, "hello"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "hello" {
		t.Fatalf("%q %v", b, err)
	}
	// A failing render leaves the old file and no temporary file.
	err := WriteFile(path, func(w io.Writer) error { fmt.Fprint(w, "partial"); return errors.New("boom") })
	if err == nil {
		t.Fatal("render error lost")
	}
	if b, _ := os.ReadFile(path); string(b) != "hello" {
		t.Errorf("old file replaced by %q", b)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestWriteBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.json")
	for _, want := range []string{"one", "two"} {
		if err := WriteBytes(path, []byte(want)); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != want {
			t.Fatalf("%q %v, want %q", b, err, want)
		}
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v %v, want 0644", st.Mode(), err)
	}
}
