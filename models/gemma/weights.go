package gemma

import (
	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/tensor"
)

// Sanitize implements vlm.LanguageModel. Gemma checkpoints of transformers
// and mlx-lm share the names "model.…" (lm_head is usually absent: the head
// is tied); Sanitize drops rotary inv_freq buffers and maps a bare decoder
// saved without the "model." prefix.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	return sanitize.BareDecoder(sanitize.DropRotaryBuffers(w)), nil
}
