//go:build !linux

package netfile

// adviseHuge does nothing where transparent huge pages are not available.
func adviseHuge([]byte) {}
