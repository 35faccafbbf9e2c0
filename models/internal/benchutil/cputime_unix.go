//go:build unix

package benchutil

import (
	"syscall"
	"time"
)

// CPUTime returns the user+system CPU time the process has used, so that
// benchmarks on a shared machine can report work independent of how long
// they waited for a core.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
