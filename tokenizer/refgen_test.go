package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// refCase is the part of a testdata/models/*/reference.json case this
// package can check: transformers 5.17's rendered prompt, its input ids
// (for text-only cases) and the decoded greedy continuation.
type refCase struct {
	Name             string          `json:"name"`
	Messages         json.RawMessage `json:"messages"`
	Images           []string        `json:"images"`
	Videos           [][]string      `json:"videos"`
	Prompt           string          `json:"prompt"`
	AddSpecialTokens *bool           `json:"add_special_tokens"`
	InputIDs         []int32         `json:"input_ids"`
	Greedy           []int32         `json:"greedy"`
	GreedyText       *string         `json:"greedy_text"`
}

// TestRefgenFixtures runs the tokenizers of the repository's tiny reference
// checkpoints (testdata/models, written by transformers 5.17 with tokenizers
// 0.23: Qwen2, SmolLM2, Gemma, Gemma 3, Idefics3, SmolVLM, Qwen2-VL,
// PaliGemma pipelines) against the outputs recorded beside them.
func TestRefgenFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "models", "*", "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Skip("no reference fixtures under ../testdata/models")
	}
	for _, ref := range dirs {
		dir := filepath.Dir(ref)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(ref)
			if err != nil {
				t.Fatal(err)
			}
			var r struct {
				Cases []refCase `json:"cases"`
			}
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			tk, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			checks := 0
			for _, c := range r.Cases {
				textOnly := len(c.Images) == 0 && len(c.Videos) == 0
				if len(c.Messages) > 0 && string(c.Messages) != "null" {
					msgs, err := DecodeMessages(c.Messages)
					if err != nil {
						t.Fatal(err)
					}
					checks++
					got, err := tk.ApplyChatTemplate(msgs, ChatOptions{AddGenerationPrompt: true})
					if err != nil {
						t.Errorf("%s: %v", c.Name, err)
					} else if got != c.Prompt {
						t.Errorf("%s: template\n got %q\nwant %q", c.Name, got, c.Prompt)
					}
				}
				if textOnly && c.InputIDs != nil {
					checks++
					add := c.AddSpecialTokens == nil || *c.AddSpecialTokens
					if got := tk.Encode(c.Prompt, add); !slices.Equal(got, c.InputIDs) {
						t.Errorf("%s: Encode(prompt, %v)\n got %v\nwant %v", c.Name, add, got, c.InputIDs)
					}
				}
				if c.GreedyText != nil {
					checks++
					if got := tk.Decode(c.Greedy, false); got != *c.GreedyText {
						t.Errorf("%s: Decode(greedy) = %q, want %q", c.Name, got, *c.GreedyText)
					}
				}
			}
			if checks < len(r.Cases) {
				t.Errorf("only %d checks for %d cases: reference.json changed shape?", checks, len(r.Cases))
			}
			t.Logf("%d checks", checks)
		})
	}
}
