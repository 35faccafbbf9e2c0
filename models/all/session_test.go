package all_test

import (
	"context"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestSessionFollowUpMatchesFreshGeneration runs a two-turn conversation on
// every architecture's reference checkpoint: an image question, then a
// text-only follow-up that a vlm.Session serves from the KV caches of the
// first turn. The follow-up must generate exactly what a fresh Generate over
// the whole conversation does — which checks that each model positions
// tokens correctly after cached ones (Qwen2-VL's M-RoPE deltas, Gemma 3's
// sliding windows, PaliGemma's prefix).
func TestSessionFollowUpMatchesFreshGeneration(t *testing.T) {
	// Gemma 3's fixtures have a sliding window of 8 positions: their
	// rotating caches have dropped the positions a trim would need, so the
	// session must notice and prefill afresh (reuse false), still giving
	// the same tokens.
	cases := []struct {
		fixture, caseName string
		reuse             bool
	}{
		{"smolvlm", "image", true},
		{"idefics3", "image", true},
		{"qwen2_vl", "image", true},
		{"qwen2_5_vl", "image", true},
		{"gemma3", "image", false},
		{"llama", "chat", true},
		{"qwen2", "chat", true},
		{"gemma3_text", "chat", false},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.fixture, func(t *testing.T) {
			f := reftest.Load(t, tc.fixture)
			var first vlm.UserInput
			for _, c := range f.Cases {
				if c.Name == tc.caseName {
					first = f.UserInput(t, c)
				}
			}
			if first.Messages == nil {
				t.Fatalf("no %q chat case", tc.caseName)
			}
			mc := f.LoadModel(t)
			params := vlm.GenerateParameters{MaxTokens: 6}
			s := vlm.NewSession(mc, params)
			answer := drain(t, s.Respond(ctx, first.Messages...))
			follow := vlm.Text(vlm.RoleUser, "Tell me more about it, please.")
			got := drain(t, s.Respond(ctx, follow))
			if reused := s.ReusedTokens() > 0; reused != tc.reuse {
				t.Fatalf("the follow-up reused %d cached tokens; want reuse %v", s.ReusedTokens(), tc.reuse)
			}

			conv := append(slices.Clone(first.Messages), vlm.Text(vlm.RoleAssistant, answer.text), follow)
			input, err := mc.Processor.Prepare(ctx, vlm.UserInput{Messages: conv})
			if err != nil {
				t.Fatal(err)
			}
			fresh := drain(t, vlm.Generate(ctx, mc, input, params))
			if !slices.Equal(got.ids, fresh.ids) {
				t.Fatalf("follow-up from the cache %v\nfresh generation        %v (reused %d of %d prompt tokens)",
					got.ids, fresh.ids, s.ReusedTokens(), len(input.Tokens))
			}
		})
	}
}

type drained struct {
	text string
	ids  []int32
}

func drain(t *testing.T, seq func(func(vlm.Chunk, error) bool)) drained {
	t.Helper()
	var d drained
	for c, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		d.text += c.Text
		d.ids = append(d.ids, c.Tokens...)
	}
	return d
}
