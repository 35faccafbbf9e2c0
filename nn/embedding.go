package nn

import "github.com/govlm/govlm/tensor"

// Embedding maps token ids to rows of a [vocab, dim] table of any storage
// dtype (quantized included).
type Embedding struct {
	Weight *tensor.Tensor `nn:"weight"`

	vocab, dim int
}

// NewEmbedding returns an Embedding that Bind checks for a [vocab, dim]
// table.
func NewEmbedding(vocab, dim int) *Embedding { return &Embedding{vocab: vocab, dim: dim} }

// ParamSpec implements Specifier.
func (e *Embedding) ParamSpec(name string) ParamSpec {
	if name == "weight" && e.vocab > 0 {
		return ParamSpec{Shape: []int{e.vocab, e.dim}, Presence: Required}
	}
	return ParamSpec{}
}

// Forward returns the rows of ids as F32 [len(ids), dim]. Ids outside the
// table are a caller error; check them with Check first when they come from
// user input.
func (e *Embedding) Forward(ids []int32) *tensor.Tensor {
	return tensor.Embedding(e.Weight, ids)
}

// Check reports the first id outside [0, vocab) as an *IDError.
func (e *Embedding) Check(ids []int32) error {
	v := e.Weight.Dim(0)
	for i, id := range ids {
		if id < 0 || int(id) >= v {
			return &IDError{Index: i, ID: id, Vocab: v}
		}
	}
	return nil
}

// AsLinear uses the table as a tied output head: x [..., dim] → logits
// [..., vocab].
func (e *Embedding) AsLinear(x *tensor.Tensor) *tensor.Tensor {
	return tensor.MatMul(x, e.Weight)
}

// Vocab reports the number of rows of the table.
func (e *Embedding) Vocab() int { return e.Weight.Dim(0) }

// IDError reports a token id outside an embedding table.
type IDError struct {
	Index int   // position in the id list
	ID    int32 // the offending id
	Vocab int   // table size
}

// Error names the id, its index and the vocabulary size.
func (e *IDError) Error() string {
	return "nn: token id " + itoa(int(e.ID)) + " at index " + itoa(e.Index) + " is outside the vocabulary of " + itoa(e.Vocab)
}
