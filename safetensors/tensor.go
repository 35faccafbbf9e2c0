package safetensors

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// ToTensor wraps info as a tensor without copying when its bytes are
// aligned (always the case for files written by Write and by the
// reference implementation, whose data area starts 8-byte aligned). The
// tensor aliases the file's mapping: it is read-only and valid until the
// file is closed. Dtypes govlm cannot compute with (F64, I16, U16, U64, F8)
// give an *UnsupportedDTypeError.
func ToTensor(info Info) (*tensor.Tensor, error) {
	dt, ok := tensor.ParseDType(info.DType)
	if !ok {
		return nil, &UnsupportedDTypeError{DType: info.DType}
	}
	t, err := tensor.FromBytes(dt, info.Data, info.Shape...)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return t, nil
}

// UnsupportedDTypeError reports a valid safetensors dtype that govlm's
// tensors do not hold.
type UnsupportedDTypeError struct {
	DType string
}

func (e *UnsupportedDTypeError) Error() string {
	return "safetensors: dtype " + e.DType + " is not supported by govlm tensors"
}
