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
		flops := int64(m) * int64(k) * int64(n)
		if testing.Short() && flops > 1<<30 {
			continue
		}
		for _, mc := range []matCase{{FormatF32, 0}, {FormatF16, 0}, {FormatBF16, 0}, {FormatQ4, 64}, {FormatQ8, 64}} {
			if mc.format != FormatF32 && flops > 1<<32 {
				continue
			}
			var a, c []float32
			var w *Mat
			for _, threads := range []int{1, 2} {
				b.Run(fmt.Sprintf("%v/%dx%dx%d/t%d", mc, m, k, n, threads), func(b *testing.B) {
					if w == nil { // built on first use, so -bench filters stay cheap
						a, c, w = randF32(r, m*k), make([]float32, m*n), randMat(r, mc, n, k)
					}
					benchTiers(b, func(b *testing.B) {
						for b.Loop() {
							gemmSplit(c, a, m, w, threads)
						}
						b.ReportMetric(2*float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
					})
				})
			}
		}
	}
}

func BenchmarkDotF32(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 2))
	x, y := randF32(r, 4096), randF32(r, 4096)
	benchTiers(b, func(b *testing.B) {
		b.SetBytes(2 * 4 * 4096)
		for b.Loop() {
			DotF32(x, y)
		}
	})
}

func BenchmarkAxpyF32(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 3))
	x, y := randF32(r, 4096), randF32(r, 4096)
	benchTiers(b, func(b *testing.B) {
		b.SetBytes(3 * 4 * 4096)
		for b.Loop() {
			AxpyF32(1e-9, x, y)
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 4))
	f := randF32(r, 4096)
	h := make([]uint16, 4096)
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"F16ToF32", func() { F16ToF32(f, h) }},
		{"BF16ToF32", func() { BF16ToF32(f, h) }},
		{"F32ToF16", func() { F32ToF16(h, f) }},
		{"F32ToBF16", func() { F32ToBF16(h, f) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				b.SetBytes(6 * 4096)
				for b.Loop() {
					tc.fn()
				}
			})
		})
	}
}

// matBytes is the storage size of w's values (with scales and biases).
func matBytes(w *Mat) int64 {
	return int64(4*len(w.F32) + 2*len(w.U16) + 4*len(w.Q) + 4*len(w.Scales) + 4*len(w.Biases))
}

func BenchmarkMatVec(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 5))
	const rows, cols = 4864, 896
	x := randF32(r, cols)
	y := make([]float32, rows)
	for _, mc := range []matCase{{FormatF32, 0}, {FormatF16, 0}, {FormatBF16, 0}, {FormatQ4, 64}, {FormatQ8, 64}} {
		w := randMat(r, mc, rows, cols)
		b.Run(mc.String(), func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				b.SetBytes(matBytes(w))
				for b.Loop() {
					MatVec(y, w, 0, rows, x)
				}
			})
		})
	}
}

func BenchmarkMatVecQ(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 6))
	const rows, cols = 4864, 896
	x := randF32(r, cols)
	y := make([]float32, rows)
	var act ActQ8
	for _, mc := range []matCase{{FormatQ4, 32}, {FormatQ4, 64}, {FormatQ8, 64}} {
		w := randMat(r, mc, rows, cols)
		b.Run(mc.String(), func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				b.SetBytes(matBytes(w))
				QuantizeActQ8(&act, x)
				for b.Loop() {
					MatVecQ(y, w, 0, rows, &act)
				}
			})
		})
	}
}

func BenchmarkQuantizeActQ8(b *testing.B) {
	x := randF32(rand.New(rand.NewPCG(2, 7)), 4864)
	var act ActQ8
	benchTiers(b, func(b *testing.B) {
		b.SetBytes(4 * 4864)
		for b.Loop() {
			QuantizeActQ8(&act, x)
		}
	})
}

// BenchmarkGemmF32 covers attention-sized products: scores = Q·Kᵀ (NT) and
// out = P·V (NN) for one head of 64 over 512 positions.
func BenchmarkGemmF32(b *testing.B) {
	r := rand.New(rand.NewPCG(2, 8))
	const seq, d = 512, 64
	q, k, v := randF32(r, seq*d), randF32(r, seq*d), randF32(r, seq*d)
	s := make([]float32, seq*seq)
	o := make([]float32, seq*d)
	b.Run("NT", func(b *testing.B) {
		benchTiers(b, func(b *testing.B) {
			for b.Loop() {
				GemmF32NT(seq, seq, d, q, d, k, d, s, seq, false)
			}
			b.ReportMetric(2*float64(seq*seq*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	})
	b.Run("NN", func(b *testing.B) {
		benchTiers(b, func(b *testing.B) {
			for b.Loop() {
				GemmF32NN(seq, d, seq, s, seq, v, d, o, d, false)
			}
			b.ReportMetric(2*float64(seq*seq*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	})
}

// BenchmarkGemmF32Decode has decode attention's shapes: the g query heads
// of one key/value group (2, 3 as SmolLM2, 7 as Qwen2-0.5B) against a chunk
// of 512 keys (NT, head dim 64), then the weights times the values (NN).
func BenchmarkGemmF32Decode(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 8))
	const keys, d = 512, 64
	for _, g := range []int{2, 3, 7} {
		q, k, v := randF32(r, g*d), randF32(r, keys*2*d), randF32(r, keys*2*d)
		s := make([]float32, g*keys)
		o := make([]float32, g*d)
		b.Run(fmt.Sprintf("NT/g%d", g), func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				for b.Loop() {
					GemmF32NT(g, keys, d, q, d, k, 2*d, s, keys, false)
				}
				b.ReportMetric(2*float64(g*keys*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		})
		b.Run(fmt.Sprintf("NN/g%d", g), func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				for b.Loop() {
					GemmF32NN(g, d, keys, s, keys, v, 2*d, o, d, false)
				}
				b.ReportMetric(2*float64(g*keys*d)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
			})
		})
	}
}

// BenchmarkRowOps covers the per-layer row operations at Qwen2-0.5B's MLP
// width.
func BenchmarkRowOps(b *testing.B) {
	const n = 4864
	r := rand.New(rand.NewPCG(2, 9))
	x, up, w := randF32(r, n), randF32(r, n), randF32(r, n)
	dst := make([]float32, n)
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"Softmax", func() { copy(dst, x); SoftmaxF32(dst) }},
		{"RMSNorm", func() { RMSNormF32(dst, x, w, 1e-6) }},
		{"SiLU", func() { SiLUF32(dst, x) }},
		{"SiLUMul", func() { SiLUMulF32(dst, x, up) }},
		{"GELUTanh", func() { GELUTanhF32(dst, x) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchTiers(b, func(b *testing.B) {
				b.SetBytes(4 * n)
				for b.Loop() {
					tc.fn()
				}
			})
		})
	}
}
