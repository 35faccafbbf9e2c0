package kernels

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
)

// benchTiers runs f as a sub-benchmark per available tier.
func benchTiers(b *testing.B, f func(b *testing.B)) {
	def := CurrentTier()
	defer SetTier(def)
	for _, tier := range Tiers() {
		if err := SetTier(tier); err != nil {
			b.Fatal(err)
		}
		b.Run(tier.String(), f)
	}
}

// gemmSplit calls GemmNT over n split in `threads` contiguous ranges, one
// goroutine each, the way the tensor package parallelises it.
func gemmSplit(c []float32, a []float32, m int, w *Mat, threads int) {
	n := w.Rows
	var wg sync.WaitGroup
	for t := 0; t < threads; t++ {
		lo, hi := n*t/threads, n*(t+1)/threads
		wg.Go(func() { GemmNT(c[lo:], n, a, w.Cols, m, w, lo, hi) })
	}
	wg.Wait()
}

var benchGemmShapes = [][3]int{{1, 896, 4864}, {8, 896, 4864}, {512, 896, 4864}, {1024, 1024, 1024}, {2048, 2048, 2048}}

func BenchmarkGemmNT(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range benchGemmShapes {
		m, k, n := s[0], s[1], s[2]
		if testing.Short() && m*k*n > 1<<30 {
			continue
		}
		a := randF32(r, m*k)
		c := make([]float32, m*n)
		for _, mc := range []matCase{{FormatF32, 0}, {FormatF16, 0}, {FormatBF16, 0}, {FormatQ4, 64}, {FormatQ8, 64}} {
			if mc.format != FormatF32 && m*k*n > 1<<31 {
				continue
			}
			w := randMat(r, mc, n, k)
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/%dx%dx%d/t%d", mc, m, k, n, threads), func(b *testing.B) {
					benchTiers(b, func(b *testing.B) {
						for b.Loop() {
							gemmSplit(c, a, m, w, threads)
						}
						b.ReportMetric(2*float64(m*k*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
					})
				})
			}
		}
	}
}
