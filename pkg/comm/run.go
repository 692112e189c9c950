package comm

import (
	"errors"
	"sync"
)

// RunInProc runs fn once per rank of an in-process job of size ranks, each in
// its own goroutine, and returns the errors joined. A rank whose fn fails
// aborts the job, so the other ranks' collective calls return instead of
// waiting forever.
func RunInProc(size int, fn func(c Comm) error) error {
	cs, err := NewInProc(size)
	if err != nil {
		return err
	}
	errs := make([]error, size)
	var wg sync.WaitGroup
	for r, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(c); err != nil {
				errs[r] = err
				c.Abort(err)
			}
		}()
	}
	wg.Wait()
	// Report the root causes, not the ErrAborted echoes of other ranks.
	var first []error
	for _, e := range errs {
		if e != nil && !errors.Is(e, ErrAborted) {
			first = append(first, e)
		}
	}
	if len(first) == 0 {
		return errors.Join(errs...)
	}
	return errors.Join(first...)
}
