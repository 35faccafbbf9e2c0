package tensor

import (
	"math"
	"testing"
)

// refRoPE applies x·cos + rotate_half(x)·sin to the first rot features of
// every head, literally as transformers writes it.
func refRoPE(x *Tensor, cos, sin *Tensor) []float32 {
	seq, heads, dim := x.shape[0], x.shape[1], x.shape[2]
	rot := cos.shape[1]
	h := rot / 2
	out := append([]float32(nil), x.f32...)
	for p := 0; p < seq; p++ {
		for hd := 0; hd < heads; hd++ {
			v := x.f32[(p*heads+hd)*dim:]
			o := out[(p*heads+hd)*dim:]
			for i := 0; i < rot; i++ {
				var rh float32
				if i < h {
					rh = -v[i+h]
				} else {
					rh = v[i-h]
				}
				o[i] = v[i]*cos.f32[p*rot+i] + rh*sin.f32[p*rot+i]
			}
		}
	}
	return out
}

func TestRoPEHalfAndPartial(t *testing.T) {
	for _, c := range []struct{ dim, rot int }{{16, 16}, {16, 8}, {10, 6}} {
		x := randT(uint64(c.dim+c.rot), 5, 3, c.dim)
		cos, sin := RopeTables([]int{0, 1, 2, 7, 100}, InvFreq(c.rot, 10000), 1)
		assertShape(t, "table", cos, 5, c.rot)
		got := RoPE(x, cos, sin, false)
		// Not bit-exact: on arm64 the compiler may fuse x·cos − y·sin into an FMA.
		assertClose(t, "rope", got.Data(), refRoPE(x, cos, sin), 1e-7, 1e-6)
		in := x.Clone()
		RoPEInPlace(in, cos, sin, false)
		assertBitEqual(t, "in place", in.Data(), got.Data())
		// Position 0 is the identity.
		assertClose(t, "pos0", got.Data()[:3*c.dim], x.Data()[:3*c.dim], 0, 0)
	}
	expectPanic[*ShapeError](t, "rot > dim", func() {
		cos, sin := RopeTables([]int{0}, InvFreq(8, 10000), 1)
		RoPE(New(1, 1, 4), cos, sin, false)
	})
}

func TestRoPEInterleaved(t *testing.T) {
	inv := InvFreq(8, 500)
	pos := []int{3, 11}
	x := randT(9, 2, 2, 10) // partial: 8 of 10 features rotate
	cos, sin := RopeTables(pos, inv, 1)
	got := RoPE(x, cos, sin, true).Data()
	for p := range pos {
		for h := 0; h < 2; h++ {
			v := x.Data()[(p*2+h)*10:]
			o := got[(p*2+h)*10:]
			for i := range inv {
				a := float64(float32(pos[p]) * inv[i]) // the float32 angle of the table
				c, s := math.Cos(a), math.Sin(a)
				w0 := float64(v[2*i])*c - float64(v[2*i+1])*s
				w1 := float64(v[2*i])*s + float64(v[2*i+1])*c
				if math.Abs(float64(o[2*i])-w0) > 1e-6 || math.Abs(float64(o[2*i+1])-w1) > 1e-6 {
					t.Fatalf("pair %d at pos %d head %d: (%v %v), want (%v %v)", i, p, h, o[2*i], o[2*i+1], w0, w1)
				}
			}
			if o[8] != v[8] || o[9] != v[9] {
				t.Fatal("tail rotated")
			}
		}
	}
}

func TestInvFreqAndScale(t *testing.T) {
	want := make([]float32, 8)
	for i := range want {
		want[i] = float32(1 / math.Pow(10000, float64(2*i)/16))
	}
	assertClose(t, "inv_freq", InvFreq(16, 10000), want, 0, 3e-7)
	c1, s1 := RopeTables([]int{5}, InvFreq(4, 10000), 1)
	c2, s2 := RopeTables([]int{5}, InvFreq(4, 10000), 0.5)
	for i := range c1.Data() {
		if c2.Data()[i] != 0.5*c1.Data()[i] || s2.Data()[i] != 0.5*s1.Data()[i] {
			t.Fatal("scale not applied")
		}
	}
}

// TestMRopeTables checks the section assignment against a literal port of
// transformers' apply_multimodal_rotary_pos_emb: the doubled sections
// [s0, s1, s2, s0, s1, s2] cut cat(freqs, freqs), chunk c taking stream c%3.
func TestMRopeTables(t *testing.T) {
	inv := InvFreq(16, 10000) // 8 frequencies
	sections := [3]int{2, 3, 3}
	pos := [3][]int{{0, 1, 2, 3, 4}, {0, 1, 1, 2, 5}, {0, 2, 1, 3, 7}}
	cos, sin, err := MRopeTables(pos, inv, sections)
	if err != nil {
		t.Fatal(err)
	}
	doubled := []int{2, 3, 3, 2, 3, 3}
	for p := 0; p < 5; p++ {
		col := 0
		for c, n := range doubled {
			for k := 0; k < n; k++ {
				f := inv[col%8]
				a := float32(pos[c%3][p]) * f
				if cos.Data()[p*16+col] != float32(math.Cos(float64(a))) || sin.Data()[p*16+col] != float32(math.Sin(float64(a))) {
					t.Fatalf("pos %d column %d: stream mismatch", p, col)
				}
				col++
			}
		}
	}
	if _, _, err := MRopeTables(pos, inv, [3]int{2, 3, 2}); err == nil {
		t.Fatal("bad sections accepted")
	}
	if _, _, err := MRopeTables([3][]int{{1}, {1, 2}, {1}}, inv, sections); err == nil {
		t.Fatal("ragged positions accepted")
	}
	// With equal streams M-RoPE is plain RoPE.
	same := [3][]int{{4, 9}, {4, 9}, {4, 9}}
	mc, ms, _ := MRopeTables(same, inv, sections)
	pc, ps := RopeTables([]int{4, 9}, inv, 1)
	assertBitEqual(t, "cos", mc.Data(), pc.Data())
	assertBitEqual(t, "sin", ms.Data(), ps.Data())
}

// TestVisionRopeTables follows Qwen2-VL's rot_pos_emb: height and width ids
// are laid out in mergeSize×mergeSize blocks, repeated for each frame.
func TestVisionRopeTables(t *testing.T) {
	const gt, gh, gw, ms = 2, 4, 6, 2
	inv := InvFreq(8, 10000) // headDim 16 → VisionRotaryEmbedding(8) → 4 freqs
	cos, sin, err := VisionRopeTables(gt, gh, gw, ms, inv)
	if err != nil {
		t.Fatal(err)
	}
	assertShape(t, "table", cos, gt*gh*gw, 16)
	// hpos[y][x] = y, reshaped (h/ms, ms, w/ms, ms), permuted (0, 2, 1, 3).
	var hs, ws []int
	for bh := 0; bh < gh/ms; bh++ {
		for bw := 0; bw < gw/ms; bw++ {
			for i := 0; i < ms; i++ {
				for j := 0; j < ms; j++ {
					hs = append(hs, bh*ms+i)
					ws = append(ws, bw*ms+j)
				}
			}
		}
	}
	for r := 0; r < gt*gh*gw; r++ {
		y, x := hs[r%(gh*gw)], ws[r%(gh*gw)]
		var freqs []float32
		for _, f := range inv {
			freqs = append(freqs, float32(y)*f)
		}
		for _, f := range inv {
			freqs = append(freqs, float32(x)*f)
		}
		emb := append(append([]float32(nil), freqs...), freqs...)
		for i, a := range emb {
			if cos.Data()[r*16+i] != float32(math.Cos(float64(a))) || sin.Data()[r*16+i] != float32(math.Sin(float64(a))) {
				t.Fatalf("row %d column %d wrong", r, i)
			}
		}
	}
	if _, _, err := VisionRopeTables(1, 3, 4, 2, inv); err == nil {
		t.Fatal("odd grid accepted")
	}
}
