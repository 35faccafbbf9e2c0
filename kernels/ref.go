package kernels

import "math"

// This file is the specification: plain loops that every optimised kernel
// must match (exactly for integer and conversion kernels, to float32
// rounding for sums). The dispatching entry points live in kernels.go.

// Format names how a weight matrix is stored.
type Format uint8

// Weight storage formats.
const (
	FormatF32  Format = iota // float32 values in F32
	FormatF16                // IEEE half words in U16
	FormatBF16               // bfloat16 words in U16
	FormatQ4                 // affine 4-bit groups: Q, Scales, Biases
	FormatQ8                 // affine 8-bit groups: Q, Scales, Biases
)

// Mat is a read-only row-major weight matrix of Rows×Cols logical values in
// one of the storage formats. Only the slice fields that belong to Format are
// set. For quantized formats each row holds Cols/GroupSize groups, row r's
// words start at r*Cols*Bits/32 and its scales and biases at r*Cols/GroupSize.
type Mat struct {
	Format     Format
	Rows, Cols int
	F32        []float32
	U16        []uint16
	Q          []uint32
	Scales     []float32
	Biases     []float32
	GroupSize  int
}

// Bits reports the quantized width of m's values (4 or 8), or 0.
func (m *Mat) Bits() int {
	switch m.Format {
	case FormatQ4:
		return 4
	case FormatQ8:
		return 8
	}
	return 0
}

// F16ToF32Ref converts IEEE half words to float32 exactly.
func F16ToF32Ref(dst []float32, src []uint16) {
	for i, h := range src[:len(dst)] {
		dst[i] = f16ToF32(h)
	}
}

func f16ToF32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		// Subnormal half: value = mant * 2^-24.
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// F32ToF16Ref converts float32 to IEEE half with round-to-nearest-even,
// overflow to infinity and NaN kept quiet.
func F32ToF16Ref(dst []uint16, src []float32) {
	for i, f := range src[:len(dst)] {
		dst[i] = f32ToF16(f)
	}
}

func f32ToF16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	if exp == 0xff {
		if mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 {
		if e < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint32(14 - e)
		half := uint32(1) << (shift - 1)
		r := mant >> shift
		rem := mant & (1<<shift - 1)
		if rem > half || (rem == half && r&1 == 1) {
			r++
		}
		return sign | uint16(r)
	}
	r := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && r&1 == 1) {
		r++
	}
	return sign | uint16(r)
}

// BF16ToF32Ref converts bfloat16 words to float32 exactly.
func BF16ToF32Ref(dst []float32, src []uint16) {
	for i, h := range src[:len(dst)] {
		dst[i] = math.Float32frombits(uint32(h) << 16)
	}
}

// F32ToBF16Ref converts float32 to bfloat16 with round-to-nearest-even.
func F32ToBF16Ref(dst []uint16, src []float32) {
	for i, f := range src[:len(dst)] {
		b := math.Float32bits(f)
		if b&0x7fffffff > 0x7f800000 { // NaN
			dst[i] = uint16(b>>16) | 0x40
			continue
		}
		b += 0x7fff + (b>>16)&1
		dst[i] = uint16(b >> 16)
	}
}

// DotF32Ref returns Σ x[i]*y[i] over len(x) elements.
func DotF32Ref(x, y []float32) float32 {
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// AxpyF32Ref computes y[i] += alpha*x[i].
func AxpyF32Ref(alpha float32, x, y []float32) {
	for i, v := range x {
		y[i] += alpha * v
	}
}

// DequantRowRef expands one row of cols affine-quantized values (bits 4 or
// 8) into dst: dst[i] = scale[i/groupSize]*q[i] + bias[i/groupSize].
func DequantRowRef(dst []float32, q []uint32, scales, biases []float32, bits, groupSize int) {
	per := 32 / bits
	mask := uint32(1)<<bits - 1
	for i := range dst {
		v := q[i/per] >> (uint(i%per) * uint(bits)) & mask
		g := i / groupSize
		dst[i] = scales[g]*float32(v) + biases[g]
	}
}

// RowRef expands row r of m into dst (len m.Cols) as float32.
func RowRef(dst []float32, m *Mat, r int) {
	c := m.Cols
	switch m.Format {
	case FormatF32:
		copy(dst, m.F32[r*c:(r+1)*c])
	case FormatF16:
		F16ToF32Ref(dst[:c], m.U16[r*c:(r+1)*c])
	case FormatBF16:
		BF16ToF32Ref(dst[:c], m.U16[r*c:(r+1)*c])
	case FormatQ4, FormatQ8:
		bits := m.Bits()
		wpr := c * bits / 32
		gpr := c / m.GroupSize
		DequantRowRef(dst[:c], m.Q[r*wpr:(r+1)*wpr], m.Scales[r*gpr:(r+1)*gpr], m.Biases[r*gpr:(r+1)*gpr], bits, m.GroupSize)
	}
}

// MatVecRef computes y[r-lo] = Σ_j W[r][j]*x[j] for rows r in [lo, hi).
func MatVecRef(y []float32, w *Mat, lo, hi int, x []float32) {
	row := make([]float32, w.Cols)
	for r := lo; r < hi; r++ {
		RowRef(row, w, r)
		y[r-lo] = DotF32Ref(row, x[:w.Cols])
	}
}

// GemmNTRef computes C[i][r-lo] = Σ_j A[i][j]*W[r][j] for i in [0, m) and
// weight rows r in [lo, hi): the product x·Wᵀ restricted to output columns
// lo..hi. A is m×w.Cols with leading dimension lda; C has leading dimension
// ldc and is overwritten.
func GemmNTRef(c []float32, ldc int, a []float32, lda, m int, w *Mat, lo, hi int) {
	row := make([]float32, w.Cols)
	for r := lo; r < hi; r++ {
		RowRef(row, w, r)
		for i := 0; i < m; i++ {
			c[i*ldc+r-lo] = DotF32Ref(a[i*lda:i*lda+w.Cols], row)
		}
	}
}

// GemmF32NNRef computes C[m×n] = A[m×k]·B[k×n] (+ C when accumulate).
func GemmF32NNRef(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	for i := 0; i < m; i++ {
		ci := c[i*ldc : i*ldc+n]
		if !accumulate {
			clear(ci)
		}
		for p := 0; p < k; p++ {
			AxpyF32Ref(a[i*lda+p], b[p*ldb:p*ldb+n], ci)
		}
	}
}

// GemmF32NTRef computes C[m×n] = A[m×k]·B[n×k]ᵀ (+ C when accumulate).
func GemmF32NTRef(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := DotF32Ref(a[i*lda:i*lda+k], b[j*ldb:j*ldb+k])
			if accumulate {
				s += c[i*ldc+j]
			}
			c[i*ldc+j] = s
		}
	}
}
