package qwen2vl

import (
	"fmt"

	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Sanitize implements vlm.LanguageModel. The module names are the hub
// (transformers 4.x) names: "model.…" (decoder), "visual.…" (tower and
// merger), "lm_head.…". Sanitize maps onto them the names transformers
// ≥ 4.52 uses in memory ("model.language_model.…", "model.visual.…") and
// the mlx-vlm names ("language_model.model.…", "language_model.lm_head.…",
// "vision_tower.…"), turns mlx's channels-last patch embedding
// [out, T, P, P, C] back into [out, C, T, P, P], and drops rotary inv_freq
// buffers.
func (m *Model) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = sanitize.DropRotaryBuffers(w)
	w = vlm.ReplacePrefix(w, "model.language_model.", "model.")
	w = vlm.ReplacePrefix(w, "model.visual.", "visual.")
	w = vlm.ReplacePrefix(w, "language_model.lm_head.", "lm_head.")
	w = vlm.ReplacePrefix(w, "language_model.model.", "model.")
	w = vlm.ReplacePrefix(w, "vision_tower.", "visual.")
	const patch = "visual.patch_embed.proj.weight"
	if p, ok := w[patch]; ok && p.Rank() == 5 {
		c := m.cfg.Vision.InChannels
		if p.Dim(1) != c && p.Dim(4) == c {
			if !p.DType().IsFloat() {
				return nil, fmt.Errorf("qwen2-vl: %s has dtype %v", patch, p.DType())
			}
			f := p.ToF32()
			w[patch] = tensor.Transpose(f, 0, 4, 1, 2, 3)
			f.Release()
		}
	}
	return w, nil
}
