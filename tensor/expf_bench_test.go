package tensor

import (
	"math"
	"testing"
)

func BenchmarkExp(b *testing.B) {
	x := randF32(1, 4096)
	out := make([]float32, len(x))
	b.Run("expf", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				out[i] = expf(v * 4)
			}
		}
	})
	b.Run("math.Exp", func(b *testing.B) {
		for b.Loop() {
			for i, v := range x {
				out[i] = float32(math.Exp(float64(v * 4)))
			}
		}
	})
}
