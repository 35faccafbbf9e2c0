package tensor

import (
	"fmt"
	"math"
	"testing"
)

// refConv3D is a direct convolution in float64.
func refConv3D(x, w, b *Tensor, stride, pad [3]int) ([]int, []float32) {
	c, in := x.shape[0], [3]int{x.shape[1], x.shape[2], x.shape[3]}
	o, k := w.shape[0], [3]int{w.shape[2], w.shape[3], w.shape[4]}
	var os [3]int
	for i := range os {
		os[i] = (in[i]+2*pad[i]-k[i])/stride[i] + 1
	}
	wf := w.ToF32().f32
	out := make([]float32, o*os[0]*os[1]*os[2])
	for f := 0; f < o; f++ {
		for a := 0; a < os[0]; a++ {
			for bb := 0; bb < os[1]; bb++ {
				for cc := 0; cc < os[2]; cc++ {
					var s float64
					if b != nil {
						s = float64(b.f32[f])
					}
					for ch := 0; ch < c; ch++ {
						for dt := 0; dt < k[0]; dt++ {
							for dh := 0; dh < k[1]; dh++ {
								for dw := 0; dw < k[2]; dw++ {
									it, ih, iw := a*stride[0]-pad[0]+dt, bb*stride[1]-pad[1]+dh, cc*stride[2]-pad[2]+dw
									if it < 0 || ih < 0 || iw < 0 || it >= in[0] || ih >= in[1] || iw >= in[2] {
										continue
									}
									s += float64(x.f32[((ch*in[0]+it)*in[1]+ih)*in[2]+iw]) *
										float64(wf[((((f*c+ch)*k[0]+dt)*k[1]+dh)*k[2])+dw])
								}
							}
						}
					}
					out[((f*os[0]+a)*os[1]+bb)*os[2]+cc] = float32(s)
				}
			}
		}
	}
	return []int{o, os[0], os[1], os[2]}, out
}

func TestConv2D(t *testing.T) {
	for _, c := range []struct{ kh, kw, sh, sw, ph, pw int }{{3, 3, 1, 1, 1, 1}, {4, 4, 4, 4, 0, 0}, {2, 3, 2, 1, 0, 2}} {
		x := randT(1, 3, 9, 8)
		w := randT(2, 5, 3, c.kh, c.kw)
		b := randT(3, 5)
		got := Conv2D(x, w, b, c.sh, c.sw, c.ph, c.pw)
		shape, want := refConv3D(x.Reshape(3, 1, 9, 8), w.Reshape(5, 3, 1, c.kh, c.kw), b, [3]int{1, c.sh, c.sw}, [3]int{0, c.ph, c.pw})
		assertShape(t, "conv2d", got, shape[0], shape[2], shape[3])
		assertClose(t, fmt.Sprint("conv2d ", c), got.Data(), want, 1e-5, 1e-5)
	}
	expectPanic[*ShapeError](t, "channels", func() { Conv2D(New(2, 4, 4), New(1, 3, 2, 2), nil, 1, 1, 0, 0) })
	// The token layout is the transpose of the image layout.
	x := randT(1, 3, 9, 8)
	w := randT(2, 5, 3, 3, 2)
	b := randT(3, 5)
	img := Conv2D(x, w, b, 2, 2, 1, 0)
	tok := Conv2DTokens(x, w, b, 2, 2, 1, 0)
	assertShape(t, "tokens", tok, img.Dim(1)*img.Dim(2), 5)
	assertBitEqual(t, "tokens", tok.Data(), Transpose(img.Reshape(5, -1), 1, 0).Data())
}

func TestConv3D(t *testing.T) {
	// Qwen2-VL's patch embedding: kernel = stride = (2, 4, 4), no bias, BF16 filters.
	x := randT(1, 3, 4, 8, 12)
	w := weightAs(t, randT(2, 6, 3, 2, 4, 4).Reshape(6, 96), BF16).Reshape(6, 3, 2, 4, 4)
	got := Conv3D(x, w, nil, [3]int{2, 4, 4}, [3]int{})
	shape, want := refConv3D(x, w, nil, [3]int{2, 4, 4}, [3]int{})
	assertShape(t, "conv3d", got, shape...)
	assertClose(t, "conv3d", got.Data(), want, 1e-5, 1e-5)
	withWorkers(t, "conv3d", func() []float32 { return Conv3D(x, w, nil, [3]int{2, 4, 4}, [3]int{}).Data() })
	tok := Conv3DTokens(x, w, nil, [3]int{2, 4, 4}, [3]int{})
	assertShape(t, "tokens", tok, 2*2*3, 6)
	assertBitEqual(t, "tokens", tok.Data(), Transpose(got.Reshape(6, -1), 1, 0).Data())
}

func TestAvgPool2D(t *testing.T) {
	x := randT(1, 2, 8, 9)
	got := AvgPool2D(x, 4, 4)
	assertShape(t, "pool", got, 2, 2, 2)
	for c := 0; c < 2; c++ {
		for i := 0; i < 2; i++ {
			for j := 0; j < 2; j++ {
				var s float64
				for a := 0; a < 4; a++ {
					for b := 0; b < 4; b++ {
						s += float64(x.f32[(c*8+i*4+a)*9+j*4+b])
					}
				}
				if d := math.Abs(float64(got.f32[(c*2+i)*2+j]) - s/16); d > 1e-6 {
					t.Fatalf("pool [%d %d %d] off by %g", c, i, j, d)
				}
			}
		}
	}
	expectPanic[*ShapeError](t, "window", func() { AvgPool2D(x, 9, 1) })
}

func goldenInput(n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(math.Sin(float64(i) * 0.37))
	}
	return out
}

// TestPixelShuffleAgainstTransformers compares with Idefics3Connector.
// pixel_shuffle as run by transformers 5.17, and with the same
// reshape/permute sequence written with Reshape and Transpose.
func TestPixelShuffleAgainstTransformers(t *testing.T) {
	g := loadGolden(t)
	x := FromF32(goldenInput(36*3), 36, 3)
	for _, s := range []int{2, 3} {
		got := PixelShuffle(x, s)
		assertShape(t, "shuffle", got, 36/(s*s), 3*s*s)
		assertClose(t, "shuffle", got.Data(), f32s(g[fmt.Sprintf("pixel_shuffle_s%d", s)]), 0, 0)
		side := 6
		y := x.Reshape(side, side/s, 3*s)
		y = Transpose(y, 1, 0, 2).Reshape(side/s, side/s, 3*s*s)
		y = Transpose(y, 1, 0, 2).Reshape(36/(s*s), 3*s*s)
		assertClose(t, "reshape/permute", got.Data(), y.Data(), 0, 0)
	}
	expectPanic[*ShapeError](t, "not square", func() { PixelShuffle(New(12, 2), 2) })
}

func TestInterpolateAgainstPyTorch(t *testing.T) {
	g := loadGolden(t)
	x := FromF32(goldenInput(2*5*7), 2, 5, 7)
	for _, mode := range []InterpMode{Bicubic, Bilinear} {
		for _, ac := range []bool{false, true} {
			for _, sz := range [][2]int{{9, 4}, {3, 11}} {
				key := fmt.Sprintf("interp_%v_%d_%dx%d", mode, b2i(ac), sz[0], sz[1])
				want, ok := g[key]
				if !ok {
					t.Fatalf("golden %s missing", key)
				}
				got := Interpolate2D(x, sz[0], sz[1], mode, ac)
				assertShape(t, key, got, 2, sz[0], sz[1])
				assertClose(t, key, got.Data(), f32s(want), 2e-6, 1e-5)
			}
		}
	}
	// Same size is the identity for both kernels.
	for _, mode := range []InterpMode{Bicubic, Bilinear} {
		assertClose(t, "identity", Interpolate2D(x, 5, 7, mode, false).Data(), x.Data(), 1e-7, 0)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestArgmaxTopK(t *testing.T) {
	nan := float32(math.NaN())
	x := []float32{0.5, 3, nan, -1, 3, 2, 7, -9}
	if Argmax(x) != 6 || Argmax(nil) != -1 || Argmax([]float32{nan}) != -1 {
		t.Fatal("Argmax wrong")
	}
	idx, vals := TopK(x, 4)
	wantIdx := []int{6, 1, 4, 5}
	for i := range wantIdx {
		if idx[i] != wantIdx[i] || vals[i] != x[wantIdx[i]] {
			t.Fatalf("TopK = %v %v", idx, vals)
		}
	}
	if i, _ := TopK(x, 100); len(i) != 7 {
		t.Fatalf("TopK clamps to %d non-NaN values, got %d", 7, len(i))
	}
	if i, _ := TopK(x, 0); len(i) != 0 {
		t.Fatal("TopK(0)")
	}
	// Large random input against a full sort.
	r := randF32(3, 5000)
	idx, _ = TopK(r, 50)
	for i := 1; i < len(idx); i++ {
		if r[idx[i]] > r[idx[i-1]] {
			t.Fatal("TopK not sorted")
		}
	}
	cnt := 0
	for _, v := range r {
		if v > r[idx[49]] {
			cnt++
		}
	}
	if cnt != 49 {
		t.Fatalf("%d values exceed the 50th largest", cnt)
	}
}
