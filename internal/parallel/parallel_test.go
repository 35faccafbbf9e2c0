package parallel

import (
	"sync/atomic"
	"testing"
)

func TestForCoversEveryIndexOnce(t *testing.T) {
	defer SetWorkers(SetWorkers(0))
	for _, workers := range []int{1, 2, 3, 7} {
		SetWorkers(workers)
		for _, n := range []int{0, 1, 2, 5, 16, 17, 100, 1023} {
			for _, grain := range []int{0, 1, 4, 64} {
				hits := make([]int32, n)
				var calls atomic.Int32
				For(n, grain, func(lo, hi int) {
					calls.Add(1)
					if lo >= hi {
						t.Errorf("n=%d grain=%d: empty range [%d,%d)", n, grain, lo, hi)
					}
					for i := lo; i < hi; i++ {
						atomic.AddInt32(&hits[i], 1)
					}
				})
				for i, h := range hits {
					if h != 1 {
						t.Fatalf("workers=%d n=%d grain=%d: index %d visited %d times", workers, n, grain, i, h)
					}
				}
				if c := int(calls.Load()); c > workers {
					t.Fatalf("workers=%d n=%d: %d ranges, more than the workers", workers, n, c)
				}
			}
		}
	}
}

func TestSetWorkers(t *testing.T) {
	old := SetWorkers(3)
	defer SetWorkers(old)
	if Workers() != 3 {
		t.Fatalf("Workers() = %d, want 3", Workers())
	}
	if prev := SetWorkers(0); prev != 3 {
		t.Fatalf("SetWorkers returned %d, want 3", prev)
	}
	if Workers() < 1 {
		t.Fatal("default worker count below 1")
	}
}
