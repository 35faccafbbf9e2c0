package vlm

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/safetensors"
)

// The tiny decoder of tinymodel_test.go is a Llama: registered under
// "llama" in this test binary only (the real architecture lives in
// models/llama, which this package cannot import), it runs the Llama
// reference fixtures made with transformers. That checks the runtime end to
// end against Hugging Face: bf16 loading, RMSNorm, default and llama3 rotary
// scaling, grouped-query attention, KV-cache decoding, tied and untied heads,
// the tokenizer and chat-template path, and the generation loop.
// Qwen2 is the same decoder with q/k/v biases.
func init() {
	RegisterModel("llama", newTinyModel)
	RegisterModel("qwen2", func(b []byte) (LanguageModel, error) {
		var c tinyConfig
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, err
		}
		c.QKVBias = true
		return buildTinyModel(c)
	})
}

type fixtureCase struct {
	Name             string           `json:"name"`
	Messages         []map[string]any `json:"messages"`
	Prompt           string           `json:"prompt"`
	AddSpecialTokens *bool            `json:"add_special_tokens"`
	InputIDs         []int32          `json:"input_ids"`
	LogitsPositions  []int            `json:"logits_positions"`
	Greedy           []int32          `json:"greedy"`
}

func fixtureDir(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join("..", "testdata", "models", name)
	if _, err := os.Stat(filepath.Join(dir, "reference.json")); err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	return dir
}

func TestDecoderReferenceFixtures(t *testing.T) {
	for _, name := range []string{"llama", "llama_rope_llama3", "qwen2", "qwen2_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			dir := fixtureDir(t, name)
			var ref struct {
				Cases []fixtureCase `json:"cases"`
			}
			b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &ref); err != nil {
				t.Fatal(err)
			}
			logits, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			defer logits.Close()
			mc := loadTiny(t, dir, LoadOptions{}, ModelConfiguration{})
			for _, c := range ref.Cases {
				t.Run(c.Name, func(t *testing.T) {
					checkFixtureCase(t, mc, c, logits)
				})
			}
		})
	}
}

func checkFixtureCase(t *testing.T, mc *ModelContext, c fixtureCase, logits *safetensors.File) {
	// Prompt → ids, through the processor for chat cases.
	var ids []int32
	if c.Messages != nil {
		in := UserInput{}
		for _, m := range c.Messages {
			in.Messages = append(in.Messages, Text(m["role"].(string), m["content"].(string)))
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

	// Logits at the recorded positions of one forward pass.
	info, ok := logits.Tensor(c.Name + ".logits")
	if !ok {
		t.Fatalf("reference.safetensors has no %s.logits", c.Name)
	}
	want, err := safetensors.ToTensor(info)
	if err != nil {
		t.Fatal(err)
	}
	m := mc.Model
	out, err := m.Forward(ids, m.NewCaches(GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	vocab := out.Dim(-1)
	var maxRef, maxDiff float64
	for i, pos := range c.LogitsPositions {
		got := out.Data()[pos*vocab : (pos+1)*vocab]
		exp := want.Data()[i*vocab : (i+1)*vocab]
		for j := range got {
			maxRef = math.Max(maxRef, math.Abs(float64(exp[j])))
			maxDiff = math.Max(maxDiff, math.Abs(float64(got[j]-exp[j])))
		}
	}
	t.Logf("logits: max |Δ| %.3g, max |ref| %.3g", maxDiff, maxRef)
	if maxDiff/maxRef > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", maxDiff/maxRef)
	}

	// Greedy continuation (the reference ran with EOS disabled), decoding
	// the last prompt chunk through Prepare's chunked prefill.
	var greedy []int32
	p := GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: 7}
	for tok, err := range Tokens(context.Background(), m, &LMInput{Tokens: ids}, p, nil) {
		if err != nil {
			t.Fatal(err)
		}
		greedy = append(greedy, tok)
	}
	if !slices.Equal(greedy, c.Greedy) {
		t.Errorf("greedy\n%v\nwant\n%v", greedy, c.Greedy)
	}
}
