package llama

import (
	"strings"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Sanitize implements vlm.LanguageModel. Llama checkpoints of transformers
// (4.x and 5.x) and of mlx-lm share the names "model.…" and "lm_head.…";
// Sanitize drops the rotary inv_freq buffers old checkpoints carry and
// maps the names of a bare decoder saved without the "model." prefix (as
// some conversions do).
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = DropRotaryBuffers(w)
	if !vlm.HasPrefix(w, "model.") && vlm.HasPrefix(w, "layers.") {
		for _, p := range []string{"layers.", "embed_tokens.", "norm."} {
			w = vlm.ReplacePrefix(w, p, "model."+p)
		}
	}
	return w, nil
}

// DropRotaryBuffers deletes the "….rotary_emb.inv_freq" buffers, which are
// recomputed from the config.
func DropRotaryBuffers(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	return vlm.DropWeights(w, func(name string) bool { return strings.HasSuffix(name, "rotary_emb.inv_freq") })
}
