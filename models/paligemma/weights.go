package paligemma

import (
	"strings"

	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

const patchConv = "vision_tower.vision_model.embeddings.patch_embedding.weight"

// Sanitize implements vlm.LanguageModel. It accepts the hub (4.x) and
// mlx-vlm names (language_model.model.*, vision_tower.vision_model.*,
// multi_modal_projector.linear.*), transformers 5.x saves (vision_tower.*)
// and 5.x module names (model.language_model.*, model.vision_tower.*,
// model.multi_modal_projector.*, lm_head.*); it drops the unused SigLIP
// pooling head and rotary buffers and turns an mlx channels-last patch
// convolution into [out, in, kh, kw].
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = sanitize.HubVLMNames(sanitize.DropRotaryBuffers(w))
	w = vlm.DropWeights(w, func(name string) bool { return strings.HasPrefix(name, "vision_tower.vision_model.head.") })
	if err := siglip.SanitizePatchEmbedding(w, patchConv, m.cfg.Vision.NumChannels); err != nil {
		return nil, err
	}
	return w, nil
}
