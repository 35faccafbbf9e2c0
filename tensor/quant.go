package tensor

import (
	"fmt"
	"math"

	"github.com/govlm/govlm/kernels"
)

// NewQuantized wraps MLX affine-quantized storage as a Q4 or Q8 tensor of
// logical shape [rows, cols] without copying. q holds rows*cols*bits/32
// packed words (values little-endian, lowest bits first), scales and biases
// rows*cols/groupSize values each. It returns a *DTypeError for unsupported
// bits and a *ShapeError when a length or the group size does not fit.
func NewQuantized(bits, groupSize int, q []uint32, scales, biases []float32, rows, cols int) (*Tensor, error) {
	dt := Q4
	switch bits {
	case 4:
	case 8:
		dt = Q8
	default:
		return nil, &DTypeError{Op: "NewQuantized", DType: U32, Reason: fmt.Sprintf("%d-bit quantization unsupported (want 4 or 8)", bits)}
	}
	shape := []int{rows, cols}
	bad := func(reason string) error {
		return &ShapeError{Op: "NewQuantized", Shapes: [][]int{shape}, Reason: reason}
	}
	switch {
	case rows < 0 || cols < 0:
		return nil, bad("negative dimension")
	case groupSize != 32 && groupSize != 64 && groupSize != 128:
		return nil, bad(fmt.Sprintf("group size %d (want 32, 64 or 128)", groupSize))
	case cols%groupSize != 0:
		return nil, bad(fmt.Sprintf("%d columns are not a multiple of the group size %d", cols, groupSize))
	case len(q) != rows*cols*bits/32:
		return nil, bad(fmt.Sprintf("%d packed words, want %d", len(q), rows*cols*bits/32))
	case len(scales) != rows*cols/groupSize || len(biases) != len(scales):
		return nil, bad(fmt.Sprintf("%d scales and %d biases, want %d each", len(scales), len(biases), rows*cols/groupSize))
	}
	return &Tensor{shape: shape, dtype: dt, u32: q, scales: scales, biases: biases, group: groupSize}, nil
}

// Quantize converts the 2-D weight w (any float dtype) to MLX's affine
// format with the given bits (4 or 8) and group size (32, 64 or 128), using
// mx.quantize's rule: per group, the scale spans [min, max] in 2^bits-1
// steps and is then adjusted so that the endpoint of larger magnitude is
// represented exactly (it becomes the bias, with the zero point on that
// side); values are rounded half to even and clipped. It returns a
// *ShapeError or *DTypeError when w cannot be quantized.
func Quantize(w *Tensor, bits, groupSize int) (*Tensor, error) {
	if !w.dtype.IsFloat() || w.dtype == Q4 || w.dtype == Q8 {
		return nil, &DTypeError{Op: "Quantize", DType: w.dtype, Reason: "want F32, F16 or BF16"}
	}
	if w.Rank() != 2 {
		return nil, shapeErr("Quantize", "want a 2-D weight", w)
	}
	rows, cols := w.shape[0], w.shape[1]
	if bits != 4 && bits != 8 {
		return nil, &DTypeError{Op: "Quantize", DType: w.dtype, Reason: fmt.Sprintf("%d-bit quantization unsupported (want 4 or 8)", bits)}
	}
	if groupSize != 32 && groupSize != 64 && groupSize != 128 || cols%groupSize != 0 {
		return nil, shapeErr("Quantize", fmt.Sprintf("columns must be a multiple of the group size %d (32, 64 or 128)", groupSize), w)
	}
	src := w
	if w.dtype != F32 {
		src = w.ToF32()
		defer src.Release()
	}
	x := src.f32
	groups := rows * cols / groupSize
	q := make([]uint32, rows*cols*bits/32)
	scales := make([]float32, groups)
	biases := make([]float32, groups)
	wpg := groupSize * bits / 32
	parFor(groups, 64, func(lo, hi int) {
		for g := lo; g < hi; g++ {
			scales[g], biases[g] = quantizeGroup(q[g*wpg:(g+1)*wpg], x[g*groupSize:(g+1)*groupSize], bits)
		}
	})
	return NewQuantized(bits, groupSize, q, scales, biases, rows, cols)
}

// quantizeGroup packs one group of values into words and returns its scale
// and bias (mx.quantize's affine rule, computed in float32).
func quantizeGroup(words []uint32, x []float32, bits int) (scale, bias float32) {
	nBins := float32(int(1)<<bits - 1)
	const eps = 1e-7
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	for _, v := range x {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	negSide := abs32(lo) > abs32(hi)
	scale = max((hi-lo)/nBins, eps)
	edge := hi
	if negSide {
		edge = lo
	} else {
		scale = -scale
	}
	if q0 := rint32(edge / scale); q0 != 0 {
		scale = edge / q0
		bias = edge
	}
	per := 32 / bits
	clear(words)
	for i, v := range x {
		qv := min(max(rint32((v-bias)/scale), 0), nBins)
		words[i/per] |= uint32(qv) << (uint(i%per) * uint(bits))
	}
	return scale, bias
}

func rint32(v float32) float32 { return float32(math.RoundToEven(float64(v))) }

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// Dequantize returns the float32 values of a Q4/Q8 tensor; for other dtypes
// it is ToF32.
func Dequantize(w *Tensor) *Tensor { return w.ToF32() }

// QuantizedFromParts assembles an MLX-quantized Linear weight from the
// three checkpoint tensors mlx-community stores: weight (U32 [rows,
// cols·bits/32]), scales and biases ([rows, cols/groupSize], any float
// dtype; they are converted to float32). The logical column count is
// inferred from the packed width. Mismatched parts give a *ShapeError or
// *DTypeError.
func QuantizedFromParts(weight, scales, biases *Tensor, bits, groupSize int) (*Tensor, error) {
	if weight.dtype != U32 || weight.Rank() != 2 {
		return nil, &DTypeError{Op: "QuantizedFromParts", DType: weight.dtype, Reason: "weight must be 2-D U32 packed words"}
	}
	if bits != 4 && bits != 8 {
		return nil, &DTypeError{Op: "QuantizedFromParts", DType: weight.dtype, Reason: fmt.Sprintf("%d-bit quantization unsupported (want 4 or 8)", bits)}
	}
	for _, p := range []*Tensor{scales, biases} {
		if !p.dtype.IsFloat() || p.dtype == Q4 || p.dtype == Q8 {
			return nil, &DTypeError{Op: "QuantizedFromParts", DType: p.dtype, Reason: "scales and biases must be F32, F16 or BF16"}
		}
	}
	rows, cols := weight.shape[0], weight.shape[1]*32/bits
	if groupSize <= 0 || cols%groupSize != 0 || !sameShape(scales.shape, []int{rows, cols / groupSize}) || !sameShape(biases.shape, scales.shape) {
		return nil, shapeErr("QuantizedFromParts", fmt.Sprintf("scales and biases must be [%d, %d/%d]", rows, cols, groupSize), weight, scales, biases)
	}
	return NewQuantized(bits, groupSize, weight.u32, toF32Slice(scales), toF32Slice(biases), rows, cols)
}

// toF32Slice returns t's values as a fresh float32 slice (not pooled: the
// result lives as long as the weight).
func toF32Slice(t *Tensor) []float32 {
	out := make([]float32, t.Len())
	switch t.dtype {
	case F32:
		copy(out, t.f32)
	case F16:
		kernels.F16ToF32(out, t.u16)
	case BF16:
		kernels.BF16ToF32(out, t.u16)
	}
	return out
}
