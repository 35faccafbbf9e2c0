package gemma

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// TestReferenceFixture loads the gemma fixture through vlm.Load and checks,
// for the raw and chat cases, the prompt ids, the logits of a full forward
// pass at the recorded positions (relative error ≤ 1e-4) and the 20-token
// greedy continuation against transformers 5.17.
func TestReferenceFixture(t *testing.T) {
	f := reftest.Load(t, "gemma")
	mc := f.LoadModel(t)
	if _, ok := mc.Model.(*Model); !ok {
		t.Fatalf("Load built %T, want *gemma.Model", mc.Model)
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			ids := f.PromptIDs(t, mc, c)
			reftest.CheckIDs(t, ids, c.InputIDs)
			out, err := mc.Model.Forward(ids, mc.Model.NewCaches(vlm.GenerateParameters{}))
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			f.CheckLogits(t, c, out)
			reftest.CheckGreedy(t, mc.Model, &vlm.LMInput{Tokens: ids}, c.Greedy, 5)
		})
	}
}

func TestParseConfig(t *testing.T) {
	// google/gemma-2b's config.json: hidden_act "gelu" is ignored, the
	// activation is the tanh GELU.
	c, err := ParseConfig([]byte(`{"architectures": ["GemmaForCausalLM"], "hidden_act": "gelu", "hidden_size": 2048,
		"intermediate_size": 16384, "num_attention_heads": 8, "num_hidden_layers": 18, "num_key_value_heads": 1,
		"head_dim": 256, "rms_norm_eps": 1e-06, "rope_theta": 10000.0, "vocab_size": 256000, "model_type": "gemma"}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.HiddenActivation != "gelu_pytorch_tanh" || c.HeadDim != 256 || c.NumKeyValueHeads != 1 {
		t.Errorf("parsed %+v", c)
	}
	for _, tc := range []struct{ name, json, field string }{
		{"kv heads", `{"num_attention_heads": 8, "num_key_value_heads": 3}`, "num_key_value_heads"},
		{"head dim", `{"head_dim": 0}`, "head_dim"},
		{"activation", `{"hidden_activation": "nope"}`, "hidden_activation"},
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

func TestEmbedScale(t *testing.T) {
	for _, tc := range []struct {
		hidden int
		dt     tensor.DType
		want   float32
	}{
		{64, tensor.BF16, 8},
		{2048, tensor.F32, float32(math.Sqrt(2048))},
		{2048, tensor.BF16, 45.25},
		{3072, tensor.BF16, 55.5},   // √3072 = 55.4256…
		{3072, tensor.F16, 55.4375}, // nearest float16
		{2304, tensor.BF16, 48},
	} {
		if got := EmbedScale(tc.hidden, tc.dt); got != tc.want {
			t.Errorf("EmbedScale(%d, %v) = %v, want %v", tc.hidden, tc.dt, got, tc.want)
		}
	}
}

func TestSanitize(t *testing.T) {
	w := func(names ...string) map[string]*tensor.Tensor {
		m := map[string]*tensor.Tensor{}
		for _, n := range names {
			m[n] = tensor.New(1)
		}
		return m
	}
	for _, c := range []struct {
		name string
		in   map[string]*tensor.Tensor
		want []string
	}{
		{"hf", w("model.embed_tokens.weight", "model.layers.0.self_attn.rotary_emb.inv_freq", "model.norm.weight"),
			[]string{"model.embed_tokens.weight", "model.norm.weight"}},
		{"mlx-lm", w("model.layers.0.mlp.gate_proj.weight", "model.embed_tokens.weight"),
			[]string{"model.embed_tokens.weight", "model.layers.0.mlp.gate_proj.weight"}},
		{"bare", w("layers.0.input_layernorm.weight", "embed_tokens.weight", "norm.weight"),
			[]string{"model.embed_tokens.weight", "model.layers.0.input_layernorm.weight", "model.norm.weight"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := (&Model{}).Sanitize(c.in)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(func(yield func(string) bool) {
				for n := range out {
					if !yield(n) {
						return
					}
				}
			})
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestForwardRejectsBadIDs(t *testing.T) {
	mc := reftest.Load(t, "gemma").LoadModel(t)
	_, err := mc.Model.Forward([]int32{2, 5000}, mc.Model.NewCaches(vlm.GenerateParameters{}))
	var idErr *nn.IDError
	if !errors.Is(err, vlm.ErrGeneration) || !errors.As(err, &idErr) || idErr.Index != 1 {
		t.Fatalf("got %v, want a generation error wrapping an *nn.IDError at index 1", err)
	}
}
