//go:build mpi

package mpi

import (
	"fmt"
	"os"
	"testing"

	"github.com/snnkit/snnkit/pkg/comm/commtest"
)

var w *World

func TestMain(m *testing.M) {
	var err error
	if w, err = Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	w.Stop()
	os.Exit(code)
}

func TestConformance(t *testing.T) {
	if err := commtest.Check(w); err != nil {
		t.Fatalf("rank %d of %d: %v", w.Rank(), w.Size(), err)
	}
}

func TestLibraryVersion(t *testing.T) {
	if v := LibraryVersion(); v == "" {
		t.Fatal("no MPI library version")
	} else {
		t.Log(v)
	}
}
