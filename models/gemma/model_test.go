package gemma

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

// fixture returns the folder of a reference fixture and its cases,
// skipping the test when the fixture is absent.
func fixture(t *testing.T, name string) (string, []refCase) {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "models", name)
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	var ref struct {
		Cases []refCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return dir, ref.Cases
}

// TestReferenceFixture loads the gemma fixture through vlm.Load and checks,
// for the raw and chat cases, the prompt ids, the logits of a full forward
// pass at the recorded positions (relative error ≤ 1e-4) and the 20-token
// greedy continuation against transformers 5.17.
func TestReferenceFixture(t *testing.T) {
	dir, cases := fixture(t, "gemma")
	ref, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	if _, ok := mc.Model.(*Model); !ok {
		t.Fatalf("Load built %T, want *gemma.Model", mc.Model)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
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
			out, err := mc.Model.Forward(ids, mc.Model.NewCaches(vlm.GenerateParameters{}))
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
			for tok, err := range vlm.Tokens(context.Background(), mc.Model, &vlm.LMInput{Tokens: ids}, p, nil) {
				if err != nil {
					t.Fatal(err)
				}
				greedy = append(greedy, tok)
			}
			if !slices.Equal(greedy, c.Greedy) {
				t.Errorf("greedy\n%v\nwant\n%v", greedy, c.Greedy)
			}
		})
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
	dir, _ := fixture(t, "gemma")
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	_, err = mc.Model.Forward([]int32{2, 5000}, mc.Model.NewCaches(vlm.GenerateParameters{}))
	var idErr *nn.IDError
	if !errors.Is(err, vlm.ErrGeneration) || !errors.As(err, &idErr) || idErr.Index != 1 {
		t.Fatalf("got %v, want a generation error wrapping an *nn.IDError at index 1", err)
	}
}
