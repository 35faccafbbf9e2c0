package tensor

import (
	"errors"
	"fmt"
)

// ShapeError reports operands whose shapes do not fit an operation.
type ShapeError struct {
	Op     string  // the operation, e.g. "MatMul"
	Shapes [][]int // the offending shapes, in argument order
	Reason string  // what was expected
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("tensor.%s: shapes %v: %s", e.Op, e.Shapes, e.Reason)
}

// DTypeError reports an operand whose dtype an operation does not accept.
type DTypeError struct {
	Op     string // the operation
	DType  DType  // the dtype that was given
	Reason string // what was expected
}

func (e *DTypeError) Error() string {
	return fmt.Sprintf("tensor.%s: dtype %v: %s", e.Op, e.DType, e.Reason)
}

func shapeErr(op, reason string, ts ...*Tensor) *ShapeError {
	e := &ShapeError{Op: op, Reason: reason}
	for _, t := range ts {
		if t == nil {
			e.Shapes = append(e.Shapes, nil)
			continue
		}
		e.Shapes = append(e.Shapes, t.Shape())
	}
	return e
}

// Recover turns a panic carrying a *ShapeError or *DTypeError into an error
// stored in *err; any other panic continues. Use it deferred at an API
// boundary that runs model code:
//
//	func (m *Model) Forward(...) (out *tensor.Tensor, err error) {
//		defer tensor.Recover(&err)
//		...
//	}
func Recover(err *error) {
	r := recover()
	if r == nil {
		return
	}
	if e, ok := r.(error); ok {
		var se *ShapeError
		var de *DTypeError
		if errors.As(e, &se) || errors.As(e, &de) {
			*err = e
			return
		}
	}
	panic(r)
}
