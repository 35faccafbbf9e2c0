package nn

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govlm/govlm/tensor"
)

// randomize binds random N(0, std²) weights (norm weights near 1) to every
// parameter of module.
func randomize(t testing.TB, module any, r *rand.Rand, std float64) map[string]*tensor.Tensor {
	t.Helper()
	w := map[string]*tensor.Tensor{}
	Walk(module, func(path string, m any) {
		switch l := m.(type) {
		case *Linear:
			w[join(path, "weight")] = scaled(randTensor(r, l.out, l.in), std)
			if l.bias == Required {
				w[join(path, "bias")] = scaled(randTensor(r, l.out), std)
			}
		case *RMSNorm:
			n := randTensor(r, l.dim)
			for i, v := range n.Data() {
				n.Data()[i] = 1 + 0.1*v
			}
			w[join(path, "weight")] = n
		case *Embedding:
			w[join(path, "weight")] = randTensor(r, l.vocab, l.dim)
		}
	})
	if err := Bind(module, w, ""); err != nil {
		t.Fatal(err)
	}
	return w
}

func scaled(x *tensor.Tensor, s float64) *tensor.Tensor {
	for i, v := range x.Data() {
		x.Data()[i] = v * float32(s)
	}
	return x
}

func TestLinearForward(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	l := NewLinear(3, 2, true)
	randomize(t, l, r, 1)
	x := randTensor(r, 4, 3)
	y := l.Forward(x)
	w, b := l.Weight.Data(), l.Bias.Data()
	for i := range 4 {
		for o := range 2 {
			want := float64(b[o])
			for k := range 3 {
				want += float64(x.Data()[i*3+k]) * float64(w[o*3+k])
			}
			if got := y.Data()[i*2+o]; !near(float64(got), want, 1e-5) {
				t.Fatalf("y[%d,%d] = %g, want %g", i, o, got, want)
			}
		}
	}
}

func TestGatedMLPForward(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, act := range []Activation{SiLU, GELUTanh, GELU} {
		m := NewGatedMLP(4, 6, act, false)
		randomize(t, m, r, 0.5)
		x := randTensor(r, 2, 4)
		y := m.Forward(x)
		g := tensor.MatMul(x, m.Gate.Weight).Data()
		u := tensor.MatMul(x, m.Up.Weight).Data()
		h := make([]float32, len(g))
		for i := range g {
			h[i] = float32(activation(act, float64(g[i]))) * u[i]
		}
		want := tensor.MatMul(tensor.FromF32(h, 2, 6), m.Down.Weight).Data()
		if d := maxAbsDiff(y.Data(), want); d > 1e-5 {
			t.Errorf("activation %d: max |Δ| %g", act, d)
		}
	}
}

func activation(a Activation, x float64) float64 {
	switch a {
	case SiLU:
		return x / (1 + math.Exp(-x))
	case GELU:
		return 0.5 * x * (1 + math.Erf(x/math.Sqrt2))
	case GELUTanh:
		return 0.5 * x * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
	}
	panic("unused")
}

func TestParseActivation(t *testing.T) {
	for name, want := range map[string]Activation{"silu": SiLU, "gelu_pytorch_tanh": GELUTanh, "gelu": GELU, "quick_gelu": QuickGELU} {
		if got, err := ParseActivation(name); err != nil || got != want {
			t.Errorf("%s: %v, %v", name, got, err)
		}
	}
	if _, err := ParseActivation("swiglu2"); err == nil {
		t.Error("unknown activation accepted")
	}
}

func TestEmbeddingCheck(t *testing.T) {
	e := NewEmbedding(5, 2)
	randomize(t, e, rand.New(rand.NewPCG(3, 3)), 1)
	if err := e.Check([]int32{0, 4}); err != nil {
		t.Fatal(err)
	}
	var ie *IDError
	if err := e.Check([]int32{1, 5}); !errors.As(err, &ie) || ie.Index != 1 || ie.ID != 5 {
		t.Fatalf("got %v", err)
	}
	rows := e.Forward([]int32{3, 1})
	if maxAbsDiff(rows.Data()[:2], e.Weight.Data()[6:8]) != 0 {
		t.Error("embedding row 3 wrong")
	}
	logits := e.AsLinear(rows)
	if logits.Dim(1) != 5 {
		t.Errorf("tied head shape %v", logits.Shape())
	}
}

// TestAttentionBlockWithCaches runs the full block over a sequence at once
// (no cache, explicit mask) and chunk by chunk through each cache kind.
func TestAttentionBlockWithCaches(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	a := NewAttention(AttentionConfig{Hidden: 16, Heads: 4, KVHeads: 2, HeadDim: 8, QKVBias: true, QKNorm: true, NormEps: 1e-6})
	randomize(t, a, r, 0.3)
	rot, err := NewRotary(RopeParams{HeadDim: 8, Base: 10000}, false)
	if err != nil {
		t.Fatal(err)
	}
	const total = 14
	x := randTensor(r, total, 16)
	for _, tc := range []struct {
		name  string
		cache func() Cache
		rule  MaskFunc
	}{
		{"kv", func() Cache { return NewKVCache() }, CausalMask},
		{"sliding5", func() Cache { c, _ := NewRotatingCache(5); return c }, SlidingMask(5)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cos, sin := rot.Tables(0, total)
			full := a.Forward(x, cos, sin, nil, tc.rule)
			c := tc.cache()
			pos := 0
			for _, n := range []int{6, 1, 1, 4, 1, 1} {
				cos, sin := rot.Tables(pos, n)
				xs := tensor.FromF32(x.Data()[pos*16:(pos+n)*16], n, 16)
				got := a.Forward(xs, cos, sin, c, nil)
				if d := maxAbsDiff(got.Data(), full.Data()[pos*16:(pos+n)*16]); d > 1e-4 {
					t.Fatalf("positions %d..%d: max |Δ| %g", pos, pos+n-1, d)
				}
				pos += n
			}
		})
	}
}

func BenchmarkAttentionBlockDecode(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 5))
	a := NewAttention(AttentionConfig{Hidden: 896, Heads: 14, KVHeads: 2, HeadDim: 64, QKVBias: true})
	randomize(b, a, r, 0.02)
	rot, _ := NewRotary(RopeParams{HeadDim: 64, Base: 1e6}, false)
	c := NewKVCache()
	prompt := randTensor(r, 512, 896)
	cos, sin := rot.Tables(0, 512)
	a.Forward(prompt, cos, sin, c, nil).Release()
	x := randTensor(r, 1, 896)
	b.ResetTimer()
	for range b.N {
		cos, sin := rot.Tables(c.Offset(), 1)
		y := a.Forward(x, cos, sin, c, nil)
		y.Release()
		cos.Release()
		sin.Release()
		c.Trim(1)
	}
}

func TestConv2DPatchEmbed(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	c := NewConv2D(3, 4, 2, 2, 2, 0, true)
	w := map[string]*tensor.Tensor{"weight": randTensor(r, 4, 3, 2, 2), "bias": randTensor(r, 4)}
	if err := Bind(c, w, ""); err != nil {
		t.Fatal(err)
	}
	x := randTensor(r, 3, 4, 6)
	y := c.Forward(x)
	if got := y.Shape(); got[0] != 4 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("shape %v", got)
	}
	// Output (o, i, j) is the dot product of patch (i, j) with filter o.
	wd, xd := c.Weight.Data(), x.Data()
	for o := range 4 {
		for i := range 2 {
			for j := range 3 {
				want := float64(c.Bias.Data()[o])
				for ch := range 3 {
					for di := range 2 {
						for dj := range 2 {
							want += float64(wd[((o*3+ch)*2+di)*2+dj]) * float64(xd[(ch*4+2*i+di)*6+2*j+dj])
						}
					}
				}
				if got := y.Data()[(o*2+i)*3+j]; math.Abs(float64(got)-want) > 1e-5 {
					t.Fatalf("y[%d,%d,%d] = %g, want %g", o, i, j, got, want)
				}
			}
		}
	}
	// A channels-last (mlx) weight fails the shape check.
	w["weight"] = randTensor(r, 4, 2, 2, 3)
	if err := Bind(NewConv2D(3, 4, 2, 2, 2, 0, true), w, ""); err == nil {
		t.Fatal("channels-last weight accepted")
	}
}
