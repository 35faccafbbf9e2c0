package llama

import (
	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/tensor"
)

// Sanitize implements vlm.LanguageModel. Llama checkpoints of transformers
// (4.x and 5.x) and of mlx-lm share the names "model.…" and "lm_head.…";
// Sanitize drops the rotary inv_freq buffers old checkpoints carry and
// maps the names of a bare decoder saved without the "model." prefix (as
// some conversions do).
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	return sanitize.BareDecoder(sanitize.DropRotaryBuffers(w)), nil
}
