package tensor

import (
	"math"
	"testing"
)

func TestSoftmax(t *testing.T) {
	x := FromF32([]float32{1, 2, 3, 1000, 1001, 1002, -1, float32(math.Inf(-1)), -1}, 3, 3)
	got := Softmax(x).Data()
	e := []float64{math.Exp(-2), math.Exp(-1), 1}
	s := e[0] + e[1] + e[2]
	want := []float32{float32(e[0] / s), float32(e[1] / s), float32(e[2] / s)}
	assertClose(t, "row0", got[:3], want, 1e-7, 1e-6)
	assertClose(t, "large logits", got[3:6], want, 1e-7, 1e-6)
	assertClose(t, "-inf", got[6:], []float32{0.5, 0, 0.5}, 1e-7, 0)
	withWorkers(t, "softmax", func() []float32 { return Softmax(randT(1, 300, 37)).Data() })
}

func refRMS(x, w []float32, n int, eps float64, addOne bool) []float32 {
	out := make([]float32, len(x))
	for r := 0; r < len(x)/n; r++ {
		var ss float64
		for _, v := range x[r*n : (r+1)*n] {
			ss += float64(v) * float64(v)
		}
		inv := 1 / math.Sqrt(ss/float64(n)+eps)
		for i := 0; i < n; i++ {
			g := float64(w[i])
			if addOne {
				g++
			}
			out[r*n+i] = float32(float64(x[r*n+i]) * inv * g)
		}
	}
	return out
}

func TestRMSNorm(t *testing.T) {
	x := randT(1, 7, 33)
	w := randT(2, 33)
	for _, addOne := range []bool{false, true} {
		got := RMSNorm(x, w, 1e-6, addOne)
		assertClose(t, "rms", got.Data(), refRMS(x.Data(), w.Data(), 33, 1e-6, addOne), 1e-6, 1e-5)
	}
	// A BF16 weight is accepted and gives the same result as its F32 value.
	wb := weightAs(t, w, BF16)
	assertClose(t, "bf16 weight", RMSNorm(x, wb, 1e-6, false).Data(), refRMS(x.Data(), wb.ToF32().Data(), 33, 1e-6, false), 1e-6, 1e-5)
	expectPanic[*ShapeError](t, "weight size", func() { RMSNorm(x, New(32), 1e-6, false) })
	withWorkers(t, "rms", func() []float32 { return RMSNorm(randT(3, 200, 33), w, 1e-6, true).Data() })
}

func TestLayerNorm(t *testing.T) {
	x := randT(1, 5, 40)
	w, b := randT(2, 40), randT(3, 40)
	got := LayerNorm(x, w, b, 1e-5)
	for r := 0; r < 5; r++ {
		row := x.Data()[r*40 : (r+1)*40]
		var mean, v float64
		for _, e := range row {
			mean += float64(e)
		}
		mean /= 40
		for _, e := range row {
			v += (float64(e) - mean) * (float64(e) - mean)
		}
		v /= 40
		for i, e := range row {
			want := (float64(e)-mean)/math.Sqrt(v+1e-5)*float64(w.Data()[i]) + float64(b.Data()[i])
			if d := math.Abs(float64(got.Data()[r*40+i]) - want); d > 1e-5 {
				t.Fatalf("layernorm [%d %d] = %v, want %v", r, i, got.Data()[r*40+i], want)
			}
		}
	}
	nb := LayerNorm(x, nil, nil, 1e-5)
	assertShape(t, "no affine", nb, 5, 40)
}

type goldenT map[string][]float64

func TestActivationsAgainstPyTorch(t *testing.T) {
	g := loadGolden(t)
	in := FromF32(f32s(g["act_in"]))
	for _, c := range []struct {
		key string
		fn  func(*Tensor) *Tensor
	}{{"gelu", GELU}, {"gelu_tanh", GELUTanh}, {"silu", SiLU}} {
		assertClose(t, c.key, c.fn(in).Data(), f32s(g[c.key]), 1e-6, 1e-6)
	}
	// Known values.
	one := FromF32([]float32{1, -2})
	assertClose(t, "quick_gelu", QuickGELU(one).Data(), []float32{float32(1 / (1 + math.Exp(-1.702))), float32(-2 / (1 + math.Exp(3.404)))}, 1e-7, 1e-6)
	assertClose(t, "relu", ReLU(one).Data(), []float32{1, 0}, 0, 0)
	gate, up := randT(1, 4, 9), randT(2, 4, 9)
	sw := SwiGLU(gate, up).Data()
	gg := GeGLU(gate, up, true).Data()
	ge := GeGLU(gate, up, false).Data()
	si, gt, gl := SiLU(gate).Data(), GELUTanh(gate).Data(), GELU(gate).Data()
	for i, u := range up.Data() {
		if sw[i] != si[i]*u || gg[i] != gt[i]*u || ge[i] != gl[i]*u {
			t.Fatalf("gated activation wrong at %d", i)
		}
	}
	sc := randT(4, 50)
	ScaleInPlace(sc, 10)
	want := make([]float32, 50)
	for i, v := range sc.Data() {
		want[i] = float32(5 * math.Tanh(float64(v)/5))
	}
	SoftcapInPlace(sc, 5)
	assertClose(t, "softcap", sc.Data(), want, 1e-6, 1e-6)
	if _, err := Activation("nope"); err == nil {
		t.Fatal("unknown activation accepted")
	}
	if f, _ := Activation("gelu_pytorch_tanh"); f(one).Data()[0] != GELUTanh(one).Data()[0] {
		t.Fatal("Activation lookup wrong")
	}
}

func f32s(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// The norms' partial sums must handle every width modulo 4.
func TestNormsOddWidths(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 7, 13} {
		x := randT(uint64(n), 3, n)
		w, b := randT(uint64(n+10), n), randT(uint64(n+20), n)
		assertClose(t, "rmsnorm", RMSNorm(x, w, 1e-6, false).Data(), refRMS(x.Data(), w.Data(), n, 1e-6, false), 1e-6, 1e-5)
		got := LayerNorm(x, w, b, 1e-5).Data()
		for r := 0; r < 3; r++ {
			row := x.Data()[r*n : (r+1)*n]
			var mean, v float64
			for _, e := range row {
				mean += float64(e)
			}
			mean /= float64(n)
			for _, e := range row {
				v += (float64(e) - mean) * (float64(e) - mean)
			}
			v /= float64(n)
			want := make([]float32, n)
			for i, e := range row {
				want[i] = float32((float64(e)-mean)/math.Sqrt(v+1e-5)*float64(w.Data()[i]) + float64(b.Data()[i]))
			}
			assertClose(t, "layernorm", got[r*n:(r+1)*n], want, 1e-5, 1e-5)
		}
	}
}

func TestQuickGELUWide(t *testing.T) {
	x := randT(9, 1037)
	ScaleInPlace(x, 8)
	want := make([]float32, x.Len())
	for i, v := range x.Data() {
		want[i] = float32(float64(v) / (1 + math.Exp(-1.702*float64(v))))
	}
	assertClose(t, "quick_gelu", QuickGELU(x).Data(), want, 1e-6, 1e-5)
}
