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
