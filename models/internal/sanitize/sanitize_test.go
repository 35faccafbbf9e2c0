package sanitize

import (
	"maps"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
)

func weights(names ...string) map[string]*tensor.Tensor {
	w := map[string]*tensor.Tensor{}
	for _, n := range names {
		w[n] = tensor.New(1)
	}
	return w
}

func TestRewrites(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(map[string]*tensor.Tensor) map[string]*tensor.Tensor
		in   []string
		want []string
	}{
		{"rotary dropped", DropRotaryBuffers,
			[]string{"model.layers.0.self_attn.rotary_emb.inv_freq", "model.norm.weight"},
			[]string{"model.norm.weight"}},
		{"bare decoder", BareDecoder,
			[]string{"layers.0.input_layernorm.weight", "embed_tokens.weight", "norm.weight", "lm_head.weight"},
			[]string{"lm_head.weight", "model.embed_tokens.weight", "model.layers.0.input_layernorm.weight", "model.norm.weight"}},
		{"decoder with model. prefix kept", BareDecoder,
			[]string{"model.layers.0.mlp.up_proj.weight", "norm.weight"},
			[]string{"model.layers.0.mlp.up_proj.weight", "norm.weight"}},
		{"no layers kept", BareDecoder,
			[]string{"embed_tokens.weight"},
			[]string{"embed_tokens.weight"}},
		{"5.x module names", HubVLMNames,
			[]string{"model.language_model.layers.0.mlp.up_proj.weight", "model.vision_tower.vision_model.post_layernorm.weight",
				"model.multi_modal_projector.linear.weight", "lm_head.weight"},
			[]string{"language_model.lm_head.weight", "language_model.model.layers.0.mlp.up_proj.weight",
				"multi_modal_projector.linear.weight", "vision_tower.vision_model.post_layernorm.weight"}},
		{"5.x saved tower", HubVLMNames,
			[]string{"vision_tower.encoder.layers.0.mlp.fc1.weight", "vision_tower.vision_model.embeddings.patch_embedding.weight"},
			[]string{"vision_tower.vision_model.embeddings.patch_embedding.weight", "vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight"}},
		{"hub names kept", HubVLMNames,
			[]string{"language_model.model.norm.weight", "language_model.lm_head.weight", "vision_tower.vision_model.head.probe"},
			[]string{"language_model.lm_head.weight", "language_model.model.norm.weight", "vision_tower.vision_model.head.probe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Sorted(maps.Keys(tc.fn(weights(tc.in...))))
			if !slices.Equal(got, tc.want) {
				t.Errorf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}
