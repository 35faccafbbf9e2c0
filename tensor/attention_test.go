package tensor

import (
	"fmt"
	"math"
	"testing"
)

// refAttention is the textbook definition in float64 with every rule
// written out per (query, head, key).
func refAttention(q, k, v *Tensor, o AttentionOptions) []float32 {
	lq, hq, d := q.shape[0], q.shape[1], q.shape[2]
	lk, hkv, dv := k.shape[0], k.shape[1], v.shape[2]
	scale := float64(o.Scale)
	if scale == 0 {
		scale = 1 / math.Sqrt(float64(d))
	}
	out := make([]float32, lq*hq*dv)
	for i := 0; i < lq; i++ {
		p := o.QueryOffset + i
		for h := 0; h < hq; h++ {
			kh := h / (hq / hkv)
			s := make([]float64, lk)
			m := math.Inf(-1)
			for j := 0; j < lk; j++ {
				var dot float64
				for e := 0; e < d; e++ {
					dot += float64(q.f32[(i*hq+h)*d+e]) * float64(k.f32[(j*hkv+kh)*d+e])
				}
				x := dot * scale
				if o.Softcap > 0 {
					x = float64(o.Softcap) * math.Tanh(x/float64(o.Softcap))
				}
				visible := true
				if (o.Causal || o.Window > 0) && j > p {
					visible = false
				}
				if o.Window > 0 && j <= p-o.Window {
					visible = false
				}
				if mk := o.Mask; mk != nil {
					off := i*lk + j
					if mk.Rank() == 3 {
						off += h * lq * lk
					}
					if mk.dtype == Bool && mk.bytes[off] == 0 {
						visible = false
					}
					if mk.dtype == F32 {
						x += float64(mk.f32[off])
					}
				}
				if !visible {
					x = math.Inf(-1)
				}
				s[j] = x
				m = math.Max(m, x)
			}
			if math.IsInf(m, -1) {
				continue
			}
			var sum float64
			for j := range s {
				s[j] = math.Exp(s[j] - m)
				sum += s[j]
			}
			for e := 0; e < dv; e++ {
				var acc float64
				for j := range s {
					acc += s[j] / sum * float64(v.f32[(j*hkv+kh)*dv+e])
				}
				out[(i*hq+h)*dv+e] = float32(acc)
			}
		}
	}
	return out
}

func TestAttention(t *testing.T) {
	boolMask := func(lq, lk int, heads int) *Tensor {
		shape := []int{lq, lk}
		if heads > 0 {
			shape = []int{heads, lq, lk}
		}
		b := make([]byte, numel(shape))
		for i := range b {
			if (i*7)%5 != 0 {
				b[i] = 1
			}
		}
		t, _ := FromBytes(Bool, b, shape...)
		return t
	}
	cases := []struct {
		name               string
		lq, lk, hq, hkv, d int
		dv                 int
		o                  AttentionOptions
	}{
		{"plain", 4, 6, 2, 2, 8, 8, AttentionOptions{}},
		{"gqa", 3, 9, 6, 2, 16, 5, AttentionOptions{}},
		{"causal", 7, 7, 4, 1, 8, 8, AttentionOptions{Causal: true}},
		{"causal offset", 3, 10, 4, 2, 8, 8, AttentionOptions{Causal: true, QueryOffset: 7}},
		{"decode", 1, 33, 4, 2, 8, 8, AttentionOptions{Causal: true, QueryOffset: 32}},
		{"window", 6, 12, 2, 1, 8, 8, AttentionOptions{Causal: true, QueryOffset: 6, Window: 4}},
		{"window no causal flag", 5, 5, 2, 2, 4, 4, AttentionOptions{Window: 2}},
		{"bool mask", 5, 7, 2, 1, 8, 8, AttentionOptions{Mask: boolMask(5, 7, 0)}},
		{"per-head mask", 5, 7, 2, 1, 8, 8, AttentionOptions{Mask: boolMask(5, 7, 2)}},
		{"additive mask", 4, 6, 2, 2, 8, 8, AttentionOptions{Mask: Scale(randT(77, 4, 6), 3)}},
		{"softcap scale", 4, 6, 2, 2, 8, 8, AttentionOptions{Softcap: 0.5, Scale: 2}},
		{"no visible key", 2, 4, 1, 1, 4, 4, AttentionOptions{Causal: true, QueryOffset: -1}},
		{"no visible key prefill", 6, 4, 1, 1, 4, 4, AttentionOptions{Causal: true, QueryOffset: -3}},
		{"long decode chunks", 2, 700, 8, 2, 16, 12, AttentionOptions{Causal: true, QueryOffset: 698}},
		{"long decode window", 1, 700, 4, 4, 8, 8, AttentionOptions{Causal: true, QueryOffset: 699, Window: 300}},
		{"decode mask", 3, 300, 4, 2, 8, 8, AttentionOptions{Mask: boolMask(3, 300, 4)}},
		{"prefill tiles", 70, 300, 4, 2, 8, 8, AttentionOptions{Causal: true, QueryOffset: 230, Window: 100}},
		{"prefill additive", 40, 50, 2, 1, 8, 8, AttentionOptions{Mask: randT(78, 40, 50)}},
		{"prefill wide group", 5, 9, 64, 1, 4, 4, AttentionOptions{Causal: true, QueryOffset: 4}},
		{"prefill ungrouped tiles", 300, 300, 3, 3, 16, 16, AttentionOptions{}},
		{"prefill ungrouped causal", 133, 140, 2, 2, 24, 20, AttentionOptions{Causal: true, QueryOffset: 7}},
		{"prefill grouped tiles", 150, 160, 6, 2, 12, 8, AttentionOptions{Causal: true, QueryOffset: 10, Window: 90}},
		{"prefill group 7", 30, 40, 14, 2, 8, 8, AttentionOptions{Causal: true, QueryOffset: 10, Mask: boolMask(30, 40, 14)}},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := randT(uint64(ci), c.lq, c.hq, c.d)
			k := randT(uint64(ci+50), c.lk, c.hkv, c.d)
			v := randT(uint64(ci+90), c.lk, c.hkv, c.dv)
			got := Attention(q, k, v, c.o)
			assertShape(t, "out", got, c.lq, c.hq, c.dv)
			assertClose(t, "attention", got.Data(), refAttention(q, k, v, c.o), 2e-6, 1e-5)
			withWorkers(t, "attention", func() []float32 { return Attention(q, k, v, c.o).Data() })
		})
	}
	q, k := randT(1, 2, 4, 8), randT(2, 3, 3, 8)
	expectPanic[*ShapeError](t, "gqa", func() { Attention(q, k, k, AttentionOptions{}) })
	k2 := randT(2, 3, 2, 8)
	expectPanic[*ShapeError](t, "mask", func() { Attention(q, k2, k2, AttentionOptions{Mask: New(3, 2)}) })
	expectPanic[*DTypeError](t, "mask dtype", func() { Attention(q, k2, k2, AttentionOptions{Mask: FromInt32(make([]int32, 6), 2, 3)}) })
}

func ExampleAttention() {
	q := FromF32([]float32{1, 0}, 1, 1, 2)
	k := FromF32([]float32{1, 0, 0, 1}, 2, 1, 2)
	v := FromF32([]float32{10, 20}, 2, 1, 1)
	out := Attention(q, k, v, AttentionOptions{Scale: 1})
	fmt.Printf("%.4f\n", out.Data()[0])
	// Output: 12.6894
}
