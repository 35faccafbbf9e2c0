package tensor

import (
	"fmt"
	"math"
)

const normRowGrain = 8 // rows per parallel chunk of a normalisation

// Softmax returns the softmax of x over its last dimension, computed with
// the row maximum subtracted so large logits cannot overflow.
func Softmax(x *Tensor) *Tensor {
	out := x.Clone()
	SoftmaxInPlace(out)
	return out
}

// SoftmaxInPlace replaces each last-dimension row of x by its softmax.
func SoftmaxInPlace(x *Tensor) {
	d := x.wantF32("Softmax")
	if x.Rank() == 0 || x.Dim(-1) == 0 {
		return
	}
	n := x.Dim(-1)
	parFor(len(d)/n, normRowGrain, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			softmaxRow(d[r*n : (r+1)*n])
		}
	})
}

// softmaxRow replaces r by its softmax; -Inf entries and scores more than
// 72 below the maximum become exactly 0. A row of all -Inf becomes zeros.
func softmaxRow(r []float32) {
	for _, v := range r {
		if !math.IsInf(float64(v), -1) {
			softmaxMasked(r)
			return
		}
	}
	clear(r)
}

// normWeight returns w as float32 values of length n (nil stays nil).
func normWeight(op string, w *Tensor, n int) []float32 {
	if w == nil {
		return nil
	}
	if w.Len() != n || w.dtype == Q4 || w.dtype == Q8 || !w.dtype.IsFloat() {
		panic(shapeErr(op, fmt.Sprintf("weight must be a float vector of %d values", n), w))
	}
	if w.dtype == F32 {
		return w.f32
	}
	// Norm weights are read-only: convert once and keep the copy.
	if c := w.f32Cache.Load(); c != nil {
		return *c
	}
	c := toF32Slice(w)
	w.f32Cache.Store(&c)
	return c
}

// RMSNorm returns x / sqrt(mean(x²) + eps) · w over the last dimension, in
// float32 as transformers computes it; with addOne the weight is applied as
// (1 + w), Gemma's convention. w is a vector of x.Dim(-1) values (any float
// dtype); nil means no weight.
func RMSNorm(x, w *Tensor, eps float32, addOne bool) *Tensor {
	x.wantF32("RMSNorm")
	if x.Rank() == 0 {
		panic(shapeErr("RMSNorm", "want at least one dimension", x))
	}
	normWeight("RMSNorm", w, x.Dim(-1))
	out := empty(x.shape...)
	CurrentBackend().RMSNorm(out, x, w, eps, addOne)
	return out
}

// LayerNorm returns (x - mean) / sqrt(var + eps) · w + b over the last
// dimension (biased variance, as PyTorch). w and b may be nil.
func LayerNorm(x, w, b *Tensor, eps float32) *Tensor {
	x.wantF32("LayerNorm")
	if x.Rank() == 0 {
		panic(shapeErr("LayerNorm", "want at least one dimension", x))
	}
	normWeight("LayerNorm", w, x.Dim(-1))
	normWeight("LayerNorm", b, x.Dim(-1))
	out := empty(x.shape...)
	CurrentBackend().LayerNorm(out, x, w, b, eps)
	return out
}

// RMSNorm implements Backend.RMSNorm.
func (CPU) RMSNorm(dst, x, w *Tensor, eps float32, addOne bool) {
	n := x.Dim(-1)
	if n == 0 {
		return
	}
	wd := normWeight("RMSNorm", w, n)
	xd, od := x.f32, dst.f32
	parFor(len(xd)/n, normRowGrain, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			rmsNormRow(od[r*n:(r+1)*n], xd[r*n:(r+1)*n], wd, eps, addOne)
		}
	})
}

func rmsNormRow(dst, x, w []float32, eps float32, addOne bool) {
	ss := sumSquares64(x, 0)
	inv := float32(1 / math.Sqrt(ss/float64(len(x))+float64(eps)))
	switch {
	case w == nil:
		for i, v := range x {
			dst[i] = v * inv
		}
	case addOne:
		for i, v := range x {
			dst[i] = v * inv * (1 + w[i])
		}
	default:
		for i, v := range x {
			dst[i] = v * inv * w[i]
		}
	}
}

// LayerNorm implements Backend.LayerNorm.
func (CPU) LayerNorm(dst, x, w, b *Tensor, eps float32) {
	n := x.Dim(-1)
	if n == 0 {
		return
	}
	wd := normWeight("LayerNorm", w, n)
	bd := normWeight("LayerNorm", b, n)
	xd, od := x.f32, dst.f32
	parFor(len(xd)/n, normRowGrain, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			layerNormRow(od[r*n:(r+1)*n], xd[r*n:(r+1)*n], wd, bd, eps)
		}
	})
}

func layerNormRow(dst, x, w, b []float32, eps float32) {
	mean := sum64(x) / float64(len(x))
	ss := sumSquares64(x, mean)
	inv := 1 / math.Sqrt(ss/float64(len(x))+float64(eps))
	m32, inv32 := float32(mean), float32(inv)
	dst = dst[:len(x)]
	if w != nil && b != nil { // the usual case, without per-element branches
		w, b = w[:len(x)], b[:len(x)]
		for i, v := range x {
			dst[i] = (v-m32)*inv32*w[i] + b[i]
		}
		return
	}
	for i, v := range x {
		y := (v - m32) * inv32
		if w != nil {
			y *= w[i]
		}
		if b != nil {
			y += b[i]
		}
		dst[i] = y
	}
}

// sum64 returns Σx in float64. Four partial sums (element i goes to sum
// i%4) break the dependency chain of one running sum; the order is fixed,
// so the result does not depend on anything but x.
func sum64(x []float32) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += float64(x[i])
		s1 += float64(x[i+1])
		s2 += float64(x[i+2])
		s3 += float64(x[i+3])
	}
	for ; i < len(x); i++ {
		s0 += float64(x[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// sumSquares64 returns Σ(x−c)² in float64 with sum64's four partial sums.
func sumSquares64(x []float32, c float64) float64 {
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(x); i += 4 {
		d0, d1 := float64(x[i])-c, float64(x[i+1])-c
		d2, d3 := float64(x[i+2])-c, float64(x[i+3])-c
		s0 += d0 * d0
		s1 += d1 * d1
		s2 += d2 * d2
		s3 += d3 * d3
	}
	for ; i < len(x); i++ {
		d := float64(x[i]) - c
		s0 += d * d
	}
	return (s0 + s1) + (s2 + s3)
}
