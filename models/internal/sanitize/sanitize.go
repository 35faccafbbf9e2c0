// Package sanitize holds the checkpoint-name rewrites that several model
// packages' Sanitize methods share word for word. Each function edits the
// map in place and returns it, like vlm.ReplacePrefix.
package sanitize

import (
	"strings"

	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// DropRotaryBuffers deletes the "….rotary_emb.inv_freq" buffers old
// checkpoints carry; decoders recompute them from the config.
func DropRotaryBuffers(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	return vlm.DropWeights(w, func(name string) bool { return strings.HasSuffix(name, "rotary_emb.inv_freq") })
}

// BareDecoder gives the names of a decoder saved without the "model."
// prefix (layers.*, embed_tokens.*, norm.*, as some conversions write
// them) that prefix. Checkpoints that have "model." names, or no
// "layers." names, are left alone.
func BareDecoder(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	if vlm.HasPrefix(w, "model.") || !vlm.HasPrefix(w, "layers.") {
		return w
	}
	for _, p := range []string{"layers.", "embed_tokens.", "norm."} {
		w = vlm.ReplacePrefix(w, p, "model."+p)
	}
	return w
}

// HubVLMNames maps the names transformers 5.x gives a language model +
// SigLIP tower + projector VLM (Gemma 3, PaliGemma) onto the hub (4.x)
// names, which mlx-vlm keeps too:
//
//	model.language_model.*        → language_model.model.*
//	model.vision_tower.*          → vision_tower.*
//	model.multi_modal_projector.* → multi_modal_projector.*
//	lm_head.*                     → language_model.lm_head.*
//	vision_tower.X (5.x saves)    → vision_tower.vision_model.X
func HubVLMNames(w map[string]*tensor.Tensor) map[string]*tensor.Tensor {
	w = vlm.ReplacePrefix(w, "model.language_model.", "language_model.model.")
	w = vlm.ReplacePrefix(w, "model.vision_tower.", "vision_tower.")
	w = vlm.ReplacePrefix(w, "model.multi_modal_projector.", "multi_modal_projector.")
	w = vlm.ReplacePrefix(w, "lm_head.", "language_model.lm_head.")
	for name, t := range w {
		if strings.HasPrefix(name, "vision_tower.") && !strings.HasPrefix(name, "vision_tower.vision_model.") {
			delete(w, name)
			w["vision_tower.vision_model."+strings.TrimPrefix(name, "vision_tower.")] = t
		}
	}
	return w
}
