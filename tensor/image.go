package tensor

import (
	"fmt"
	"math"
)

// AvgPool2D averages k×k windows of x [C, H, W] taken every stride pixels
// (no padding), giving [C, (H−k)/stride+1, (W−k)/stride+1]. It panics with a
// *ShapeError when the window does not fit.
func AvgPool2D(x *Tensor, k, stride int) *Tensor {
	xd := x.wantF32("AvgPool2D")
	if x.Rank() != 3 || k < 1 || stride < 1 || x.shape[1] < k || x.shape[2] < k {
		panic(shapeErr("AvgPool2D", fmt.Sprintf("window %d stride %d does not fit [C, H, W]", k, stride), x))
	}
	c, h, w := x.shape[0], x.shape[1], x.shape[2]
	oh, ow := (h-k)/stride+1, (w-k)/stride+1
	out := empty(c, oh, ow)
	inv := 1 / float32(k*k)
	od := out.f32
	parFor(c, 1, func(lo, hi int) {
		for ch := lo; ch < hi; ch++ {
			for y := 0; y < oh; y++ {
				for xo := 0; xo < ow; xo++ {
					var s float32
					for dy := 0; dy < k; dy++ {
						r := xd[(ch*h+y*stride+dy)*w+xo*stride:]
						for dx := 0; dx < k; dx++ {
							s += r[dx]
						}
					}
					od[(ch*oh+y)*ow+xo] = s * inv
				}
			}
		}
	})
	return out
}

// PixelShuffle is Idefics3's connector shuffle: x [seq, D] holds a square
// grid of side √seq patches, row-major; every scale×scale block of patches
// becomes one token of D·scale² features, giving [seq/scale², D·scale²].
// Output token (bh, bw) (row-major over the reduced grid) holds, in order,
// for i, j < scale, the features of patch (bh·scale+i, bw·scale+j): the
// reshape/permute order of transformers' Idefics3Connector.pixel_shuffle.
// It panics with a *ShapeError when seq is not a square whose side divides
// by scale.
func PixelShuffle(x *Tensor, scale int) *Tensor {
	xd := x.wantF32("PixelShuffle")
	if x.Rank() != 2 || scale < 1 {
		panic(shapeErr("PixelShuffle", "want x [seq, D] and scale >= 1", x))
	}
	seq, d := x.shape[0], x.shape[1]
	side := int(math.Sqrt(float64(seq)) + 0.5)
	if side*side != seq || side%scale != 0 {
		panic(shapeErr("PixelShuffle", fmt.Sprintf("seq must be a square whose side divides by %d", scale), x))
	}
	nb := side / scale
	out := empty(nb*nb, d*scale*scale)
	od := out.f32
	for bh := 0; bh < nb; bh++ {
		for bw := 0; bw < nb; bw++ {
			dst := od[(bh*nb+bw)*d*scale*scale:]
			for i := 0; i < scale; i++ {
				for j := 0; j < scale; j++ {
					src := ((bh*scale+i)*side + bw*scale + j) * d
					copy(dst[(i*scale+j)*d:(i*scale+j+1)*d], xd[src:src+d])
				}
			}
		}
	}
	return out
}

// InterpMode selects the kernel of Interpolate2D.
type InterpMode uint8

// Interpolation modes, with PyTorch F.interpolate semantics (antialias off).
const (
	Bilinear InterpMode = iota
	Bicubic             // Keys cubic with a = −0.75, as PyTorch
)

// String names the mode as PyTorch does.
func (m InterpMode) String() string {
	if m == Bicubic {
		return "bicubic"
	}
	return "bilinear"
}

// Interpolate2D resizes x [C, H, W] to [C, outH, outW] like PyTorch's
// F.interpolate with the given mode and align_corners flag (no antialias).
// Vision towers use it to resize position embeddings. It panics with a
// *ShapeError for an empty input or output.
func Interpolate2D(x *Tensor, outH, outW int, mode InterpMode, alignCorners bool) *Tensor {
	xd := x.wantF32("Interpolate2D")
	if x.Rank() != 3 || outH < 1 || outW < 1 || x.shape[1] < 1 || x.shape[2] < 1 {
		panic(shapeErr("Interpolate2D", fmt.Sprintf("want x [C, H, W] and a positive output size (%d, %d)", outH, outW), x))
	}
	c, h, w := x.shape[0], x.shape[1], x.shape[2]
	ty := interpTaps(h, outH, mode, alignCorners)
	tx := interpTaps(w, outW, mode, alignCorners)
	out := empty(c, outH, outW)
	od := out.f32
	parFor(c*outH, 4, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			ch, oy := r/outH, r%outH
			yt := ty[oy]
			for ox := 0; ox < outW; ox++ {
				xt := tx[ox]
				var acc float32
				for a := range yt.n {
					row := xd[(ch*h+yt.idx[a])*w:]
					var s float32
					for b := range xt.n {
						s += xt.w[b] * row[xt.idx[b]]
					}
					acc += yt.w[a] * s
				}
				od[(ch*outH+oy)*outW+ox] = acc
			}
		}
	})
	return out
}

// taps are the source indices and weights of one output coordinate.
type taps struct {
	n   int
	idx [4]int
	w   [4]float32
}

// interpTaps computes, for each of out output positions along an axis of
// length in, the taps PyTorch's upsampling uses.
func interpTaps(in, out int, mode InterpMode, alignCorners bool) []taps {
	var scale float32
	switch {
	case alignCorners && out > 1:
		scale = float32(in-1) / float32(out-1)
	case !alignCorners:
		scale = float32(in) / float32(out)
	}
	res := make([]taps, out)
	for o := range res {
		var src float32
		if alignCorners {
			src = scale * float32(o)
		} else {
			src = scale*(float32(o)+0.5) - 0.5
		}
		t := &res[o]
		if mode == Bicubic {
			f := float32(math.Floor(float64(src)))
			i0 := int(f)
			d := src - f
			const a = -0.75
			t.n = 4
			t.w = [4]float32{cubic2(d+1, a), cubic1(d, a), cubic1(1-d, a), cubic2(2-d, a)}
			for j := range 4 {
				t.idx[j] = min(max(i0-1+j, 0), in-1)
			}
			continue
		}
		if !alignCorners && src < 0 {
			src = 0
		}
		i0 := int(src)
		i1 := i0
		if i0 < in-1 {
			i1 = i0 + 1
		}
		l1 := src - float32(i0)
		t.n = 2
		t.idx = [4]int{i0, i1}
		t.w = [4]float32{1 - l1, l1}
	}
	return res
}

// cubic1 is Keys' kernel for |x| <= 1, cubic2 for 1 < |x| < 2.
func cubic1(x, a float32) float32 { return ((a+2)*x-(a+3))*x*x + 1 }
func cubic2(x, a float32) float32 { return ((a*x-5*a)*x+8*a)*x - 4*a }
