package gemma3

import (
	"errors"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/siglip"
)

// gemma3_4bConfig is google/gemma-3-4b-it's config.json (transformers 4.x):
// most text fields are Gemma3TextConfig defaults.
const gemma3_4bConfig = `{
  "architectures": ["Gemma3ForConditionalGeneration"], "boi_token_index": 255999, "eoi_token_index": 256000,
  "eos_token_id": [1, 106], "image_token_index": 262144, "initializer_range": 0.02, "mm_tokens_per_image": 256,
  "model_type": "gemma3",
  "text_config": {"hidden_size": 2560, "intermediate_size": 10240, "model_type": "gemma3_text",
    "num_hidden_layers": 34, "rope_scaling": {"factor": 8.0, "rope_type": "linear"}, "sliding_window": 1024},
  "torch_dtype": "bfloat16",
  "vision_config": {"hidden_size": 1152, "image_size": 896, "intermediate_size": 4304,
    "model_type": "siglip_vision_model", "num_attention_heads": 16, "num_hidden_layers": 27, "patch_size": 14,
    "vision_use_head": false}
}`

// gemma3_1bConfig is google/gemma-3-1b-it's config.json.
const gemma3_1bConfig = `{
  "architectures": ["Gemma3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
  "attn_logit_softcapping": null, "bos_token_id": 2, "cache_implementation": "hybrid", "eos_token_id": [1, 106],
  "final_logit_softcapping": null, "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 1152,
  "initializer_range": 0.02, "intermediate_size": 6912, "max_position_embeddings": 32768,
  "model_type": "gemma3_text", "num_attention_heads": 4, "num_hidden_layers": 26, "num_key_value_heads": 1,
  "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000,
  "rope_scaling": null, "rope_theta": 1000000, "sliding_window": 512, "sliding_window_pattern": 6,
  "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 262144
}`

func TestParseRealConfigs(t *testing.T) {
	c, err := ParseConfig([]byte(gemma3_4bConfig))
	if err != nil {
		t.Fatal(err)
	}
	tc := c.Text
	if tc.NumAttentionHeads != 8 || tc.NumKeyValueHeads != 4 || tc.HeadDim != 256 || tc.VocabSize != 262208 ||
		tc.QueryPreAttnScalar != 256 || tc.RopeTheta != 1e6 || tc.RopeLocalBaseFreq != 10000 ||
		tc.RopeScaling == nil || tc.RopeScaling.Factor != 8 || tc.FinalLogitSoftcapping != 0 {
		t.Errorf("4b text config %+v", tc)
	}
	windows := tc.Windows()
	if len(windows) != 34 || windows[5] != 0 || windows[0] != 1024 || windows[11] != 0 || windows[33] != 1024 {
		t.Errorf("4b windows %v", windows)
	}
	if c.MMTokensPerImage != 256 || c.ImageTokenID != 262144 || c.BOITokenID != 255999 || c.Vision.PatchesPerSide() != 64 {
		t.Errorf("4b config %+v", c)
	}
	t1, err := ParseTextConfig([]byte(gemma3_1bConfig))
	if err != nil {
		t.Fatal(err)
	}
	if t1.SlidingWindow != 512 || t1.NumKeyValueHeads != 1 || t1.RopeScaling != nil || len(t1.LayerTypes) != 26 {
		t.Errorf("1b config %+v", t1)
	}
}

// Test5xRopeParameters reads the per-layer-type rope_parameters of
// transformers 5.x configs.
func Test5xRopeParameters(t *testing.T) {
	c, err := ParseTextConfig([]byte(`{"num_hidden_layers": 2, "layer_types": ["sliding_attention", "full_attention"],
		"rope_parameters": {"full_attention": {"rope_type": "linear", "factor": 8, "rope_theta": 1e6},
			"sliding_attention": {"rope_type": "default", "rope_theta": 1e4}},
		"final_logit_softcapping": 30, "_sliding_window_pattern": 6}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.RopeTheta != 1e6 || c.RopeLocalBaseFreq != 1e4 || c.RopeScaling.Type != "linear" || c.FinalLogitSoftcapping != 30 {
		t.Errorf("parsed %+v", c)
	}
	if !slices.Equal(c.Windows(), []int{4096, 0}) {
		t.Errorf("windows %v", c.Windows())
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, field string }{
		{"kv heads", `{"num_attention_heads": 8, "num_key_value_heads": 3}`, "num_key_value_heads"},
		{"layer types", `{"num_hidden_layers": 2, "layer_types": ["sliding_attention"]}`, "layer_types"},
		{"layer type", `{"num_hidden_layers": 1, "layer_types": ["local"]}`, "layer_types"},
		{"scalar", `{"query_pre_attn_scalar": 0}`, "query_pre_attn_scalar"},
		{"rope", `{"rope_scaling": {"rope_type": "linear"}}`, "rope_scaling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTextConfig([]byte(tc.json))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, tc.field)
			}
		})
	}
	_, err := ParseConfig([]byte(`{"mm_tokens_per_image": 5}`))
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "mm_tokens_per_image" {
		t.Errorf("mm_tokens_per_image 5: got %v", err)
	}
	_, err = ParseConfig([]byte(`{"vision_config": {"image_size": 100, "patch_size": 14}}`))
	var se *siglip.ConfigError
	if !errors.As(err, &se) || se.Field != "patch_size" {
		t.Errorf("patch size: got %v", err)
	}
}
