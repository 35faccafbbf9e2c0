package tensor

import (
	"encoding/binary"
	"fmt"
	"unsafe"
)

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// FromBytes interprets b, little-endian as safetensors stores it, as a tensor
// of dtype dt and the given shape. When b is suitably aligned (and the host is
// little-endian) the tensor aliases b without copying, which is how weights
// stay in memory-mapped checkpoint files; otherwise the values are copied.
// Aliased storage is read-only. FromBytes returns a *ShapeError when len(b)
// does not match the shape and a *DTypeError for Q4/Q8 (use NewQuantized).
func FromBytes(dt DType, b []byte, shape ...int) (*Tensor, error) {
	size := dt.Size()
	if size == 0 {
		return nil, &DTypeError{Op: "FromBytes", DType: dt, Reason: "quantized tensors are built with NewQuantized"}
	}
	n := 1
	for _, d := range shape {
		if d < 0 {
			return nil, &ShapeError{Op: "FromBytes", Shapes: [][]int{shape}, Reason: "negative dimension"}
		}
		n *= d
	}
	if n*size != len(b) {
		return nil, &ShapeError{Op: "FromBytes", Shapes: [][]int{shape}, Reason: fmt.Sprintf("%d %v elements need %d bytes, have %d", n, dt, n*size, len(b))}
	}
	t := &Tensor{shape: append([]int(nil), shape...), dtype: dt}
	alias := littleEndian && (n == 0 || uintptr(unsafe.Pointer(unsafe.SliceData(b)))%uintptr(size) == 0)
	switch dt {
	case F32:
		t.f32 = castOrDecode(b, n, alias, func(p []byte) float32 { return float32FromBits(binary.LittleEndian.Uint32(p)) })
	case F16, BF16:
		t.u16 = castOrDecode(b, n, alias, binary.LittleEndian.Uint16)
	case U32:
		t.u32 = castOrDecode(b, n, alias, binary.LittleEndian.Uint32)
	case I32:
		t.i32 = castOrDecode(b, n, alias, func(p []byte) int32 { return int32(binary.LittleEndian.Uint32(p)) })
	case I64:
		t.i64 = castOrDecode(b, n, alias, func(p []byte) int64 { return int64(binary.LittleEndian.Uint64(p)) })
	case I8, U8, Bool:
		t.bytes = b
	}
	return t, nil
}

// castOrDecode reinterprets b as n values of E when alias is set and decodes
// a copy otherwise.
func castOrDecode[E any](b []byte, n int, alias bool, dec func([]byte) E) []E {
	if n == 0 {
		return []E{}
	}
	if alias {
		return unsafe.Slice((*E)(unsafe.Pointer(unsafe.SliceData(b))), n)
	}
	var zero E
	size := int(unsafe.Sizeof(zero))
	out := make([]E, n)
	for i := range out {
		out[i] = dec(b[i*size:])
	}
	return out
}

func float32FromBits(u uint32) float32 { return *(*float32)(unsafe.Pointer(&u)) }
