package tensor

import (
	"math"
	"testing"
)

func TestExpf(t *testing.T) {
	worst := 0.0
	for x := float32(-103.9); x < 88.7; x += 0.0137 {
		want := math.Exp(float64(x))
		got := float64(expf(x))
		if want < 1.2e-38 { // subnormal results: absolute error
			if math.Abs(got-want) > 3e-45 {
				t.Fatalf("expf(%v) = %g, want %g", x, got, want)
			}
			continue
		}
		rel := math.Abs(got-want) / want
		worst = max(worst, rel)
		if rel > 2.5e-7 {
			t.Fatalf("expf(%v) = %g, want %g (rel %g)", x, got, want, rel)
		}
	}
	t.Logf("worst relative error %.3g", worst)
	if expf(0) != 1 || expf(float32(math.Inf(-1))) != 0 || !math.IsInf(float64(expf(100)), 1) || expf(float32(math.NaN())) == expf(float32(math.NaN())) {
		t.Fatal("special values wrong")
	}
}

func TestExpShiftSum(t *testing.T) {
	row := []float32{0, -1, -10, -86, -86.1, -87, -87.5, -88, -88.5, -200, float32(math.Inf(-1)), 1.5}
	in := append([]float32(nil), row...)
	sum := expShiftSum(row, 1.5)
	var want float32
	for i, v := range in {
		e := expf(v - 1.5)
		if v-1.5 <= -88 {
			e = 0 // flushed
		}
		if row[i] != e {
			t.Fatalf("[%d] e^%v = %g, want %g", i, v-3, row[i], e)
		}
		want += e
	}
	if sum != want {
		t.Fatalf("sum %g, want %g", sum, want)
	}
}
