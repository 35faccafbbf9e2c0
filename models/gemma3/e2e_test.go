package gemma3

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestGenerateEndToEnd runs the user's path on the gemma3 fixture folder:
// vlm.Load, the registered Gemma3Processor on chat messages with images,
// vlm.Generate (EOS ids active, none of them is reached in 20 steps), and
// compares the streamed tokens and text with transformers' greedy run.
func TestGenerateEndToEnd(t *testing.T) {
	f := reftest.Load(t, "gemma3")
	mc := f.LoadModel(t, endOfTurn)
	for _, c := range f.Cases {
		if len(c.CallKwargs) > 0 {
			continue // pan-and-scan is a processor option, covered by TestVLMFixture
		}
		t.Run(c.Name, func(t *testing.T) {
			in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
			if err != nil {
				t.Fatal(err)
			}
			var tokens []int32
			var text strings.Builder
			for chunk, err := range vlm.Generate(context.Background(), mc, in, vlm.GenerateParameters{MaxTokens: len(c.Greedy)}) {
				if err != nil {
					t.Fatal(err)
				}
				tokens = append(tokens, chunk.Tokens...)
				text.WriteString(chunk.Text)
			}
			if !slices.Equal(tokens, c.Greedy) {
				t.Errorf("tokens\n%v\nwant\n%v", tokens, c.Greedy)
			}
			if want := mc.Tokenizer.Decode(c.Greedy, true); text.String() != want {
				t.Errorf("text %q, want %q", text.String(), want)
			}
		})
	}
}
