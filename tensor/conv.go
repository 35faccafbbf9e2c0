package tensor

import "fmt"

// Conv2D convolves the image x [C, H, W] with filters w [O, C, kh, kw] (any
// non-quantized float dtype) plus an optional bias b [O], with the given
// strides and zero padding, giving [O, H', W'] where
// H' = (H + 2·padH − kh)/strideH + 1. It runs as im2col followed by MatMul,
// so a patch embedding (stride = kernel) costs one GEMM. It panics with a
// *ShapeError when the shapes disagree.
func Conv2D(x, w, b *Tensor, strideH, strideW, padH, padW int) *Tensor {
	x.wantF32("Conv2D")
	if x.Rank() != 3 || w.Rank() != 4 {
		panic(shapeErr("Conv2D", "want x [C, H, W] and w [O, C, kh, kw]", x, w))
	}
	x3 := x.Reshape(x.shape[0], 1, x.shape[1], x.shape[2])
	w3 := w.Reshape(w.shape[0], w.shape[1], 1, w.shape[2], w.shape[3])
	out := conv3d("Conv2D", x3, w3, b, [3]int{1, strideH, strideW}, [3]int{0, padH, padW}, false)
	out.shape = []int{out.shape[0], out.shape[2], out.shape[3]}
	return out
}

// Conv2DTokens is Conv2D with the output laid out as tokens: [H'·W', O],
// output positions row-major. It is what a patch embedding feeds the
// transformer, without the [O, H', W'] detour and transpose.
func Conv2DTokens(x, w, b *Tensor, strideH, strideW, padH, padW int) *Tensor {
	x.wantF32("Conv2DTokens")
	if x.Rank() != 3 || w.Rank() != 4 {
		panic(shapeErr("Conv2DTokens", "want x [C, H, W] and w [O, C, kh, kw]", x, w))
	}
	x3 := x.Reshape(x.shape[0], 1, x.shape[1], x.shape[2])
	w3 := w.Reshape(w.shape[0], w.shape[1], 1, w.shape[2], w.shape[3])
	return conv3d("Conv2DTokens", x3, w3, b, [3]int{1, strideH, strideW}, [3]int{0, padH, padW}, true)
}

// Conv3DTokens is Conv3D with the output laid out as tokens:
// [T'·H'·W', O], positions row-major.
func Conv3DTokens(x, w, b *Tensor, stride, pad [3]int) *Tensor {
	x.wantF32("Conv3DTokens")
	return conv3d("Conv3DTokens", x, w, b, stride, pad, true)
}

// Conv3D convolves x [C, T, H, W] with filters w [O, C, kt, kh, kw] plus an
// optional bias b [O], with strides and zero padding per dimension (T, H,
// W), giving [O, T', H', W']. Qwen2-VL's patch embedding is a Conv3D whose
// stride equals its kernel. It panics with a *ShapeError when the shapes
// disagree.
func Conv3D(x, w, b *Tensor, stride, pad [3]int) *Tensor {
	x.wantF32("Conv3D")
	return conv3d("Conv3D", x, w, b, stride, pad, false)
}

// conv3d runs im2col + MatMul; tokens selects the [positions, O] layout
// instead of [O, T', H', W'].
func conv3d(op string, x, w, b *Tensor, stride, pad [3]int, tokens bool) *Tensor {
	w.live(op)
	if x.Rank() != 4 || w.Rank() != 5 || w.shape[1] != x.shape[0] || !w.dtype.IsFloat() || w.dtype == Q4 || w.dtype == Q8 {
		panic(shapeErr(op, "want x [C, (T,) H, W] and float filters [O, C, (kt,) kh, kw]", x, w))
	}
	c := x.shape[0]
	in := [3]int{x.shape[1], x.shape[2], x.shape[3]}
	k := [3]int{w.shape[2], w.shape[3], w.shape[4]}
	var o [3]int
	for i := range o {
		if stride[i] < 1 || pad[i] < 0 || in[i]+2*pad[i] < k[i] {
			panic(shapeErr(op, fmt.Sprintf("kernel %v, stride %v, padding %v do not fit the input", k, stride, pad), x, w))
		}
		o[i] = (in[i]+2*pad[i]-k[i])/stride[i] + 1
	}
	nOut := w.shape[0]
	if b != nil && (b.dtype != F32 || b.Len() != nOut) {
		panic(shapeErr(op, fmt.Sprintf("bias must be F32 [%d]", nOut), x, w, b))
	}
	patch := c * k[0] * k[1] * k[2]
	npos := o[0] * o[1] * o[2]
	cols := empty(npos, patch)
	xd := x.f32
	parFor(npos, 16, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			ot, oh, ow := p/(o[1]*o[2]), p/o[2]%o[1], p%o[2]
			row := cols.f32[p*patch : (p+1)*patch]
			idx := 0
			for ch := 0; ch < c; ch++ {
				for dt := 0; dt < k[0]; dt++ {
					it := ot*stride[0] - pad[0] + dt
					for dh := 0; dh < k[1]; dh++ {
						ih := oh*stride[1] - pad[1] + dh
						for dw := 0; dw < k[2]; dw++ {
							iw := ow*stride[2] - pad[2] + dw
							v := float32(0)
							if it >= 0 && it < in[0] && ih >= 0 && ih < in[1] && iw >= 0 && iw < in[2] {
								v = xd[((ch*in[0]+it)*in[1]+ih)*in[2]+iw]
							}
							row[idx] = v
							idx++
						}
					}
				}
			}
		}
	})
	y := MatMul(cols, w.Reshape(nOut, patch)) // [npos, O]
	cols.Release()
	if tokens {
		if b != nil {
			addRows(y.f32, b.f32)
		}
		return y
	}
	out := empty(nOut, o[0], o[1], o[2])
	od, yd := out.f32, y.f32
	for p := 0; p < npos; p++ {
		for f := 0; f < nOut; f++ {
			od[f*npos+p] = yd[p*nOut+f]
		}
	}
	y.Release()
	if b != nil {
		for f := 0; f < nOut; f++ {
			r := od[f*npos : (f+1)*npos]
			for i := range r {
				r[i] += b.f32[f]
			}
		}
	}
	return out
}
