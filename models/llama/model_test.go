package llama

import (
	"errors"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// TestReferenceFixtures loads the Llama fixtures through vlm.Load (the
// registered "llama" type, the text processor and chat template) and
// checks the prompt ids, the logits of a full forward pass at the recorded
// positions and the 20-token greedy continuation against transformers.
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"llama", "llama_rope_llama3"} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, name)
			mc := f.LoadModel(t)
			if _, ok := mc.Model.(*Model); !ok {
				t.Fatalf("Load built %T, want *llama.Model", mc.Model)
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

func TestParseConfigDefaultsAndErrors(t *testing.T) {
	c, err := ParseConfig([]byte(`{"hidden_size": 576, "num_attention_heads": 9, "num_key_value_heads": 3,
		"intermediate_size": 1536, "num_hidden_layers": 30, "vocab_size": 49152, "rope_theta": 100000}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.HeadDim != 64 || c.RMSNormEps != 1e-6 || c.RopeTheta != 100000 || c.HiddenAct != "silu" {
		t.Errorf("derived config %+v", c)
	}
	c, err = ParseConfig([]byte(`{"hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128,
		"num_hidden_layers": 2, "vocab_size": 100, "rope_parameters": {"rope_type": "default", "rope_theta": 5e5}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.RopeTheta != 5e5 || c.NumKeyValueHeads != 4 {
		t.Errorf("5.x rope_parameters: theta %v kv %d", c.RopeTheta, c.NumKeyValueHeads)
	}
	for _, tc := range []struct{ name, json, field string }{
		{"kv heads", `{"num_attention_heads": 4, "num_key_value_heads": 3, "hidden_size": 64}`, "num_key_value_heads"},
		{"zero layers", `{"num_hidden_layers": 0}`, "num_hidden_layers"},
		{"activation", `{"hidden_act": "nope"}`, "hidden_act"},
		{"rope", `{"rope_scaling": {"rope_type": "llama3"}}`, "rope_scaling"},
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
	w := func(names ...string) map[string]*tensor.Tensor {
		m := map[string]*tensor.Tensor{}
		for _, n := range names {
			m[n] = tensor.New(1)
		}
		return m
	}
	cases := []struct {
		name string
		in   map[string]*tensor.Tensor
		want []string
	}{
		{"hf", w("model.embed_tokens.weight", "model.layers.0.self_attn.rotary_emb.inv_freq", "lm_head.weight"),
			[]string{"lm_head.weight", "model.embed_tokens.weight"}},
		{"mlx-lm quantized (combined by the loader)", w("model.layers.0.mlp.down_proj.weight", "model.norm.weight"),
			[]string{"model.layers.0.mlp.down_proj.weight", "model.norm.weight"}},
		{"bare decoder", w("layers.0.input_layernorm.weight", "embed_tokens.weight", "norm.weight"),
			[]string{"model.embed_tokens.weight", "model.layers.0.input_layernorm.weight", "model.norm.weight"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := (&Model{}).Sanitize(c.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for n := range out {
				got = append(got, n)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestForwardRejectsBadIDs(t *testing.T) {
	mc := reftest.Load(t, "llama").LoadModel(t)
	_, err := mc.Model.Forward([]int32{1, 1 << 20}, mc.Model.NewCaches(vlm.GenerateParameters{}))
	var idErr *nn.IDError
	if !errors.Is(err, vlm.ErrGeneration) || !errors.As(err, &idErr) || idErr.Index != 1 {
		t.Fatalf("got %v, want a generation error wrapping an *nn.IDError at index 1", err)
	}
}
