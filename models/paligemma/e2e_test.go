package paligemma

import (
	"context"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestGenerateEndToEnd runs the user's path on the paligemma fixture
// folder: vlm.Load, the registered PaliGemmaProcessor on a plain prompt
// with one image, vlm.Generate (EOS active, not reached in 20 steps), and
// compares the tokens with transformers' greedy run.
func TestGenerateEndToEnd(t *testing.T) {
	f := reftest.Load(t, "paligemma")
	mc := f.LoadModel(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
			if err != nil {
				t.Fatal(err)
			}
			var tokens []int32
			for chunk, err := range vlm.Generate(context.Background(), mc, in, vlm.GenerateParameters{MaxTokens: len(c.Greedy)}) {
				if err != nil {
					t.Fatal(err)
				}
				tokens = append(tokens, chunk.Tokens...)
			}
			if !slices.Equal(tokens, c.Greedy) {
				t.Errorf("tokens\n%v\nwant\n%v", tokens, c.Greedy)
			}
		})
	}
}
