package tensor

// DType is the element type of a tensor's storage.
type DType uint8

// Element types. Q4 and Q8 are MLX's affine group quantization (packed uint32
// words with per-group float32 scales and biases).
const (
	F32 DType = iota
	F16
	BF16
	Q4
	Q8
	I8
	U8
	I32
	I64
	U32
	Bool
)

var dtypeNames = [...]string{
	F32: "F32", F16: "F16", BF16: "BF16", Q4: "Q4", Q8: "Q8", I8: "I8",
	U8: "U8", I32: "I32", I64: "I64", U32: "U32", Bool: "BOOL",
}

// String returns the dtype's safetensors name (F32, BF16, BOOL, ...); the
// quantized types, which safetensors stores as U32 words, are Q4 and Q8.
func (d DType) String() string {
	if int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return "DType(" + itoa(int(d)) + ")"
}

// ParseDType maps a safetensors dtype name (F32, F16, BF16, I8, U8, I32, I64,
// U32, BOOL) to a DType.
func ParseDType(name string) (DType, bool) {
	for d, n := range dtypeNames {
		if n == name && DType(d) != Q4 && DType(d) != Q8 {
			return DType(d), true
		}
	}
	return 0, false
}

// Size returns the number of bytes one element occupies, or 0 for the
// quantized types whose elements are packed below a byte.
func (d DType) Size() int {
	switch d {
	case F32, I32, U32:
		return 4
	case F16, BF16:
		return 2
	case I8, U8, Bool:
		return 1
	case I64:
		return 8
	}
	return 0
}

// IsFloat reports whether d holds (possibly quantized) real numbers that ToF32
// and MatMul accept.
func (d DType) IsFloat() bool {
	switch d {
	case F32, F16, BF16, Q4, Q8:
		return true
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
