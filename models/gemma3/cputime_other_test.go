//go:build !unix

package gemma3

import "time"

// cpuTime is not measured on this platform.
func cpuTime() time.Duration { return 0 }
