// Package parallel is govlm's one worker pool. Work is split into contiguous
// ranges of an index space; each index is handled by exactly one worker, so a
// computation whose per-index result does not depend on the split gives
// bit-identical results for any number of workers.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

var workers atomic.Int32

// SetWorkers sets how many goroutines For may use; n < 1 means GOMAXPROCS.
// It returns the previous setting.
func SetWorkers(n int) int {
	old := int(workers.Load())
	if n < 1 {
		n = 0
	}
	workers.Store(int32(n))
	if old == 0 {
		old = runtime.GOMAXPROCS(0)
	}
	return old
}

// Workers reports how many goroutines For may use.
func Workers() int {
	if n := int(workers.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// For calls fn(lo, hi) over disjoint ranges covering [0, n). Ranges are at
// least grain long (except the last) and there are at most Workers() of them;
// with one worker, or n <= grain, fn runs once on the calling goroutine.
func For(n, grain int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	w := Workers()
	chunks := (n + grain - 1) / grain
	if chunks > w {
		chunks = w
	}
	if chunks <= 1 {
		fn(0, n)
		return
	}
	size := (n + chunks - 1) / chunks
	var wg sync.WaitGroup
	for lo := size; lo < n; lo += size {
		hi := min(lo+size, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	fn(0, min(size, n))
	wg.Wait()
}
