//go:build !linux

package meta

// PeakRSS returns 0: peak memory is only measured on Linux.
func PeakRSS() int64 { return 0 }
