package media

import (
	"math/rand/v2"
	"testing"
)

// TestDotU8 checks the dispatched kernel against the reference loop for
// lengths around the 8-lane width, several strides and tap counts, and that
// nothing past len(dst) is written.
func TestDotU8(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 48, 100} {
		for _, ntaps := range []int{1, 2, 5, 27} {
			stride := n + rng.IntN(5)
			src := make([]uint8, (ntaps-1)*stride+n)
			for i := range src {
				src[i] = uint8(rng.IntN(256))
			}
			taps := make([]int32, ntaps)
			for i := range taps {
				taps[i] = int32(rng.IntN(1<<22)) - 1<<21
			}
			got := make([]int32, n+4)
			want := make([]int32, n)
			for i := range want {
				want[i] = int32(i) * 1000
				got[i] = want[i]
			}
			for i := n; i < len(got); i++ {
				got[i] = -7 // guard
			}
			dotU8(got[:n], src, stride, taps)
			dotU8Generic(want, src, stride, taps)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("n=%d taps=%d: lane %d = %d, want %d", n, ntaps, i, got[i], want[i])
				}
			}
			for i := n; i < len(got); i++ {
				if got[i] != -7 {
					t.Fatalf("n=%d taps=%d: wrote past the end", n, ntaps)
				}
			}
		}
	}
}
