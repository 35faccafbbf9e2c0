package qwen2

import (
	"errors"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// TestReferenceFixtures loads the Qwen2 fixtures (the transformers layout
// in bf16 and the mlx-lm 4-bit layout) through vlm.Load and checks the
// prompt ids, the logits of a full forward pass at the recorded positions
// and the 20-token greedy continuation against transformers.
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"qwen2", "qwen2_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, name)
			mc := f.LoadModel(t)
			if _, ok := mc.Model.(*Model); !ok {
				t.Fatalf("Load built %T, want *qwen2.Model", mc.Model)
			}
			for _, c := range f.Cases {
				t.Run(c.Name, func(t *testing.T) { checkCase(t, f, mc, c) })
			}
		})
	}
}

func checkCase(t *testing.T, f *reftest.Fixture, mc *vlm.ModelContext, c reftest.Case) {
	ids := f.PromptIDs(t, mc, c)
	reftest.CheckIDs(t, ids, c.InputIDs)
	m := mc.Model
	out, err := m.Forward(ids, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	f.CheckLogits(t, c, out)
	reftest.CheckGreedy(t, m, &vlm.LMInput{Tokens: ids}, c.Greedy, 5)
}

func TestParseConfig(t *testing.T) {
	// Qwen2.5-0.5B-Instruct's config.json (transformers 4.x).
	c, err := ParseConfig([]byte(`{"architectures": ["Qwen2ForCausalLM"], "hidden_size": 896,
		"intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21,
		"model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
		"rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
		"use_sliding_window": false, "vocab_size": 151936}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.HeadDim != 64 || c.RopeTheta != 1e6 || c.HiddenAct != "silu" || !c.TieWordEmbeddings {
		t.Errorf("derived config %+v", c)
	}
	if w := c.LayerWindows(); slices.ContainsFunc(w, func(x int) bool { return x != 0 }) {
		t.Errorf("sliding windows %v with use_sliding_window false", w)
	}
	c.UseSliding = true
	if w := c.LayerWindows(); w[20] != 0 || w[21] != 32768 {
		t.Errorf("sliding windows %v, want layers >= 21 windowed", w)
	}
	for _, tc := range []struct{ name, json, field string }{
		{"kv heads", `{"num_attention_heads": 4, "num_key_value_heads": 3, "hidden_size": 64}`, "num_key_value_heads"},
		{"zero layers", `{"num_hidden_layers": 0}`, "num_hidden_layers"},
		{"activation", `{"hidden_act": "nope"}`, "hidden_act"},
		{"eps", `{"rms_norm_eps": 0}`, "rms_norm_eps"},
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

func TestSanitize(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"hf and mlx-lm", []string{"model.embed_tokens.weight", "model.layers.0.self_attn.rotary_emb.inv_freq",
			"model.layers.0.self_attn.q_proj.bias", "lm_head.weight"},
			[]string{"lm_head.weight", "model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.bias"}},
		{"bare decoder", []string{"embed_tokens.weight", "layers.23.mlp.down_proj.weight", "norm.weight"},
			[]string{"model.embed_tokens.weight", "model.layers.23.mlp.down_proj.weight", "model.norm.weight"}},
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
			var got []string
			for n := range out {
				got = append(got, n)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestForwardRejectsBadIDs(t *testing.T) {
	mc := reftest.Load(t, "qwen2").LoadModel(t)
	_, err := mc.Model.Forward([]int32{1, 1 << 20}, mc.Model.NewCaches(vlm.GenerateParameters{}))
	var idErr *nn.IDError
	if !errors.Is(err, vlm.ErrGeneration) || !errors.As(err, &idErr) || idErr.Index != 1 {
		t.Fatalf("got %v, want a generation error wrapping an *nn.IDError at index 1", err)
	}
}
