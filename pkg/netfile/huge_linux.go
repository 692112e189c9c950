package netfile

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// adviseHuge asks the kernel to back b with transparent huge pages. First
// touches of fresh memory dominate construction on some machines (about
// 12 µs per 4 KiB page on the VMs here); 2 MiB pages make 512 times fewer
// faults. Advice only: errors are ignored.
func adviseHuge(b []byte) {
	const page = 4096
	if len(b) < 4<<20 {
		return
	}
	start := uintptr(unsafe.Pointer(&b[0]))
	skip := (page - start%page) % page
	n := (uintptr(len(b)) - skip) &^ (page - 1)
	_ = unix.Madvise(b[skip:skip+n], unix.MADV_HUGEPAGE)
}
