package gemma

import (
	"strings"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Sanitize implements vlm.LanguageModel. Gemma checkpoints of transformers
// and mlx-lm share the names "model.…" (lm_head is usually absent: the head
// is tied); Sanitize drops rotary inv_freq buffers and maps a bare decoder
// saved without the "model." prefix.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = DropRotaryBuffers(w)
	if !vlm.HasPrefix(w, "model.") && vlm.HasPrefix(w, "layers.") {
		for _, p := range []string{"layers.", "embed_tokens.", "norm."} {
			w = vlm.ReplacePrefix(w, p, "model."+p)
		}
	}
	return w, nil
}

// DropRotaryBuffers deletes the "….rotary_emb.inv_freq" buffers old
// checkpoints carry; they are recomputed from the config.
func DropRotaryBuffers(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	return vlm.DropWeights(w, func(name string) bool { return strings.HasSuffix(name, "rotary_emb.inv_freq") })
}
