package tensor

import (
	"fmt"
)

// Concat joins tensors of one dtype along dim (negative counts from the
// end); all other dimensions must agree. It copies and panics with a
// *ShapeError when the shapes disagree.
func Concat(dim int, ts ...*Tensor) *Tensor {
	if len(ts) == 0 {
		panic(&ShapeError{Op: "Concat", Reason: "nothing to concatenate"})
	}
	first := ts[0]
	first.live("Concat")
	dim = first.axis("Concat", dim)
	shape := first.Shape()
	shape[dim] = 0
	for _, t := range ts {
		t.live("Concat")
		if t.dtype != first.dtype || t.Rank() != first.Rank() {
			panic(shapeErr("Concat", "operands differ in dtype or rank", ts...))
		}
		for i := range shape {
			if i != dim && t.shape[i] != first.shape[i] {
				panic(shapeErr("Concat", fmt.Sprintf("operands differ outside dimension %d", dim), ts...))
			}
		}
		shape[dim] += t.shape[dim]
	}
	if first.dtype == Q4 || first.dtype == Q8 {
		panic(&DTypeError{Op: "Concat", DType: first.dtype, Reason: "quantized tensors cannot be concatenated"})
	}
	out := alloc(first.dtype, shape)
	outer := numel(shape[:dim])
	inner := numel(shape[dim+1:])
	row := shape[dim] * inner
	off := 0
	for _, t := range ts {
		n := t.shape[dim] * inner
		for o := 0; o < outer; o++ {
			copyElems(out, o*row+off, t, o*n, n)
		}
		off += n
	}
	return out
}

// Split cuts x along dim into pieces of the given sizes, which must sum to
// x.Dim(dim). Pieces are views when contiguous and copies otherwise (see
// Slice). It panics with a *ShapeError when the sizes do not add up.
func Split(x *Tensor, dim int, sizes ...int) []*Tensor {
	x.live("Split")
	dim = x.axis("Split", dim)
	total := 0
	for _, s := range sizes {
		if s < 0 {
			panic(shapeErr("Split", "negative size", x))
		}
		total += s
	}
	if total != x.shape[dim] {
		panic(shapeErr("Split", fmt.Sprintf("sizes %v do not sum to %d", sizes, x.shape[dim]), x))
	}
	out := make([]*Tensor, len(sizes))
	lo := 0
	for i, s := range sizes {
		out[i] = x.Slice(dim, lo, lo+s)
		lo += s
	}
	return out
}

// Transpose returns a copy of x with its dimensions permuted: output
// dimension i is input dimension perm[i]. With no perm the dimensions are
// reversed. It panics with a *ShapeError for an invalid permutation.
func Transpose(x *Tensor, perm ...int) *Tensor {
	x.live("Transpose")
	n := x.Rank()
	if len(perm) == 0 {
		perm = make([]int, n)
		for i := range perm {
			perm[i] = n - 1 - i
		}
	}
	seen := make([]bool, n)
	if len(perm) != n {
		panic(shapeErr("Transpose", fmt.Sprintf("permutation %v for rank %d", perm, n), x))
	}
	for _, p := range perm {
		if p < 0 || p >= n || seen[p] {
			panic(shapeErr("Transpose", fmt.Sprintf("invalid permutation %v", perm), x))
		}
		seen[p] = true
	}
	if x.dtype == Q4 || x.dtype == Q8 {
		panic(&DTypeError{Op: "Transpose", DType: x.dtype, Reason: "dequantize first"})
	}
	shape := make([]int, n)
	for i, p := range perm {
		shape[i] = x.shape[p]
	}
	out := alloc(x.dtype, shape)
	if out.Len() == 0 {
		return out
	}
	// Strides of the input, reordered to the output's dimensions.
	inStride := make([]int, n)
	s := 1
	for i := n - 1; i >= 0; i-- {
		inStride[i] = s
		s *= x.shape[i]
	}
	st := make([]int, n)
	for i, p := range perm {
		st[i] = inStride[p]
	}
	// Copy runs along the output's last dimension.
	inner := shape[n-1]
	is := st[n-1]
	idx := make([]int, n-1)
	off := 0
	for o := 0; o < out.Len()/inner; o++ {
		switch {
		case is == 1:
			copyElems(out, o*inner, x, off, inner)
		case x.dtype == F32:
			dst := out.f32[o*inner : (o+1)*inner]
			for j := range dst {
				dst[j] = x.f32[off+j*is]
			}
		default:
			for j := 0; j < inner; j++ {
				copyElems(out, o*inner+j, x, off+j*is, 1)
			}
		}
		for d := n - 2; d >= 0; d-- {
			idx[d]++
			off += st[d]
			if idx[d] < shape[d] {
				break
			}
			off -= st[d] * shape[d]
			idx[d] = 0
		}
	}
	return out
}

// Contiguous returns x when it owns its storage and a compact copy when x
// is a view or wraps memory it does not own, so the result can outlive the
// parent or the mapping.
func Contiguous(x *Tensor) *Tensor {
	if x.box != nil {
		return x
	}
	return x.Clone()
}
