package vlm

import (
	"context"
	"slices"
	"testing"
)

// collect drains a generation stream.
func collect(t *testing.T, seq func(func(Chunk, error) bool)) (string, []int32) {
	t.Helper()
	var text string
	var ids []int32
	for c, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		text += c.Text
		ids = append(ids, c.Tokens...)
	}
	return text, ids
}

// TestSessionReusesCachesAndMatchesFreshGeneration checks the point of a
// Session: a follow-up turn is prefilled from the cached prefix, yet
// generates exactly what a fresh Generate over the whole conversation does.
func TestSessionReusesCachesAndMatchesFreshGeneration(t *testing.T) {
	dir := fixtureDir(t, "llama")
	ctx := context.Background()
	mc, err := Load(ctx, ModelConfiguration{Directory: dir}, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	params := GenerateParameters{MaxTokens: 8}

	s := NewSession(mc, params)
	first := Text(RoleUser, "Describe the image of a cat.")
	answer1, _ := collect(t, s.Respond(ctx, first))
	if s.ReusedTokens() != 0 {
		t.Fatalf("first turn reused %d tokens from empty caches", s.ReusedTokens())
	}
	second := Text(RoleUser, "And the dog?")
	_, ids2 := collect(t, s.Respond(ctx, second))
	if s.ReusedTokens() == 0 {
		t.Fatal("second turn reused no cached tokens")
	}
	if got := len(s.Messages()); got != 4 {
		t.Fatalf("conversation has %d messages, want 4", got)
	}

	// The same conversation from scratch.
	conv := []Message{first, Text(RoleAssistant, answer1), second}
	input, err := mc.Processor.Prepare(ctx, UserInput{Messages: conv})
	if err != nil {
		t.Fatal(err)
	}
	_, fresh := collect(t, Generate(ctx, mc, input, params))
	if !slices.Equal(ids2, fresh) {
		t.Fatalf("session turn 2 = %v\nfresh generation = %v", ids2, fresh)
	}

	s.Reset()
	if s.CachedTokens() != 0 || len(s.Messages()) != 0 {
		t.Fatal("Reset kept state")
	}
}
