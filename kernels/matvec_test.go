package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestMatVec(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(11, 12))
		for _, mc := range allMatCases {
			cols := []int{1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 67, 129, 300}
			if mc.group > 0 {
				cols = []int{mc.group, 2 * mc.group, 3 * mc.group, 7 * mc.group}
			}
			for _, k := range cols {
				for off := 0; off < 8; off++ {
					rows := 9
					w := randMat(r, mc, rows, k)
					x := randF32(r, k+off)[off:]
					lo, hi := off%3, rows-off%2
					y, check := guarded(hi-lo, off)
					MatVec(y, w, lo, hi, x)
					check(t)
					want := make([]float32, hi-lo)
					MatVecRef(want, w, lo, hi, x)
					row := make([]float32, k)
					for i := range y {
						if !closeEnough(y[i], want[i], absRowMag(w, lo+i, x, row)) {
							t.Fatalf("%v k=%d off=%d row %d: got %v, want %v", mc, k, off, lo+i, y[i], want[i])
						}
					}
				}
			}
		}
	})
}

func TestMatVecQ(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(13, 14))
		var act ActQ8
		for _, mc := range allMatCases[3:] {
			for _, groups := range []int{1, 2, 3, 7, 28} {
				k := groups * mc.group
				w := randMat(r, mc, 11, k)
				for off := 0; off < 8; off++ {
					x := randF32(r, k+off)[off:]
					if off == 5 {
						clear(x[:ActBlock]) // an all-zero block
					}
					QuantizeActQ8(&act, x)
					lo, hi := off%4, 11-off%3
					y, check := guarded(hi-lo, off)
					MatVecQ(y, w, lo, hi, &act)
					check(t)
					exact := make([]float32, hi-lo)
					MatVecRef(exact, w, lo, hi, x)
					row := make([]float32, k)
					for i := range y {
						// The documented bound: Σ|s·q|·max|x in block|/254,
						// plus float32 summation error.
						var bound, mag float64
						RowRef(row, w, lo+i)
						for j := 0; j < k; j++ {
							g := j / mc.group
							s := float64(w.Scales[(lo+i)*(k/mc.group)+g])
							qv := (float64(row[j]) - float64(w.Biases[(lo+i)*(k/mc.group)+g])) / s
							amax := float64(act.Scale[j/ActBlock]) * 127
							bound += math.Abs(s*qv) * amax / 254
							mag += math.Abs(float64(row[j]) * float64(x[j]))
						}
						if d := math.Abs(float64(y[i]) - float64(exact[i])); d > bound*1.001+4e-6*mag+1e-5 {
							t.Fatalf("%v k=%d off=%d row %d: got %v, exact %v (diff %g > bound %g)", mc, k, off, lo+i, y[i], exact[i], d, bound)
						}
					}
				}
			}
		}
	})
}

func abs32(v float32) float32 { return float32(math.Abs(float64(v))) }

// TestQuantizeActQ8NaN checks that NaN and infinite blocks (which assembly
// hands back to Go) quantize as the reference does, and the blocks around
// them too.
func TestQuantizeActQ8NaN(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		for _, special := range []float64{math.NaN(), math.Inf(-1), math.Inf(1)} {
			testQuantizeSpecial(t, float32(special))
		}
	})
}

func testQuantizeSpecial(t *testing.T, special float32) {
	t.Helper()
	{
		x := randF32(rand.New(rand.NewPCG(17, 18)), 5*ActBlock)
		x[2*ActBlock+5] = special
		var got, want ActQ8
		QuantizeActQ8(&got, x)
		QuantizeActQ8Ref(&want, x)
		for b := range want.Scale {
			gs, ws := got.Scale[b], want.Scale[b]
			if gs != ws && !(gs != gs && ws != ws) || got.QSum[b] != want.QSum[b] {
				t.Fatalf("%v: block %d: scale %v qsum %d, want %v %d", special, b, gs, got.QSum[b], ws, want.QSum[b])
			}
		}
		for i := range want.Q {
			if got.Q[i] != want.Q[i] {
				t.Fatalf("%v: Q[%d] = %d, want %d", special, i, got.Q[i], want.Q[i])
			}
		}
	}
}

func TestQuantizeActQ8(t *testing.T) {
	forEachTier(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(15, 16))
		var got, want ActQ8
		for _, n := range testSizes() {
			x := randF32(r, n)
			for i := range x {
				x[i] *= float32(1 + i%5)
			}
			QuantizeActQ8(&got, x)
			QuantizeActQ8Ref(&want, x)
			for b := range want.Scale {
				if got.Scale[b] != want.Scale[b] || got.QSum[b] != want.QSum[b] {
					t.Fatalf("n=%d block %d: scale %v qsum %d, want %v %d", n, b, got.Scale[b], got.QSum[b], want.Scale[b], want.QSum[b])
				}
				var mag float64
				for _, v := range x[b*ActBlock : min(n, (b+1)*ActBlock)] {
					mag += math.Abs(float64(v))
				}
				if !closeEnough(got.Sum[b], want.Sum[b], mag) {
					t.Fatalf("n=%d block %d: sum %v, want %v", n, b, got.Sum[b], want.Sum[b])
				}
			}
			for i := range want.Q {
				if got.Q[i] != want.Q[i] {
					t.Fatalf("n=%d: Q[%d] = %d, want %d", n, i, got.Q[i], want.Q[i])
				}
			}
			for i := range want.q4 {
				if got.q4[i] != want.q4[i] {
					t.Fatalf("n=%d: q4[%d] = %d, want %d", n, i, got.q4[i], want.q4[i])
				}
			}
			for i := range want.s8 {
				if got.s8[i] != want.s8[i] || i < len(want.s4) && got.s4[i] != want.s4[i] {
					t.Fatalf("n=%d: step vectors differ at %d", n, i)
				}
			}
			for i, w := range want.gsum2 {
				if !closeEnough(got.gsum2[i], w, 64*float64(max(1, abs32(w)))) {
					t.Fatalf("n=%d: gsum2[%d] = %v, want %v", n, i, got.gsum2[i], w)
				}
			}
		}
	})
}

// TestMatVecDoesNotAllocate guards the decode loop against garbage: a
// quantized MatVec reuses its per-group sums instead of allocating them.
func TestMatVecDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	const rows, cols = 64, 896
	x := randF32(r, cols)
	y := make([]float32, rows)
	for _, mc := range []matCase{{FormatF32, 0}, {FormatBF16, 0}, {FormatQ4, 64}, {FormatQ8, 32}} {
		w := randMat(r, mc, rows, cols)
		MatVec(y, w, 0, rows, x) // warm the pool
		if n := testing.AllocsPerRun(50, func() { MatVec(y, w, 0, rows, x) }); n > 0.5 {
			t.Errorf("%s: %.1f allocations per MatVec", mc, n)
		}
	}
}

func TestPermuteQ4X(t *testing.T) {
	x := make([]float32, 64)
	for i := range x {
		x[i] = float32(i)
	}
	got := make([]float32, len(x))
	permuteQ4X(got, x)
	for b := 0; b < len(x); b += 32 {
		for i := range 16 {
			if got[b+i] != float32(b+2*i) || got[b+16+i] != float32(b+2*i+1) {
				t.Fatalf("block %d: got %v", b/32, got[b:b+32])
			}
		}
	}
}
