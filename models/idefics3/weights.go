package idefics3

import (
	"fmt"

	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Sanitize implements vlm.LanguageModel. Hugging Face names
// (model.text_model.*, model.vision_model.*, model.connector.*, lm_head.*)
// are the module names; the mlx-vlm names language_model.lm_head.*,
// language_model.*, vision_model.* and connector.* are mapped onto them,
// and a channels-last patch convolution [out, kh, kw, in] (mlx) is turned
// back into [out, in, kh, kw]. Rotary inv_freq buffers are dropped.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = sanitize.DropRotaryBuffers(w)
	if !vlm.HasPrefix(w, "model.") {
		w = vlm.ReplacePrefix(w, "language_model.lm_head.", "lm_head.")
		w = vlm.ReplacePrefix(w, "language_model.model.", "model.text_model.")
		w = vlm.ReplacePrefix(w, "language_model.", "model.text_model.")
		w = vlm.ReplacePrefix(w, "vision_model.", "model.vision_model.")
		w = vlm.ReplacePrefix(w, "vision_tower.", "model.vision_model.")
		w = vlm.ReplacePrefix(w, "connector.", "model.connector.")
	}
	const patch = "model.vision_model.embeddings.patch_embedding.weight"
	if err := siglip.SanitizePatchEmbedding(w, patch, m.cfg.Vision.NumChannels); err != nil {
		return nil, fmt.Errorf("idefics3: %w", err)
	}
	return w, nil
}
