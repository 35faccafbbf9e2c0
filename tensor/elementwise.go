package tensor

import "fmt"

type binOp uint8

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
)

var binOpNames = [...]string{opAdd: "Add", opSub: "Sub", opMul: "Mul", opDiv: "Div"}

// Add returns a+b with NumPy broadcasting (F32 operands). Like the other
// element-wise operations it panics with a *ShapeError when the shapes do not
// broadcast.
func Add(a, b *Tensor) *Tensor { return binaryNew(opAdd, a, b) }

// Sub returns a-b with NumPy broadcasting.
func Sub(a, b *Tensor) *Tensor { return binaryNew(opSub, a, b) }

// Mul returns a*b with NumPy broadcasting.
func Mul(a, b *Tensor) *Tensor { return binaryNew(opMul, a, b) }

// Div returns a/b with NumPy broadcasting.
func Div(a, b *Tensor) *Tensor { return binaryNew(opDiv, a, b) }

// AddInPlace sets dst += src, where src broadcasts to dst's shape.
func AddInPlace(dst, src *Tensor) { binaryInto(opAdd, dst, dst, src) }

// SubInPlace sets dst -= src, where src broadcasts to dst's shape.
func SubInPlace(dst, src *Tensor) { binaryInto(opSub, dst, dst, src) }

// MulInPlace sets dst *= src, where src broadcasts to dst's shape.
func MulInPlace(dst, src *Tensor) { binaryInto(opMul, dst, dst, src) }

// DivInPlace sets dst /= src, where src broadcasts to dst's shape.
func DivInPlace(dst, src *Tensor) { binaryInto(opDiv, dst, dst, src) }

// Scale returns x*s.
func Scale(x *Tensor, s float32) *Tensor {
	out := x.Clone()
	ScaleInPlace(out, s)
	return out
}

// ScaleInPlace sets x *= s.
func ScaleInPlace(x *Tensor, s float32) {
	d := x.wantF32("ScaleInPlace")
	parFor(len(d), actGrain, func(lo, hi int) {
		applyRun(opMul, d[lo:hi], d[lo:hi], []float32{s}, 1, 0)
	})
}

// AddScalar returns x+s.
func AddScalar(x *Tensor, s float32) *Tensor {
	out := x.Clone()
	AddScalarInPlace(out, s)
	return out
}

// AddScalarInPlace sets x += s.
func AddScalarInPlace(x *Tensor, s float32) {
	d := x.wantF32("AddScalarInPlace")
	parFor(len(d), actGrain, func(lo, hi int) {
		applyRun(opAdd, d[lo:hi], d[lo:hi], []float32{s}, 1, 0)
	})
}

// BroadcastShape returns the NumPy broadcast of two shapes, or false when
// they do not broadcast.
func BroadcastShape(a, b []int) ([]int, bool) {
	n := max(len(a), len(b))
	out := make([]int, n)
	for i := 1; i <= n; i++ {
		da, db := 1, 1
		if i <= len(a) {
			da = a[len(a)-i]
		}
		if i <= len(b) {
			db = b[len(b)-i]
		}
		switch {
		case da == db || db == 1:
			out[n-i] = da
		case da == 1:
			out[n-i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

func binaryNew(op binOp, a, b *Tensor) *Tensor {
	a.wantF32(binOpNames[op])
	b.wantF32(binOpNames[op])
	shape, ok := BroadcastShape(a.shape, b.shape)
	if !ok {
		panic(shapeErr(binOpNames[op], "shapes do not broadcast", a, b))
	}
	out := empty(shape...)
	binaryInto(op, out, a, b)
	return out
}

// binaryInto computes dst = a op b, where a and b broadcast to dst's shape.
// dst may be a.
func binaryInto(op binOp, dst, a, b *Tensor) {
	name := binOpNames[op]
	dd, ad, bd := dst.wantF32(name), a.wantF32(name), b.wantF32(name)
	shape, ok := BroadcastShape(a.shape, b.shape)
	if !ok || !sameShape(shape, dst.shape) {
		panic(shapeErr(name, fmt.Sprintf("operands must broadcast to %v", dst.shape), a, b))
	}
	if len(dd) == 0 {
		return
	}
	if sameShape(a.shape, b.shape) {
		parFor(len(dd), actGrain, func(lo, hi int) {
			applyRun(op, dd[lo:hi], ad[lo:hi], bd[lo:hi], 1, 1)
		})
		return
	}
	n := len(shape)
	sa, sb := bstrides(a.shape, n), bstrides(b.shape, n)
	// Merge the innermost dimension into a run; iterate the rest, in
	// parallel over ranges of runs.
	inner := shape[n-1]
	ia, ib := sa[n-1], sb[n-1]
	outer := len(dd) / inner
	parFor(outer, max(1, actGrain/inner), func(o0, o1 int) {
		// Index and operand offsets of run o0.
		idx := make([]int, n-1)
		oa, ob := 0, 0
		for d, rem := n-2, o0; d >= 0; d-- {
			idx[d] = rem % shape[d]
			rem /= shape[d]
			oa += idx[d] * sa[d]
			ob += idx[d] * sb[d]
		}
		for o := o0; o < o1; o++ {
			applyRun(op, dd[o*inner:(o+1)*inner], ad[oa:], bd[ob:], ia, ib)
			for d := n - 2; d >= 0; d-- {
				idx[d]++
				oa += sa[d]
				ob += sb[d]
				if idx[d] < shape[d] {
					break
				}
				oa -= sa[d] * shape[d]
				ob -= sb[d] * shape[d]
				idx[d] = 0
			}
		}
	})
}

// bstrides returns the element strides of shape aligned right to rank n,
// with 0 for broadcast dimensions.
func bstrides(shape []int, n int) []int {
	s := make([]int, n)
	stride := 1
	for i := len(shape) - 1; i >= 0; i-- {
		j := n - len(shape) + i
		if shape[i] != 1 {
			s[j] = stride
		}
		stride *= shape[i]
	}
	return s
}

// applyRun computes dst[i] = a[i*ia] op b[i*ib]; strides are 0 or 1.
func applyRun(op binOp, dst, a, b []float32, ia, ib int) {
	switch {
	case ia == 1 && ib == 1:
		a, b = a[:len(dst)], b[:len(dst)]
		switch op {
		case opAdd:
			for i := range dst {
				dst[i] = a[i] + b[i]
			}
		case opSub:
			for i := range dst {
				dst[i] = a[i] - b[i]
			}
		case opMul:
			for i := range dst {
				dst[i] = a[i] * b[i]
			}
		case opDiv:
			for i := range dst {
				dst[i] = a[i] / b[i]
			}
		}
	case ia == 1:
		a = a[:len(dst)]
		s := b[0]
		switch op {
		case opAdd:
			for i := range dst {
				dst[i] = a[i] + s
			}
		case opSub:
			for i := range dst {
				dst[i] = a[i] - s
			}
		case opMul:
			for i := range dst {
				dst[i] = a[i] * s
			}
		case opDiv:
			for i := range dst {
				dst[i] = a[i] / s
			}
		}
	default:
		for i := range dst {
			x, y := a[i*ia], b[i*ib]
			switch op {
			case opAdd:
				dst[i] = x + y
			case opSub:
				dst[i] = x - y
			case opMul:
				dst[i] = x * y
			case opDiv:
				dst[i] = x / y
			}
		}
	}
}

// addRows adds the vector b to every len(b)-long row of d.
func addRows(d, b []float32) {
	n := len(b)
	for o := 0; o+n <= len(d); o += n {
		r := d[o : o+n]
		for i := range r {
			r[i] += b[i]
		}
	}
}
