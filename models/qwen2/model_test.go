package qwen2

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

type refCase struct {
	Name             string           `json:"name"`
	Messages         []map[string]any `json:"messages"`
	Prompt           string           `json:"prompt"`
	AddSpecialTokens *bool            `json:"add_special_tokens"`
	InputIDs         []int32          `json:"input_ids"`
	LogitsPositions  []int            `json:"logits_positions"`
	Greedy           []int32          `json:"greedy"`
}

// fixture returns the folder of a reference fixture in testdata/models,
// skipping the test when it is absent.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "models", name)
	if _, err := os.Stat(filepath.Join(dir, "reference.json")); err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	return dir
}

// TestReferenceFixtures loads the Qwen2 fixtures (the transformers layout
// in bf16 and the mlx-lm 4-bit layout) through vlm.Load and checks the
// prompt ids, the logits of a full forward pass at the recorded positions
// and the 20-token greedy continuation against transformers.
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"qwen2", "qwen2_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			dir := fixture(t, name)
			var ref struct {
				Cases []refCase `json:"cases"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			want, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			defer want.Close()
			mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer mc.Close()
			if _, ok := mc.Model.(*Model); !ok {
				t.Fatalf("Load built %T, want *qwen2.Model", mc.Model)
			}
			for _, c := range ref.Cases {
				t.Run(c.Name, func(t *testing.T) { checkCase(t, mc, c, want) })
			}
		})
	}
}

func checkCase(t *testing.T, mc *vlm.ModelContext, c refCase, ref *safetensors.File) {
	var ids []int32
	if c.Messages != nil {
		var in vlm.UserInput
		for _, m := range c.Messages {
			in.Messages = append(in.Messages, vlm.Text(m["role"].(string), m["content"].(string)))
		}
		prepared, err := mc.Processor.Prepare(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		ids = prepared.Tokens
	} else {
		ids = mc.Tokenizer.Encode(c.Prompt, c.AddSpecialTokens == nil || *c.AddSpecialTokens)
	}
	if !slices.Equal(ids, c.InputIDs) {
		t.Fatalf("input ids\n%v\nwant\n%v", ids, c.InputIDs)
	}
	info, ok := ref.Tensor(c.Name + ".logits")
	if !ok {
		t.Fatalf("no %s.logits in the reference", c.Name)
	}
	want, err := safetensors.ToTensor(info)
	if err != nil {
		t.Fatal(err)
	}
	m := mc.Model
	out, err := m.Forward(ids, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Release()
	rel := relErrRows(out, want, c.LogitsPositions)
	t.Logf("logits relative error %.3g", rel)
	if rel > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", rel)
	}
	var greedy []int32
	p := vlm.GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: 5}
	for tok, err := range vlm.Tokens(context.Background(), m, &vlm.LMInput{Tokens: ids}, p, nil) {
		if err != nil {
			t.Fatal(err)
		}
		greedy = append(greedy, tok)
	}
	if !slices.Equal(greedy, c.Greedy) {
		t.Errorf("greedy\n%v\nwant\n%v", greedy, c.Greedy)
	}
}

// relErrRows returns max |got[pos] − want[i]| / max |want| over the rows.
func relErrRows(got, want *tensor.Tensor, positions []int) float64 {
	vocab := got.Dim(-1)
	var maxRef, maxDiff float64
	for i, pos := range positions {
		g := got.Data()[pos*vocab : (pos+1)*vocab]
		w := want.Data()[i*vocab : (i+1)*vocab]
		for j := range g {
			maxRef = math.Max(maxRef, math.Abs(float64(w[j])))
			maxDiff = math.Max(maxDiff, math.Abs(float64(g[j]-w[j])))
		}
	}
	return maxDiff / maxRef
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
	dir := fixture(t, "qwen2")
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	_, err = mc.Model.Forward([]int32{1, 1 << 20}, mc.Model.NewCaches(vlm.GenerateParameters{}))
	var idErr *nn.IDError
	if !errors.Is(err, vlm.ErrGeneration) || !errors.As(err, &idErr) || idErr.Index != 1 {
		t.Fatalf("got %v, want a generation error wrapping an *nn.IDError at index 1", err)
	}
}
