package vlm

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/safetensors"
)

// Quantized weights and a quantized KV cache trade accuracy for memory, so
// they are held to stated, looser tolerances against transformers' float32
// reference instead of the 1e-4 of the float paths:
//
//   - load-time q8 weights: logits within 5e-2 relative (max |Δ| / max |ref|;
//     measured 3.5e-2 and 3.7e-2), and the first 12 greedy tokens equal to
//     the reference (measured 16 of 20 for llama, 20 of 20 for qwen2);
//   - load-time q4 weights: logits within 0.75 relative (measured 0.47 and
//     0.57); no token equality is asked, because these tiny fixtures draw
//     weights with std ≈ 0.25 and 4-bit groups of 64 add about 9 % noise
//     to every weight, which changes the greedy path from the first token.
//     Exact 4-bit arithmetic is proven instead by the qwen2_mlx_4bit
//     fixture, whose reference was computed from the dequantized weights;
//   - an 8-bit KV cache (group 32, quantized from the first decoding step):
//     the first 12 greedy tokens equal (measured 16 of 20 for llama, 20 of
//     20 for qwen2); a 4-bit one: the first token (measured 5 and 1 of 20).
//     These fixtures have 16-wide heads, so a group of 32 spans two heads
//     whose keys differ in scale, which costs accuracy that real models'
//     64- and 128-wide heads do not pay.
func TestQuantizedParityOnFixtures(t *testing.T) {
	type variant struct {
		name       string
		load       LoadOptions
		params     GenerateParameters
		maxRelErr  float64 // 0: logits not checked
		sameTokens int     // how many greedy tokens must equal the reference (-1: all)
	}
	variants := []variant{
		{"weights-q8", LoadOptions{Quantize: "q8"}, GenerateParameters{}, 5e-2, 12},
		{"weights-q4", LoadOptions{Quantize: "q4"}, GenerateParameters{}, 0.75, 0},
		{"kv-8bit", LoadOptions{}, GenerateParameters{KVBits: 8, KVGroupSize: 32}, 0, 12},
		{"kv-4bit", LoadOptions{}, GenerateParameters{KVBits: 4, KVGroupSize: 32}, 0, 1},
	}
	for _, name := range []string{"llama", "qwen2"} {
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
		c := ref.Cases[0]
		for _, v := range variants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				mc := loadTiny(t, dir, v.load, ModelConfiguration{})
				ids := mc.Tokenizer.Encode(c.Prompt, c.AddSpecialTokens == nil || *c.AddSpecialTokens)
				if v.maxRelErr > 0 {
					info, _ := logits.Tensor(c.Name + ".logits")
					want, err := safetensors.ToTensor(info)
					if err != nil {
						t.Fatal(err)
					}
					out, err := mc.Model.Forward(ids, mc.Model.NewCaches(GenerateParameters{}))
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
					rel := maxDiff / maxRef
					t.Logf("logits relative error %.3g (limit %.3g)", rel, v.maxRelErr)
					if rel > v.maxRelErr {
						t.Errorf("logits relative error %.3g > %.3g", rel, v.maxRelErr)
					}
				}
				p := v.params
				p.MaxTokens = len(c.Greedy)
				var got []int32
				caches := mc.Model.NewCaches(p)
				run(context.Background(), mc.Model, nil, nil, 0, &LMInput{Tokens: ids}, p, caches, func(c Chunk, err error) bool {
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, c.Tokens...)
					return true
				})
				if p.KVBits != 0 {
					for i, c := range caches {
						if _, ok := c.(*nn.QuantizedCache); !ok {
							t.Fatalf("cache %d is a %T, not quantized", i, c)
						}
					}
				}
				same := 0
				for same < len(got) && same < len(c.Greedy) && got[same] == c.Greedy[same] {
					same++
				}
				need := v.sameTokens
				if need < 0 {
					need = len(c.Greedy)
				}
				t.Logf("%d of %d greedy tokens equal the reference (need %d)", same, len(c.Greedy), need)
				if same < need {
					t.Errorf("greedy %v\nreference %v", got, c.Greedy)
				}
			})
		}
	}
}
