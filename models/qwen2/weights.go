package qwen2

import (
	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/tensor"
)

// Sanitize implements vlm.LanguageModel. Qwen2 checkpoints of transformers
// (4.x and 5.x) and of mlx-lm share the names "model.…" and "lm_head.…";
// Sanitize drops the rotary inv_freq buffers old checkpoints carry and
// gives a bare decoder saved without the "model." prefix its prefix. A
// tied checkpoint without lm_head binds the head to the embedding table.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	return sanitize.BareDecoder(sanitize.DropRotaryBuffers(w)), nil
}
