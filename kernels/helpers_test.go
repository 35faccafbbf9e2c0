package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// forEachTier runs f once per tier available on this machine and build,
// restoring the default tier afterwards.
func forEachTier(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	def := CurrentTier()
	defer func() {
		if err := SetTier(def); err != nil {
			t.Fatal(err)
		}
	}()
	for _, tier := range Tiers() {
		if err := SetTier(tier); err != nil {
			t.Fatal(err)
		}
		t.Run(tier.String(), f)
	}
}

const guardF32 = float32(-7.125e30)

// guarded returns a slice of n float32 starting at element off of a larger
// buffer whose other elements hold guardF32, plus a checker for them.
func guarded(n, off int) ([]float32, func(t *testing.T)) {
	const pad = 19
	buf := make([]float32, off+n+pad)
	for i := range buf {
		buf[i] = guardF32
	}
	s := buf[off : off+n : off+n]
	return s, func(t *testing.T) {
		t.Helper()
		for i, v := range buf {
			if (i < off || i >= off+n) && v != guardF32 {
				t.Fatalf("guard element %d (slice at %d, len %d) overwritten: %v", i, off, n, v)
			}
		}
	}
}

func randF32(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// closeEnough reports whether got is within float32 summation error of
// want, given mag = Σ|terms| of the sum.
func closeEnough(got, want float32, mag float64) bool {
	tol := 2e-6*mag + 1e-6
	return math.Abs(float64(got)-float64(want)) <= tol
}

// testSizes are the lengths every vector kernel is checked at: all of
// 0..67 (tails of every SIMD width) and a few long ones.
func testSizes() []int {
	var s []int
	for n := 0; n <= 67; n++ {
		s = append(s, n)
	}
	return append(s, 127, 128, 129, 255, 256, 257, 1000, 1031)
}
