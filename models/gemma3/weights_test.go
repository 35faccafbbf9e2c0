package gemma3

import (
	"maps"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
)

func tinyConfig(t *testing.T) *Config {
	t.Helper()
	c, err := ParseConfig([]byte(`{"model_type": "gemma3", "mm_tokens_per_image": 4,
		"boi_token_index": 10, "eoi_token_index": 11, "image_token_index": 12,
		"text_config": {"hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2,
			"num_key_value_heads": 1, "head_dim": 4, "vocab_size": 20},
		"vision_config": {"hidden_size": 4, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
			"image_size": 8, "patch_size": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestSanitizeLayouts maps representative tensor names of every layout
// Gemma 3 checkpoints come in onto the module names.
func TestSanitizeLayouts(t *testing.T) {
	m, err := New(tinyConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"language_model.model.embed_tokens.weight",
		"language_model.model.layers.0.self_attn.q_norm.weight",
		"multi_modal_projector.mm_input_projection.weight",
		"multi_modal_projector.mm_soft_emb_norm.weight",
		"vision_tower.vision_model.embeddings.patch_embedding.weight",
		"vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight",
		"vision_tower.vision_model.post_layernorm.weight",
	}
	hub := []string{ // google/gemma-3-4b-it and mlx-community/gemma-3-4b-it-4bit
		"language_model.model.embed_tokens.weight",
		"language_model.model.layers.0.self_attn.q_norm.weight",
		"multi_modal_projector.mm_input_projection_weight",
		"multi_modal_projector.mm_soft_emb_norm.weight",
		"vision_tower.vision_model.embeddings.patch_embedding.weight",
		"vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight",
		"vision_tower.vision_model.post_layernorm.weight",
	}
	saved5x := []string{ // save_pretrained of transformers 5.x
		"language_model.model.embed_tokens.weight",
		"language_model.model.layers.0.self_attn.q_norm.weight",
		"multi_modal_projector.mm_input_projection_weight",
		"multi_modal_projector.mm_soft_emb_norm.weight",
		"vision_tower.embeddings.patch_embedding.weight",
		"vision_tower.encoder.layers.0.self_attn.q_proj.weight",
		"vision_tower.post_layernorm.weight",
	}
	modules5x := []string{ // transformers 5.x module names
		"model.language_model.embed_tokens.weight",
		"model.language_model.layers.0.self_attn.q_norm.weight",
		"model.multi_modal_projector.mm_input_projection_weight",
		"model.multi_modal_projector.mm_soft_emb_norm.weight",
		"model.vision_tower.vision_model.embeddings.patch_embedding.weight",
		"model.vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight",
		"model.vision_tower.vision_model.post_layernorm.weight",
		"lm_head.weight",
	}
	for _, tc := range []struct {
		name  string
		in    []string
		extra []string
	}{
		{"hub", hub, nil}, {"saved 5.x", saved5x, nil},
		{"5.x modules", modules5x, []string{"language_model.lm_head.weight"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := map[string]*tensor.Tensor{}
			for _, n := range tc.in {
				switch {
				case n == "multi_modal_projector.mm_input_projection_weight" || n == "model.multi_modal_projector.mm_input_projection_weight":
					w[n] = tensor.FromF32([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 4, 2)
				default:
					w[n] = tensor.New(1)
				}
			}
			out, err := m.Sanitize(w)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(maps.Keys(out))
			exp := slices.Sorted(slices.Values(append(slices.Clone(want), tc.extra...)))
			if !slices.Equal(got, exp) {
				t.Fatalf("got %v\nwant %v", got, exp)
			}
			p := out["multi_modal_projector.mm_input_projection.weight"]
			if !slices.Equal(p.Shape(), []int{2, 4}) || !slices.Equal(p.Data(), []float32{1, 3, 5, 7, 2, 4, 6, 8}) {
				t.Errorf("projection %v %v, want the transpose", p.Shape(), p.Data())
			}
		})
	}
}

// TestSanitizeChannelsLastPatch turns mlx's [out, kh, kw, in] patch
// convolution into [out, in, kh, kw].
func TestSanitizeChannelsLastPatch(t *testing.T) {
	m, err := New(tinyConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	data := make([]float32, 4*2*2*3)
	for i := range data {
		data[i] = float32(i)
	}
	w := map[string]*tensor.Tensor{patchConv: tensor.FromF32(data, 4, 2, 2, 3)}
	out, err := m.Sanitize(w)
	if err != nil {
		t.Fatal(err)
	}
	p := out[patchConv]
	if !slices.Equal(p.Shape(), []int{4, 3, 2, 2}) {
		t.Fatalf("shape %v", p.Shape())
	}
	// [o=0, c=1, y=1, x=0] was at [0, 1, 0, 1] channels-last: index (1*2+0)*3+1 = 7.
	if got := p.Data()[(0*3+1)*4+1*2+0]; got != 7 {
		t.Errorf("element = %v, want 7", got)
	}
}

// TestSanitizeTextOnly maps the names of gemma3_text checkpoints
// (transformers and mlx-lm: model.*) and of a VLM's language model.
func TestSanitizeTextOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []string
		want []string
	}{
		{"hf and mlx-lm", []string{"model.embed_tokens.weight", "model.layers.0.self_attn.k_norm.weight", "model.layers.0.self_attn.rotary_emb.inv_freq"},
			[]string{"model.embed_tokens.weight", "model.layers.0.self_attn.k_norm.weight"}},
		{"vlm language model", []string{"language_model.model.norm.weight", "language_model.lm_head.weight"},
			[]string{"lm_head.weight", "model.norm.weight"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := map[string]*tensor.Tensor{}
			for _, n := range tc.in {
				w[n] = tensor.New(1)
			}
			out, err := (&TextOnlyModel{}).Sanitize(w)
			if err != nil {
				t.Fatal(err)
			}
			if got := slices.Sorted(maps.Keys(out)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
