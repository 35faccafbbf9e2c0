package tensor

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/govlm/govlm/kernels"
)

// Tensor is an n-dimensional array with a shape, a dtype and contiguous
// row-major storage. Its zero value is not useful; build tensors with New,
// the From* constructors or an operation.
type Tensor struct {
	shape []int
	dtype DType

	f32    []float32 // F32
	u16    []uint16  // F16, BF16
	u32    []uint32  // U32 values, or the packed words of Q4/Q8
	i32    []int32   // I32
	i64    []int64   // I64
	bytes  []byte    // I8, U8, Bool
	scales []float32 // Q4/Q8: one per group, row-major [rows, cols/group]
	biases []float32
	group  int // Q4/Q8 group size

	shapeBuf [4]int     // backs shape for ranks up to 4, saving an allocation
	box      *[]float32 // pooled backing array when this tensor owns it
	released bool
	mat      atomic.Pointer[kernels.Mat]
	f32Cache atomic.Pointer[[]float32] // float32 copy of a half-precision vector weight
}

// New returns a float32 tensor of zeros with the given shape. Its storage
// comes from the scratch pool; Release returns it.
func New(shape ...int) *Tensor {
	t := empty(shape...)
	clear(t.f32)
	return t
}

// empty is New without the zeroing, for operations that overwrite every
// element.
func empty(shape ...int) *Tensor {
	n := checkShape("New", shape)
	t := &Tensor{dtype: F32}
	t.shape = append(t.shapeBuf[:0], shape...)
	t.f32, t.box = getScratch(n)
	return t
}

func checkShape(op string, shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			panic(&ShapeError{Op: op, Shapes: [][]int{append([]int(nil), shape...)}, Reason: "negative dimension"})
		}
		n *= d
	}
	return n
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// FromF32 wraps data as a float32 tensor of the given shape without copying;
// with no shape it is a vector of len(data). It panics with a *ShapeError
// when the shape does not hold exactly len(data) elements. The caller keeps
// ownership of data.
func FromF32(data []float32, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	if n := checkShape("FromF32", shape); n != len(data) {
		panic(&ShapeError{Op: "FromF32", Shapes: [][]int{shape}, Reason: fmt.Sprintf("shape holds %d elements, data has %d", n, len(data))})
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: F32, f32: data}
}

// FromU16 wraps half-precision words (dt F16 or BF16) as a tensor without
// copying. It panics with a *DTypeError for another dtype and a *ShapeError
// when the shape does not hold len(data) elements.
func FromU16(dt DType, data []uint16, shape ...int) *Tensor {
	if dt != F16 && dt != BF16 {
		panic(&DTypeError{Op: "FromU16", DType: dt, Reason: "want F16 or BF16"})
	}
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	if n := checkShape("FromU16", shape); n != len(data) {
		panic(&ShapeError{Op: "FromU16", Shapes: [][]int{shape}, Reason: fmt.Sprintf("shape holds %d elements, data has %d", n, len(data))})
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: dt, u16: data}
}

// FromInt32 wraps data as an I32 tensor without copying (a vector when no
// shape is given). It panics with a *ShapeError when the sizes disagree.
func FromInt32(data []int32, shape ...int) *Tensor {
	if len(shape) == 0 {
		shape = []int{len(data)}
	}
	if n := checkShape("FromInt32", shape); n != len(data) {
		panic(&ShapeError{Op: "FromInt32", Shapes: [][]int{shape}, Reason: fmt.Sprintf("shape holds %d elements, data has %d", n, len(data))})
	}
	return &Tensor{shape: append([]int(nil), shape...), dtype: I32, i32: data}
}

// Shape returns a copy of t's dimensions, outermost first.
func (t *Tensor) Shape() []int { return append([]int(nil), t.shape...) }

// Rank returns the number of dimensions.
func (t *Tensor) Rank() int { return len(t.shape) }

// Dim returns dimension i; a negative i counts from the end (-1 is the last).
// It panics with a *ShapeError when i is out of range.
func (t *Tensor) Dim(i int) int {
	return t.shape[t.axis("Dim", i)]
}

func (t *Tensor) axis(op string, i int) int {
	if i < 0 {
		i += len(t.shape)
	}
	if i < 0 || i >= len(t.shape) {
		panic(shapeErr(op, fmt.Sprintf("dimension %d out of range for rank %d", i, len(t.shape)), t))
	}
	return i
}

// Len returns the number of logical elements (1 for a scalar).
func (t *Tensor) Len() int { return numel(t.shape) }

// DType returns the element type.
func (t *Tensor) DType() DType { return t.dtype }

func (t *Tensor) live(op string) {
	if t.released {
		panic(&DTypeError{Op: op, DType: t.dtype, Reason: "tensor used after Release"})
	}
}

func (t *Tensor) wantF32(op string) []float32 {
	t.live(op)
	if t.dtype != F32 {
		panic(&DTypeError{Op: op, DType: t.dtype, Reason: "want F32"})
	}
	return t.f32
}

// Data returns the float32 storage of an F32 tensor (not a copy). It panics
// with a *DTypeError for other dtypes or after Release.
func (t *Tensor) Data() []float32 { return t.wantF32("Data") }

// Uint16s returns the words of an F16 or BF16 tensor (not a copy).
func (t *Tensor) Uint16s() []uint16 {
	t.live("Uint16s")
	if t.dtype != F16 && t.dtype != BF16 {
		panic(&DTypeError{Op: "Uint16s", DType: t.dtype, Reason: "want F16 or BF16"})
	}
	return t.u16
}

// Int32s returns the values of an I32 tensor (not a copy).
func (t *Tensor) Int32s() []int32 {
	if t.dtype != I32 {
		panic(&DTypeError{Op: "Int32s", DType: t.dtype, Reason: "want I32"})
	}
	return t.i32
}

// Int64s returns the values of an I64 tensor (not a copy).
func (t *Tensor) Int64s() []int64 {
	if t.dtype != I64 {
		panic(&DTypeError{Op: "Int64s", DType: t.dtype, Reason: "want I64"})
	}
	return t.i64
}

// Uint32s returns the values of a U32 tensor, or the packed words of a Q4/Q8
// tensor (not a copy).
func (t *Tensor) Uint32s() []uint32 {
	if t.dtype != U32 && t.dtype != Q4 && t.dtype != Q8 {
		panic(&DTypeError{Op: "Uint32s", DType: t.dtype, Reason: "want U32, Q4 or Q8"})
	}
	return t.u32
}

// Bytes returns the storage of an I8, U8 or Bool tensor (not a copy).
func (t *Tensor) Bytes() []byte {
	if t.dtype != I8 && t.dtype != U8 && t.dtype != Bool {
		panic(&DTypeError{Op: "Bytes", DType: t.dtype, Reason: "want I8, U8 or BOOL"})
	}
	return t.bytes
}

// Quant returns the storage of a Q4/Q8 tensor: bits, group size, packed
// words, scales and biases (not copies).
func (t *Tensor) Quant() (bits, groupSize int, q []uint32, scales, biases []float32) {
	if t.dtype != Q4 && t.dtype != Q8 {
		panic(&DTypeError{Op: "Quant", DType: t.dtype, Reason: "want Q4 or Q8"})
	}
	bits = 4
	if t.dtype == Q8 {
		bits = 8
	}
	return bits, t.group, t.u32, t.scales, t.biases
}

// Mat returns t as a kernels weight matrix. t must be 2-D with a float or
// quantized dtype; otherwise Mat panics with a *ShapeError or *DTypeError.
// The result is cached and must be treated as read-only.
func (t *Tensor) Mat() *kernels.Mat {
	t.live("Mat")
	if m := t.mat.Load(); m != nil {
		return m
	}
	if len(t.shape) != 2 {
		panic(shapeErr("Mat", "want a 2-D weight", t))
	}
	m := &kernels.Mat{Rows: t.shape[0], Cols: t.shape[1]}
	switch t.dtype {
	case F32:
		m.Format, m.F32 = kernels.FormatF32, t.f32
	case F16:
		m.Format, m.U16 = kernels.FormatF16, t.u16
	case BF16:
		m.Format, m.U16 = kernels.FormatBF16, t.u16
	case Q4, Q8:
		m.Format = kernels.FormatQ4
		if t.dtype == Q8 {
			m.Format = kernels.FormatQ8
		}
		m.Q, m.Scales, m.Biases, m.GroupSize = t.u32, t.scales, t.biases, t.group
	default:
		panic(&DTypeError{Op: "Mat", DType: t.dtype, Reason: "want F32, F16, BF16, Q4 or Q8"})
	}
	t.mat.Store(m)
	return m
}

// ToF32 returns a float32 copy of t, converting half precision, dequantizing
// Q4/Q8 and converting integers and booleans (true is 1).
func (t *Tensor) ToF32() *Tensor {
	t.live("ToF32")
	out := empty(t.shape...)
	d := out.f32
	switch t.dtype {
	case F32:
		copy(d, t.f32)
	case F16:
		kernels.F16ToF32(d, t.u16)
	case BF16:
		kernels.BF16ToF32(d, t.u16)
	case Q4, Q8:
		m := t.Mat()
		parFor(m.Rows, 16, func(lo, hi int) {
			for r := lo; r < hi; r++ {
				kernels.RowRef(d[r*m.Cols:(r+1)*m.Cols], m, r)
			}
		})
	case I32:
		for i, v := range t.i32 {
			d[i] = float32(v)
		}
	case I64:
		for i, v := range t.i64 {
			d[i] = float32(v)
		}
	case U32:
		for i, v := range t.u32 {
			d[i] = float32(v)
		}
	case I8:
		for i, v := range t.bytes {
			d[i] = float32(int8(v))
		}
	case U8, Bool:
		for i, v := range t.bytes {
			d[i] = float32(v)
		}
	}
	return out
}

// Clone returns a deep copy of t with the same dtype and shape.
func (t *Tensor) Clone() *Tensor {
	t.live("Clone")
	if t.dtype == F32 {
		out := empty(t.shape...)
		copy(out.f32, t.f32)
		return out
	}
	c := &Tensor{shape: t.Shape(), dtype: t.dtype, group: t.group}
	c.u16 = cloneSlice(t.u16)
	c.u32 = cloneSlice(t.u32)
	c.i32 = cloneSlice(t.i32)
	c.i64 = cloneSlice(t.i64)
	c.bytes = cloneSlice(t.bytes)
	c.scales = cloneSlice(t.scales)
	c.biases = cloneSlice(t.biases)
	return c
}

func cloneSlice[E any](s []E) []E {
	if s == nil {
		return nil
	}
	return append(make([]E, 0, len(s)), s...)
}

// view returns a tensor sharing t's storage with a new shape; element range
// [lo, hi) of the flat storage (in logical elements) is kept. Quantized
// tensors are viewed by rows only.
func (t *Tensor) view(shape []int, lo, hi int) *Tensor {
	v := &Tensor{shape: shape, dtype: t.dtype, group: t.group}
	switch t.dtype {
	case F32:
		v.f32 = t.f32[lo:hi]
	case F16, BF16:
		v.u16 = t.u16[lo:hi]
	case U32:
		v.u32 = t.u32[lo:hi]
	case I32:
		v.i32 = t.i32[lo:hi]
	case I64:
		v.i64 = t.i64[lo:hi]
	case I8, U8, Bool:
		v.bytes = t.bytes[lo:hi]
	case Q4, Q8:
		cols := t.shape[1]
		bits, _, _, _, _ := t.Quant()
		r0, r1 := lo/cols, hi/cols
		wpr, gpr := cols*bits/32, cols/t.group
		v.u32 = t.u32[r0*wpr : r1*wpr]
		v.scales = t.scales[r0*gpr : r1*gpr]
		v.biases = t.biases[r0*gpr : r1*gpr]
	}
	return v
}

// Reshape returns a view of t with a new shape holding the same number of
// elements; one dimension may be -1 and is inferred. Quantized tensors keep
// their 2-D shape. Reshape panics with a *ShapeError when the sizes disagree.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	t.live("Reshape")
	shape = append([]int(nil), shape...)
	n, infer := 1, -1
	for i, d := range shape {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panic(&ShapeError{Op: "Reshape", Shapes: [][]int{t.Shape(), shape}, Reason: "invalid dimension"})
		default:
			n *= d
		}
	}
	total := t.Len()
	if infer >= 0 {
		if n == 0 || total%n != 0 {
			panic(&ShapeError{Op: "Reshape", Shapes: [][]int{t.Shape(), shape}, Reason: "cannot infer -1"})
		}
		shape[infer] = total / n
		n = total
	}
	if n != total {
		panic(&ShapeError{Op: "Reshape", Shapes: [][]int{t.Shape(), shape}, Reason: fmt.Sprintf("%d elements cannot become %d", total, n)})
	}
	if (t.dtype == Q4 || t.dtype == Q8) && (len(shape) != 2 || shape[1] != t.shape[1]) {
		panic(&DTypeError{Op: "Reshape", DType: t.dtype, Reason: "quantized tensors stay [rows, cols]"})
	}
	return t.view(shape, 0, total)
}

// Reshape is t.Reshape(shape...).
func Reshape(t *Tensor, shape ...int) *Tensor { return t.Reshape(shape...) }

// Row returns a view of t[i], of shape t.Shape()[1:]. Quantized matrices
// have no 1-D form: use Slice(0, i, i+1). Row panics with a *ShapeError when
// i is out of range.
func (t *Tensor) Row(i int) *Tensor {
	t.live("Row")
	if len(t.shape) == 0 || i < 0 || i >= t.shape[0] {
		panic(shapeErr("Row", fmt.Sprintf("row %d out of range", i), t))
	}
	if t.dtype == Q4 || t.dtype == Q8 {
		panic(&DTypeError{Op: "Row", DType: t.dtype, Reason: "use Slice(0, i, i+1) on quantized matrices"})
	}
	inner := numel(t.shape[1:])
	return t.view(append([]int(nil), t.shape[1:]...), i*inner, (i+1)*inner)
}

// Slice returns elements lo..hi-1 along dimension dim (negative counts from
// the end). The result is a view when the selection is contiguous in memory
// (dim is the outermost dimension of size > 1) and a copy otherwise. It
// panics with a *ShapeError when the range is invalid.
func (t *Tensor) Slice(dim, lo, hi int) *Tensor {
	t.live("Slice")
	dim = t.axis("Slice", dim)
	if lo < 0 || hi < lo || hi > t.shape[dim] {
		panic(shapeErr("Slice", fmt.Sprintf("range [%d, %d) out of [0, %d) on dimension %d", lo, hi, t.shape[dim], dim), t))
	}
	if (t.dtype == Q4 || t.dtype == Q8) && dim != 0 {
		panic(&DTypeError{Op: "Slice", DType: t.dtype, Reason: "quantized matrices slice by rows only"})
	}
	shape := t.Shape()
	shape[dim] = hi - lo
	outer := numel(t.shape[:dim])
	inner := numel(t.shape[dim+1:])
	if outer == 1 || hi-lo == 0 {
		return t.view(shape, lo*inner, hi*inner)
	}
	return gatherRows(t, shape, outer, t.shape[dim]*inner, lo*inner, (hi-lo)*inner)
}

// Slice is t.Slice(dim, lo, hi).
func Slice(t *Tensor, dim, lo, hi int) *Tensor { return t.Slice(dim, lo, hi) }

// gatherRows copies, for each of outer blocks of stride elements, the run
// [off, off+n) into a new tensor of the given shape.
func gatherRows(t *Tensor, shape []int, outer, stride, off, n int) *Tensor {
	out := alloc(t.dtype, shape)
	for o := 0; o < outer; o++ {
		copyElems(out, o*n, t, o*stride+off, n)
	}
	return out
}

// alloc returns a tensor of dtype dt (not quantized) with storage for shape;
// F32 storage comes from the pool and is not zeroed.
func alloc(dt DType, shape []int) *Tensor {
	if dt == F32 {
		return empty(shape...)
	}
	n := checkShape("alloc", shape)
	t := &Tensor{shape: append([]int(nil), shape...), dtype: dt}
	switch dt {
	case F16, BF16:
		t.u16 = make([]uint16, n)
	case U32:
		t.u32 = make([]uint32, n)
	case I32:
		t.i32 = make([]int32, n)
	case I64:
		t.i64 = make([]int64, n)
	case I8, U8, Bool:
		t.bytes = make([]byte, n)
	default:
		panic(&DTypeError{Op: "alloc", DType: dt, Reason: "quantized tensors cannot be assembled element-wise"})
	}
	return t
}

// copyElems copies n elements from src[so:] to dst[do:]; both have the same
// (non-quantized) dtype.
func copyElems(dst *Tensor, do int, src *Tensor, so, n int) {
	switch src.dtype {
	case F32:
		copy(dst.f32[do:do+n], src.f32[so:so+n])
	case F16, BF16:
		copy(dst.u16[do:do+n], src.u16[so:so+n])
	case U32:
		copy(dst.u32[do:do+n], src.u32[so:so+n])
	case I32:
		copy(dst.i32[do:do+n], src.i32[so:so+n])
	case I64:
		copy(dst.i64[do:do+n], src.i64[so:so+n])
	case I8, U8, Bool:
		copy(dst.bytes[do:do+n], src.bytes[so:so+n])
	default:
		panic(&DTypeError{Op: "copy", DType: src.dtype, Reason: "quantized tensors cannot be copied element-wise"})
	}
}

// String returns a short summary such as "Tensor(F32 [2 3])".
func (t *Tensor) String() string {
	var b strings.Builder
	b.WriteString("Tensor(")
	b.WriteString(t.dtype.String())
	b.WriteString(" [")
	for i, d := range t.shape {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(itoa(d))
	}
	b.WriteString("]")
	if t.released {
		b.WriteString(" released")
	}
	b.WriteString(")")
	return b.String()
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
