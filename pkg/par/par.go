// Package par runs a function on several goroutines.
package par

import "sync"

// Do runs fn(t) for t in [0, n) on n goroutines and returns the first
// error by t.
func Do(n int, fn func(t int) error) error {
	if n == 1 {
		return fn(0)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for t := 0; t < n; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[t] = fn(t)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
