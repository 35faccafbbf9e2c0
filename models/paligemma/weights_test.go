package paligemma

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// paligemmaMix224 is google/paligemma-3b-mix-224's config.json.
const paligemmaMix224 = `{
  "architectures": ["PaliGemmaForConditionalGeneration"], "bos_token_id": 2, "eos_token_id": 1, "hidden_size": 2048,
  "ignore_index": -100, "image_token_index": 257152, "model_type": "paligemma", "pad_token_id": 0,
  "projection_dim": 2048,
  "text_config": {"hidden_size": 2048, "intermediate_size": 16384, "model_type": "gemma", "num_attention_heads": 8,
    "num_hidden_layers": 18, "num_image_tokens": 256, "num_key_value_heads": 1, "torch_dtype": "float32",
    "vocab_size": 257216},
  "torch_dtype": "float32",
  "vision_config": {"hidden_size": 1152, "intermediate_size": 4304, "model_type": "siglip_vision_model",
    "num_attention_heads": 16, "num_hidden_layers": 27, "num_image_tokens": 256, "patch_size": 14,
    "projection_dim": 2048, "projector_hidden_act": "gelu_fast", "vision_use_head": false},
  "vocab_size": 257216
}`

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig([]byte(paligemmaMix224))
	if err != nil {
		t.Fatal(err)
	}
	if c.ImageTokenID != 257152 || c.ImageSeqLen() != 256 || c.Vision.ImageSize != 224 || c.Text.HeadDim != 256 ||
		c.Text.NumKeyValueHeads != 1 || c.Text.HiddenActivation != "gelu_pytorch_tanh" {
		t.Errorf("parsed %+v", c)
	}
	for _, tc := range []struct{ name, json, field string }{
		{"projection", `{"projection_dim": 7, "text_config": {"hidden_size": 64, "head_dim": 16, "num_attention_heads": 4, "num_key_value_heads": 4}}`, "projection_dim"},
		{"image token", `{"image_token_index": 999999}`, "image_token_index"},
		{"paligemma 2", `{"text_config": {"model_type": "gemma2"}}`, "text_config.model_type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, tc.field)
			}
		})
	}
}

// TestSanitizeLayouts maps representative names of each checkpoint layout.
func TestSanitizeLayouts(t *testing.T) {
	want := []string{
		"language_model.model.embed_tokens.weight",
		"language_model.model.layers.0.self_attn.q_proj.weight",
		"multi_modal_projector.linear.weight",
		"vision_tower.vision_model.embeddings.patch_embedding.weight",
		"vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight",
	}
	for _, tc := range []struct {
		name  string
		in    []string
		extra []string
	}{
		{"hub and mlx-vlm", []string{
			"language_model.model.embed_tokens.weight", "language_model.model.layers.0.self_attn.q_proj.weight",
			"multi_modal_projector.linear.weight", "vision_tower.vision_model.embeddings.patch_embedding.weight",
			"vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight", "vision_tower.vision_model.head.probe",
		}, nil},
		{"saved 5.x", []string{
			"language_model.model.embed_tokens.weight", "language_model.model.layers.0.self_attn.q_proj.weight",
			"multi_modal_projector.linear.weight", "vision_tower.embeddings.patch_embedding.weight",
			"vision_tower.encoder.layers.0.mlp.fc1.weight", "vision_tower.head.attention.in_proj_weight",
		}, nil},
		{"5.x modules", []string{
			"model.language_model.embed_tokens.weight", "model.language_model.layers.0.self_attn.q_proj.weight",
			"model.multi_modal_projector.linear.weight", "model.vision_tower.vision_model.embeddings.patch_embedding.weight",
			"model.vision_tower.vision_model.encoder.layers.0.mlp.fc1.weight", "lm_head.weight",
		}, []string{"language_model.lm_head.weight"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := map[string]*tensor.Tensor{}
			for _, n := range tc.in {
				w[n] = tensor.New(1)
			}
			out, err := (&Model{}).Sanitize(w)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(maps.Keys(out))
			exp := slices.Sorted(slices.Values(append(slices.Clone(want), tc.extra...)))
			if !slices.Equal(got, exp) {
				t.Fatalf("got %v\nwant %v", got, exp)
			}
		})
	}
}

// TestLayout4x loads the fixture in the transformers 4.x layout (flat
// preprocessor_config.json, hub weight names with the pooling head) and
// checks ids, pixels and logits.
func TestLayout4x(t *testing.T) {
	f := reftest.Load(t, "paligemma")
	mc := reftest.LoadModel(t, f.Layout4x(t))
	m := mc.Model.(*Model)
	for _, c := range f.Cases {
		in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
		if err != nil {
			t.Fatal(err)
		}
		reftest.CheckIDs(t, in.Tokens, c.InputIDs)
		reftest.CheckMaxAbs(t, c.Name+": pixel values", in.Image.Pixels.Data(), f.Tensor(t, c.Name+".pixel_values").Data(), 1e-5)
		logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
		if err != nil {
			t.Fatal(err)
		}
		want := f.Tensor(t, c.Name+".logits")
		vocab := logits.Dim(1)
		pos := c.LogitsPositions[len(c.LogitsPositions)-1]
		d, s := reftest.MaxAbs(logits.Data()[pos*vocab:(pos+1)*vocab], want.Data()[(len(c.LogitsPositions)-1)*vocab:])
		if d/s > 1e-4 {
			t.Errorf("%s: last-row logits relative error %.3g", c.Name, d/s)
		}
		logits.Release()
	}
}

// TestLayout checks the prompt strings of PaliGemmaProcessor.
func TestLayout(t *testing.T) {
	mc := reftest.Load(t, "paligemma").LoadModel(t)
	p := mc.Processor.(*Processor)
	q := *p
	q.ImageSeqLen = 2
	for _, tc := range []struct {
		prompt string
		images int
		want   string
	}{
		{"caption en", 1, "<image><image><bos>caption en\n"},
		{"caption en", 2, "<image><image><image><image><bos>caption en\n"},
		{"<image>answer en", 1, "<image><image><bos>answer en\n"},
	} {
		if got := q.Layout(tc.prompt, tc.images); got != tc.want {
			t.Errorf("Layout(%q, %d) = %q, want %q", tc.prompt, tc.images, got, tc.want)
		}
	}
}
