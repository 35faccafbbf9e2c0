package qwen2

import (
	"strings"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Sanitize implements vlm.LanguageModel. Qwen2 checkpoints of transformers
// (4.x and 5.x) and of mlx-lm share the names "model.…" and "lm_head.…";
// Sanitize drops the rotary inv_freq buffers old checkpoints carry. A tied
// checkpoint without lm_head binds the head to the embedding table.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	return DropRotaryBuffers(w), nil
}

// DropRotaryBuffers deletes the "….rotary_emb.inv_freq" buffers, which are
// recomputed from the config.
func DropRotaryBuffers(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	return vlm.DropWeights(w, func(name string) bool { return strings.HasSuffix(name, "rotary_emb.inv_freq") })
}
