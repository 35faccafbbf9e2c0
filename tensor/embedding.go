package tensor

import (
	"fmt"

	"github.com/govlm/govlm/kernels"
)

// Embedding gathers rows ids of the table w [vocab, dim] (any float or
// quantized dtype) into a float32 [len(ids), dim] tensor. It panics with a
// *ShapeError when an id is outside the table; callers holding untrusted ids
// check them against w.Dim(0) first.
func Embedding(w *Tensor, ids []int32) *Tensor {
	w.live("Embedding")
	if w.Rank() != 2 || !w.dtype.IsFloat() {
		panic(shapeErr("Embedding", "want a 2-D float or quantized table", w))
	}
	vocab, dim := w.shape[0], w.shape[1]
	for _, id := range ids {
		if id < 0 || int(id) >= vocab {
			panic(shapeErr("Embedding", fmt.Sprintf("token id %d outside the table of %d rows", id, vocab), w))
		}
	}
	out := empty(len(ids), dim)
	m := w.Mat()
	for i, id := range ids {
		kernels.RowRef(out.f32[i*dim:(i+1)*dim], m, int(id))
	}
	return out
}
