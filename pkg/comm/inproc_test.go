package comm_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/snnkit/snnkit/pkg/comm"
	"github.com/snnkit/snnkit/pkg/comm/commtest"
)

func TestInProcConformance(t *testing.T) {
	for _, ranks := range []int{1, 2, 3, 4, 8} {
		if err := comm.RunInProc(ranks, commtest.Check); err != nil {
			t.Errorf("%d ranks: %v", ranks, err)
		}
	}
}

// TestAbortWakesEveryone: a failing rank must not leave the others waiting
// in a collective, and RunInProc reports the failure, not the echoes.
func TestAbortWakesEveryone(t *testing.T) {
	done := make(chan error, 1)
	go func() {
		done <- comm.RunInProc(4, func(c comm.Comm) error {
			if c.Rank() == 2 {
				return errors.New("disk full on rank 2")
			}
			if err := c.Barrier(); err != nil {
				if !errors.Is(err, comm.ErrAborted) {
					t.Errorf("rank %d: %v does not wrap ErrAborted", c.Rank(), err)
				}
				return err
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "disk full on rank 2") || errors.Is(err, comm.ErrAborted) {
			t.Fatalf("RunInProc: %v, want only the root cause", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ranks still waiting 10 s after one failed")
	}
}

func TestBadSizes(t *testing.T) {
	if _, err := comm.NewInProc(0); err == nil {
		t.Fatal("0 ranks: want an error")
	}
}
