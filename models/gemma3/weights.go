package gemma3

import (
	"fmt"

	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/tensor"
)

// Checkpoint name of the projector's bare matrix and the module name it is
// bound under.
const (
	projMatrix = "multi_modal_projector.mm_input_projection_weight"
	projLinear = "multi_modal_projector.mm_input_projection.weight"
	patchConv  = "vision_tower.vision_model.embeddings.patch_embedding.weight"
)

// Sanitize implements vlm.LanguageModel. It accepts
//
//   - hub checkpoints (transformers 4.x, and mlx-vlm's, which keep those
//     names): language_model.model.*, vision_tower.vision_model.*,
//     multi_modal_projector.*;
//   - transformers 5.x saves: vision_tower.* without "vision_model.";
//   - transformers 5.x module names: model.language_model.*,
//     model.vision_tower.*, model.multi_modal_projector.*, lm_head.*;
//
// turns the projector's [vision, text] matrix into a Linear weight, mlx's
// channels-last patch convolution into [out, in, kh, kw], and drops rotary
// buffers.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = sanitize.HubVLMNames(sanitize.DropRotaryBuffers(w))
	if p, ok := w[projMatrix]; ok {
		if p.Rank() != 2 || !p.DType().IsFloat() {
			return nil, fmt.Errorf("gemma3: %s has shape %v and dtype %v, want a float matrix", projMatrix, p.Shape(), p.DType())
		}
		delete(w, projMatrix)
		w[projLinear] = tensor.Transpose(p.ToF32(), 1, 0)
	}
	if err := siglip.SanitizePatchEmbedding(w, patchConv, m.cfg.Vision.NumChannels); err != nil {
		return nil, err
	}
	return w, nil
}
