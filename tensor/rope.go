package tensor

import (
	"fmt"
	"math"
)

// Rotary position embedding. The cos and sin tables are [seq, rotDim] in
// Hugging Face's layout: the rotDim/2 frequencies appear twice, as
// cat(freqs, freqs), so column i and column i+rotDim/2 hold the same angle.

// RoPE returns x [seq, heads, dim] with its first rotDim features of every
// head rotated by the per-position angles in cos and sin [seq, rotDim]
// (rotDim even, at most dim; the remaining dim-rotDim features are copied
// unchanged, as partial rotary does). With interleaved unset the halves are
// paired (feature i with i+rotDim/2, transformers' rotate_half); with
// interleaved set, features 2i and 2i+1 form a pair and use column i of the
// tables. RoPE panics with a *ShapeError when the shapes disagree.
func RoPE(x, cos, sin *Tensor, interleaved bool) *Tensor {
	checkRoPE(x, cos, sin)
	out := empty(x.shape...)
	CurrentBackend().RoPE(out, x, cos, sin, interleaved)
	return out
}

// RoPEInPlace is RoPE writing its result into x.
func RoPEInPlace(x, cos, sin *Tensor, interleaved bool) {
	checkRoPE(x, cos, sin)
	CurrentBackend().RoPE(x, x, cos, sin, interleaved)
}

func checkRoPE(x, cos, sin *Tensor) {
	x.wantF32("RoPE")
	cos.wantF32("RoPE")
	sin.wantF32("RoPE")
	if x.Rank() != 3 || cos.Rank() != 2 || !sameShape(cos.shape, sin.shape) ||
		cos.shape[0] != x.shape[0] || cos.shape[1]%2 != 0 || cos.shape[1] > x.shape[2] {
		panic(shapeErr("RoPE", "want x [seq, heads, dim] and cos, sin [seq, rotDim] with rotDim even and <= dim", x, cos, sin))
	}
}

// RoPE implements Backend.RoPE; dst may be x.
func (CPU) RoPE(dst, x, cos, sin *Tensor, interleaved bool) {
	seq, heads, dim := x.shape[0], x.shape[1], x.shape[2]
	rot := cos.shape[1]
	xd, od, cd, sd := x.f32, dst.f32, cos.f32, sin.f32
	parFor(seq*heads, 16, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			p := r / heads
			in, out := xd[r*dim:(r+1)*dim], od[r*dim:(r+1)*dim]
			c, s := cd[p*rot:(p+1)*rot], sd[p*rot:(p+1)*rot]
			if interleaved {
				ropeInterleaved(out, in, c, s)
			} else {
				ropeHalf(out, in, c, s)
			}
			copy(out[rot:], in[rot:])
		}
	})
}

// ropeHalf rotates (x[i], x[i+h]) pairs, h = len(c)/2: the rotate_half form
// x·cos + rotate_half(x)·sin.
func ropeHalf(out, x, c, s []float32) {
	h := len(c) / 2
	for i := 0; i < h; i++ {
		a, b := x[i], x[i+h]
		out[i] = a*c[i] - b*s[i]
		out[i+h] = b*c[i+h] + a*s[i+h]
	}
}

// ropeInterleaved rotates (x[2i], x[2i+1]) pairs by angle i.
func ropeInterleaved(out, x, c, s []float32) {
	h := len(c) / 2
	for i := 0; i < h; i++ {
		a, b := x[2*i], x[2*i+1]
		out[2*i] = a*c[i] - b*s[i]
		out[2*i+1] = b*c[i] + a*s[i]
	}
}

// InvFreq returns the rotary inverse frequencies 1/theta^(2i/dim) for
// i < dim/2, rounded through float32 as transformers computes them.
func InvFreq(dim int, theta float64) []float32 {
	out := make([]float32, dim/2)
	for i := range out {
		e := float32(2*i) / float32(dim)
		out[i] = 1 / float32(math.Pow(theta, float64(e)))
	}
	return out
}

// RopeTables returns cos and sin tables [len(positions), 2·len(invFreq)]
// for integer positions; every entry is multiplied by scale (the attention
// scaling of YaRN-style rope variants; 1 otherwise).
func RopeTables(positions []int, invFreq []float32, scale float32) (cos, sin *Tensor) {
	p := make([]float32, len(positions))
	for i, v := range positions {
		p[i] = float32(v)
	}
	return RopeTablesF32(p, invFreq, scale)
}

// RopeTablesF32 is RopeTables for fractional positions.
func RopeTablesF32(positions []float32, invFreq []float32, scale float32) (cos, sin *Tensor) {
	h := len(invFreq)
	cos, sin = empty(len(positions), 2*h), empty(len(positions), 2*h)
	for r, p := range positions {
		c, s := cos.f32[r*2*h:(r+1)*2*h], sin.f32[r*2*h:(r+1)*2*h]
		for i, f := range invFreq {
			setAngle(c, s, i, h, p*f, scale)
		}
	}
	return cos, sin
}

// setAngle writes cos and sin of angle a (times scale) at columns i and i+h.
func setAngle(c, s []float32, i, h int, a, scale float32) {
	cv := float32(math.Cos(float64(a))) * scale
	sv := float32(math.Sin(float64(a))) * scale
	c[i], c[i+h] = cv, cv
	s[i], s[i+h] = sv, sv
}

// MRopeTables builds Qwen2-VL's multimodal rotary tables
// [seq, 2·len(invFreq)]. pos holds the temporal, height and width position
// of every token (three slices of equal length); sections (the config's
// mrope_section) assigns the first sections[0] frequencies to the temporal
// stream, the next sections[1] to height and the last sections[2] to width,
// in both halves of the table, as transformers' multimodal rotary does. It
// returns a *ShapeError when the lengths disagree.
func MRopeTables(pos [3][]int, invFreq []float32, sections [3]int) (cos, sin *Tensor, err error) {
	n := len(pos[0])
	if len(pos[1]) != n || len(pos[2]) != n {
		return nil, nil, &ShapeError{Op: "MRopeTables", Shapes: [][]int{{len(pos[0])}, {len(pos[1])}, {len(pos[2])}}, Reason: "position streams differ in length"}
	}
	h := len(invFreq)
	if sections[0] < 0 || sections[1] < 0 || sections[2] < 0 || sections[0]+sections[1]+sections[2] != h {
		return nil, nil, &ShapeError{Op: "MRopeTables", Shapes: [][]int{sections[:], {h}}, Reason: fmt.Sprintf("mrope sections must sum to the %d frequencies", h)}
	}
	stream := make([]int, h)
	for i := range stream {
		switch {
		case i < sections[0]:
			stream[i] = 0
		case i < sections[0]+sections[1]:
			stream[i] = 1
		default:
			stream[i] = 2
		}
	}
	cos, sin = empty(n, 2*h), empty(n, 2*h)
	for r := 0; r < n; r++ {
		c, s := cos.f32[r*2*h:(r+1)*2*h], sin.f32[r*2*h:(r+1)*2*h]
		for i, f := range invFreq {
			setAngle(c, s, i, h, float32(pos[stream[i]][r])*f, 1)
		}
	}
	return cos, sin, nil
}

// VisionRopeTables builds the 2-D rotary tables of Qwen2-VL's vision tower
// for one image or video of gridT×gridH×gridW patches: [T·H·W, 4·len(invFreq)]
// (invFreq = InvFreq(headDim/2, theta), so the width is headDim). Patches are
// listed in the tower's order: frame by frame, and within a frame by
// mergeSize×mergeSize blocks, row-major inside each block. Each row holds the
// height angles, then the width angles, and that pair again. It returns a
// *ShapeError when the grid is not divisible by mergeSize.
func VisionRopeTables(gridT, gridH, gridW, mergeSize int, invFreq []float32) (cos, sin *Tensor, err error) {
	if gridT < 0 || gridH < 0 || gridW < 0 || mergeSize < 1 || gridH%mergeSize != 0 || gridW%mergeSize != 0 {
		return nil, nil, &ShapeError{Op: "VisionRopeTables", Shapes: [][]int{{gridT, gridH, gridW}, {mergeSize}}, Reason: "grid height and width must be multiples of the merge size"}
	}
	q := len(invFreq)
	h := 2 * q // half width: height angles then width angles
	n := gridT * gridH * gridW
	cos, sin = empty(n, 2*h), empty(n, 2*h)
	r := 0
	for t := 0; t < gridT; t++ {
		for bh := 0; bh < gridH/mergeSize; bh++ {
			for bw := 0; bw < gridW/mergeSize; bw++ {
				for ih := 0; ih < mergeSize; ih++ {
					for iw := 0; iw < mergeSize; iw++ {
						y, x := bh*mergeSize+ih, bw*mergeSize+iw
						c, s := cos.f32[r*2*h:(r+1)*2*h], sin.f32[r*2*h:(r+1)*2*h]
						for i, f := range invFreq {
							setAngle(c, s, i, h, float32(y)*f, 1)
							setAngle(c, s, q+i, h, float32(x)*f, 1)
						}
						r++
					}
				}
			}
		}
	}
	return cos, sin, nil
}
