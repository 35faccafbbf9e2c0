package siglip

import (
	"fmt"

	"github.com/govlm/govlm/tensor"
)

// SanitizePatchEmbedding rewrites, in w, the patch convolution named name
// from mlx's channels-last layout [out, kh, kw, in] to [out, in, kh, kw]
// when it is stored that way (channels = the image channel count). Other
// layouts are left alone.
func SanitizePatchEmbedding(w map[string]*tensor.Tensor, name string, channels int) error {
	p, ok := w[name]
	if !ok || p.Rank() != 4 || p.Dim(1) == channels || p.Dim(3) != channels {
		return nil
	}
	if !p.DType().IsFloat() {
		return fmt.Errorf("siglip: %s has dtype %v, want a float type", name, p.DType())
	}
	w[name] = tensor.Transpose(p.ToF32(), 0, 3, 1, 2)
	return nil
}
