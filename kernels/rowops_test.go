package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// rowClose allows a few float32 ulps relative error (the vectorised exp)
// plus an absolute floor for results that underflow.
func rowClose(got, want float32) bool {
	d := math.Abs(float64(got) - float64(want))
	return d <= 1e-5*math.Abs(float64(want))+1e-30
}

// rowInputs returns n values spread over the range where the activations
// change shape, with the extremes mixed in.
func rowInputs(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 4)
	}
	extremes := []float32{0, -0.0, 1e-20, -1e-20, 30, -30, 88, -88, 100, -100}
	for i := 0; i < n && i < len(extremes); i++ {
		x[(i*7)%n] = extremes[i]
	}
	return x
}

func TestActivations(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fast, ref func(dst, x, up []float32)
	}{
		{"SiLU", func(d, x, _ []float32) { SiLUF32(d, x) }, func(d, x, _ []float32) { SiLUF32Ref(d, x) }},
		{"SiLUMul", func(d, x, u []float32) { SiLUMulF32(d, x, u) }, SiLUMulF32Ref},
		{"GELUTanh", func(d, x, _ []float32) { GELUTanhF32(d, x) }, func(d, x, _ []float32) { GELUTanhF32Ref(d, x) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachTier(t, func(t *testing.T) {
				r := rand.New(rand.NewPCG(19, 20))
				for _, n := range testSizes() {
					for off := 0; off < 8; off += 3 {
						x := rowInputs(r, n+off)[off:]
						up := randF32(r, n+off)[off:]
						dst, check := guarded(n, off)
						tc.fast(dst, x, up)
						check(t)
						want := make([]float32, n)
						tc.ref(want, x, up)
						for i := range want {
							if !rowClose(dst[i], want[i]) {
								t.Fatalf("n=%d off=%d x=%v: got %v, want %v", n, off, x[i], dst[i], want[i])
							}
						}
					}
				}
			})
		})
	}
}

func TestSoftmaxF32(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(21, 22))
		for _, n := range testSizes() {
			for off := 0; off < 8; off += 3 {
				x, check := guarded(n, off)
				copy(x, rowInputs(r, n))
				if n > 3 {
					x[n/2] = float32(math.Inf(-1)) // a masked position
				}
				want := append([]float32(nil), x...)
				SoftmaxF32(x)
				SoftmaxF32Ref(want)
				check(t)
				for i := range want {
					if d := math.Abs(float64(x[i] - want[i])); d > 1e-5*float64(want[i])+1e-7 {
						t.Fatalf("n=%d off=%d: p[%d] = %v, want %v", n, off, i, x[i], want[i])
					}
				}
			}
		}
	})
}

func TestRMSNormF32(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(23, 24))
		for _, n := range testSizes() {
			for off := 0; off < 8; off += 3 {
				x := randF32(r, n+off)[off:]
				w := randF32(r, n+off)[off:]
				dst, check := guarded(n, off)
				RMSNormF32(dst, x, w, 1e-6)
				check(t)
				want := make([]float32, n)
				RMSNormF32Ref(want, x, w, 1e-6)
				for i := range want {
					if !rowClose(dst[i], want[i]) {
						t.Fatalf("n=%d off=%d: got %v, want %v", n, off, dst[i], want[i])
					}
				}
			}
		}
	})
}

// TestSoftmaxF32Flush checks that every tier gives exactly 0 (never a
// subnormal) for scores more than softmaxCut below the row maximum, -Inf
// among them, and keeps the values just above the cut.
func TestSoftmaxF32Flush(t *testing.T) {
	inf := float32(math.Inf(-1))
	cases := []struct {
		name string
		x    []float32
		zero []bool // positions that must be exactly 0
	}{
		{"masked", []float32{0, inf, 1, inf, inf, 2, inf, 0, inf}, []bool{false, true, false, true, true, false, true, false, true}},
		{"far", []float32{100, 10, -100, 27.9, 99, 1e-3, -1e30, 30}, []bool{false, true, true, true, false, true, true, false}},
		{"tail", []float32{0, -71, -73, -87, -87.5, -88, -100, -200, -1e9, -73, -71}, []bool{false, false, true, true, true, true, true, true, true, true, false}},
	}
	forEachTier(t, func(t *testing.T) {
		for _, c := range cases {
			for _, f := range []func([]float32){SoftmaxF32, SoftmaxF32Ref} {
				x := append([]float32(nil), c.x...)
				f(x)
				for i, v := range x {
					if c.zero[i] && v != 0 {
						t.Fatalf("%s: p[%d] = %v, want exactly 0", c.name, i, v)
					}
					if !c.zero[i] && !(v >= 0x1p-126) {
						t.Fatalf("%s: p[%d] = %v, want a normal positive value", c.name, i, v)
					}
				}
			}
		}
	})
}
