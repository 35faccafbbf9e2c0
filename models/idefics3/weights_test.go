package idefics3

import (
	"errors"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
)

// smolVLM256M is the config.json of HuggingFaceTB/SmolVLM-256M-Instruct
// (transformers 4.x save; sparse vision_config relying on defaults).
const smolVLM256M = `{
  "architectures": ["Idefics3ForConditionalGeneration"], "image_token_id": 49190, "model_type": "idefics3",
  "scale_factor": 4, "tie_word_embeddings": false,
  "text_config": {"_flash_attn_2_enabled": true, "architectures": ["VLlama3ForCausalLM"], "head_dim": 64,
    "hidden_size": 576, "intermediate_size": 1536, "is_llama_config": true, "max_position_embeddings": 8192,
    "model_type": "llama", "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3,
    "pad_token_id": 2, "pixel_shuffle_factor": 4, "rms_norm_eps": 1e-05, "rope_interleaved": false,
    "rope_theta": 100000, "torch_dtype": "bfloat16", "use_resampler": false, "vocab_size": 49280},
  "torch_dtype": "bfloat16", "transformers_version": "4.46.0", "use_cache": true,
  "vision_config": {"hidden_size": 768, "image_size": 512, "max_image_size": {"longest_edge": 512},
    "model_type": "smolvlm_vision", "num_attention_heads": 12, "patch_size": 16, "size": {"longest_edge": 2048},
    "tie_word_embeddings": false, "use_base_siglip": false},
  "vocab_size": 49280
}`

func TestParseConfigReal(t *testing.T) {
	c, err := ParseConfig([]byte(smolVLM256M))
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vision
	if v.NumHiddenLayers != 12 || v.IntermediateSize != 3072 || v.LayerNormEps != 1e-6 || v.HiddenAct != "gelu_pytorch_tanh" || v.NumChannels != 3 {
		t.Errorf("vision defaults %+v", v)
	}
	if c.Text.HeadDim != 64 || c.Text.NumKeyValueHeads != 3 || c.Text.RopeTheta != 100000 || c.Text.RMSNormEps != 1e-5 {
		t.Errorf("text config %+v", c.Text)
	}
	if c.TokensPerTile() != 64 || c.ImageTokenID != 49190 {
		t.Errorf("tokens per tile %d, image token %d", c.TokensPerTile(), c.ImageTokenID)
	}
}

func TestParseConfigErrors(t *testing.T) {
	base := `"text_config": {"hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128, "num_hidden_layers": 1, "vocab_size": 100}`
	cases := []struct{ name, json, field string }{
		{"scale", `{` + base + `, "image_token_id": 5, "scale_factor": 3, "vision_config": {"image_size": 32, "patch_size": 8, "hidden_size": 32, "num_attention_heads": 2}}`, "scale_factor"},
		{"patch", `{` + base + `, "image_token_id": 5, "vision_config": {"image_size": 30, "patch_size": 8, "hidden_size": 32, "num_attention_heads": 2}}`, "vision_config.patch_size"},
		{"heads", `{` + base + `, "image_token_id": 5, "vision_config": {"image_size": 32, "patch_size": 8, "hidden_size": 30, "num_attention_heads": 4}}`, "vision_config.num_attention_heads"},
		{"image token", `{` + base + `, "image_token_id": 100, "vision_config": {"image_size": 32, "patch_size": 8, "hidden_size": 32, "num_attention_heads": 2}}`, "image_token_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(c.json))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != c.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, c.field)
			}
		})
	}
	t.Run("image_token_index", func(t *testing.T) {
		c, err := ParseConfig([]byte(`{` + base + `, "image_token_index": 7, "vision_config": {"image_size": 32, "patch_size": 8, "hidden_size": 32, "num_attention_heads": 2}}`))
		if err != nil || c.ImageTokenID != 7 {
			t.Fatalf("got %v, %v", c, err)
		}
	})
}

// TestSanitize maps representative tensor names of the Hugging Face and
// mlx-vlm layouts onto the module names.
func TestSanitize(t *testing.T) {
	m := &Model{cfg: Config{Vision: VisionConfig{NumChannels: 3}}}
	hf := map[string][]int{
		"lm_head.weight": {8, 4},
		"model.connector.modality_projection.proj.weight":             {4, 16},
		"model.text_model.embed_tokens.weight":                        {8, 4},
		"model.text_model.layers.0.self_attn.q_proj.weight":           {4, 4},
		"model.text_model.layers.0.self_attn.rotary_emb.inv_freq":     {2},
		"model.text_model.norm.weight":                                {4},
		"model.vision_model.embeddings.patch_embedding.weight":        {6, 3, 2, 2},
		"model.vision_model.embeddings.position_embedding.weight":     {4, 6},
		"model.vision_model.encoder.layers.0.mlp.fc1.weight":          {12, 6},
		"model.vision_model.encoder.layers.0.self_attn.out_proj.bias": {6},
		"model.vision_model.post_layernorm.weight":                    {6},
	}
	mlx := map[string][]int{
		"language_model.lm_head.weight":                         {8, 4},
		"connector.modality_projection.proj.weight":             {4, 16},
		"language_model.embed_tokens.weight":                    {8, 4},
		"language_model.layers.0.self_attn.q_proj.weight":       {4, 4},
		"language_model.norm.weight":                            {4},
		"vision_model.embeddings.patch_embedding.weight":        {6, 2, 2, 3},
		"vision_model.embeddings.position_embedding.weight":     {4, 6},
		"vision_model.encoder.layers.0.mlp.fc1.weight":          {12, 6},
		"vision_model.encoder.layers.0.self_attn.out_proj.bias": {6},
		"vision_model.post_layernorm.weight":                    {6},
	}
	var want []string
	for name := range hf {
		if name != "model.text_model.layers.0.self_attn.rotary_emb.inv_freq" {
			want = append(want, name)
		}
	}
	slices.Sort(want)
	for _, layout := range []struct {
		name  string
		names map[string][]int
	}{{"hf", hf}, {"mlx", mlx}} {
		t.Run(layout.name, func(t *testing.T) {
			w := map[string]*tensor.Tensor{}
			for name, shape := range layout.names {
				x := tensor.New(shape...)
				for i := range x.Data() {
					x.Data()[i] = float32(i)
				}
				w[name] = x
			}
			out, err := m.Sanitize(w)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for name := range out {
				got = append(got, name)
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("names\n%v\nwant\n%v", got, want)
			}
			p := out["model.vision_model.embeddings.patch_embedding.weight"]
			if !slices.Equal(p.Shape(), []int{6, 3, 2, 2}) {
				t.Fatalf("patch embedding %v", p.Shape())
			}
			// Element [o=1, c=2, y=1, x=0]: channels-last index ((1·2+1)·2+0)·3+2 = 20.
			wantV := float32(1*12 + 2*4 + 1*2 + 0)
			if layout.name == "mlx" {
				wantV = 1*12 + ((1*2+0)*3 + 2)
			}
			if got := p.Data()[1*12+2*4+1*2+0]; got != wantV {
				t.Errorf("patch embedding [1,2,1,0] = %v, want %v", got, wantV)
			}
		})
	}
}
