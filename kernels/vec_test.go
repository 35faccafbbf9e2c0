package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDotF32(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for _, n := range testSizes() {
			for off := 0; off < 8; off++ {
				x := randF32(r, n+off)[off:]
				y := randF32(r, n+off+3)[off:]
				var mag float64
				for i := range x {
					mag += math.Abs(float64(x[i] * y[i]))
				}
				got, want := DotF32(x, y), DotF32Ref(x, y)
				if !closeEnough(got, want, mag) {
					t.Fatalf("n=%d off=%d: got %v, want %v", n, off, got, want)
				}
			}
		}
	})
}

func TestAxpyF32(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		for _, n := range testSizes() {
			for off := 0; off < 8; off++ {
				x := randF32(r, n+off)[off:]
				y, check := guarded(n, off)
				want := randF32(r, n)
				copy(y, want)
				alpha := float32(r.NormFloat64())
				AxpyF32(alpha, x, y)
				AxpyF32Ref(alpha, x, want)
				check(t)
				for i := range y {
					// FMA may round once where the reference rounds twice.
					if !closeEnough(y[i], want[i], math.Abs(float64(alpha*x[i]))+math.Abs(float64(want[i]))) {
						t.Fatalf("n=%d off=%d i=%d: got %v, want %v", n, off, i, y[i], want[i])
					}
				}
			}
		}
	})
}
