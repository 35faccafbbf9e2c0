package benchutil

import (
	"math"
	"slices"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// tree is a small module tree with one parameter of every kind.
type tree struct {
	Proj *nn.Linear    `nn:"proj"`
	Norm *nn.RMSNorm   `nn:"norm"`
	LN   *nn.LayerNorm `nn:"ln"`
}

func newTree() *tree {
	return &tree{Proj: nn.NewLinear(64, 32, true), Norm: nn.NewRMSNorm(32, 1e-6), LN: nn.NewLayerNorm(32, 1e-6)}
}

func TestRandomBF16(t *testing.T) {
	for _, tc := range []struct {
		name  string
		norms Norms
		rms   float32
	}{
		{"gemma norms", RMSNormZero, 0},
		{"plain norms", RMSNormOne, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := RandomBF16(newTree(), tc.norms)
			names := slices.Sorted(func(yield func(string) bool) {
				for n := range w {
					if !yield(n) {
						return
					}
				}
			})
			want := []string{"ln.bias", "ln.weight", "norm.weight", "proj.bias", "proj.weight"}
			if !slices.Equal(names, want) {
				t.Fatalf("names %v, want %v", names, want)
			}
			for _, c := range []struct {
				name string
				v    float32
			}{{"norm.weight", tc.rms}, {"ln.weight", 1}, {"ln.bias", 0}, {"proj.bias", 0}} {
				x := w[c.name]
				if x.DType() != tensor.F32 || slices.ContainsFunc(x.Data(), func(v float32) bool { return v != c.v }) {
					t.Errorf("%s: %v %v, want F32 all %v", c.name, x.DType(), x.Data()[:4], c.v)
				}
			}
			p := w["proj.weight"]
			if p.DType() != tensor.BF16 || !slices.Equal(p.Shape(), []int{32, 64}) {
				t.Fatalf("proj.weight %v %v", p.DType(), p.Shape())
			}
			var sum, sq float64
			for _, v := range p.ToF32().Data() {
				sum += float64(v)
				sq += float64(v) * float64(v)
			}
			n := float64(32 * 64)
			if mean, std := sum/n, math.Sqrt(sq/n); math.Abs(mean) > 0.002 || math.Abs(std-0.02) > 0.002 {
				t.Errorf("proj.weight mean %.4f std %.4f, want ≈ 0 and 0.02", mean, std)
			}
		})
	}
}

func TestRandomBF16Deterministic(t *testing.T) {
	a := RandomBF16(newTree(), RMSNormOne)["proj.weight"].ToF32().Data()
	b := RandomBF16(newTree(), RMSNormOne)["proj.weight"].ToF32().Data()
	if !slices.Equal(a, b) {
		t.Error("two calls drew different weights")
	}
}

func TestImageAndProcessStats(t *testing.T) {
	img := Image(t.TempDir()) // no shared data there: the synthetic pattern
	if img.W != 640 || img.H != 480 || img.Pix[7] != 49 {
		t.Errorf("synthetic image %dx%d, pix[7] = %d", img.W, img.H, img.Pix[7])
	}
	c0 := CPUTime()
	x := 0.0
	for i := range 5_000_000 {
		x += math.Sqrt(float64(i))
	}
	if c1 := CPUTime(); c1 < c0 || x == 0 {
		t.Errorf("CPU time went from %v to %v", c0, c1)
	}
	if rss := PeakRSS(); rss < 0 {
		t.Errorf("peak RSS %v", rss)
	}
}
