package vlm

import (
	"context"

	"github.com/govlm/govlm/tokenizer"
)

// TextProcessor is the processor of text-only models: it renders the chat
// template (or uses the plain prompt when the tokenizer has none) and
// tokenizes.
type TextProcessor struct {
	Tokenizer *tokenizer.Tokenizer
}

// NewTextProcessor returns a TextProcessor over tok.
func NewTextProcessor(tok *tokenizer.Tokenizer) *TextProcessor { return &TextProcessor{Tokenizer: tok} }

// Prepare implements UserInputProcessor. Media in the input are an error of
// kind KindImageProcessing / KindVideoProcessing.
func (p *TextProcessor) Prepare(ctx context.Context, input UserInput) (*LMInput, error) {
	if err := input.CheckMedia(0, 0, false); err != nil {
		return nil, err
	}
	if len(p.Tokenizer.ChatTemplateNames()) == 0 {
		if len(input.Messages) > 0 {
			return nil, Errorf(KindProcessing, "the tokenizer has no chat template for %d messages", len(input.Messages))
		}
		return &LMInput{Tokens: p.Tokenizer.Encode(input.Prompt, true)}, nil
	}
	text, err := p.Tokenizer.ApplyChatTemplate(input.TemplateMessages(true), tokenizer.ChatOptions{
		AddGenerationPrompt: true,
		Tools:               input.Tools,
		Extra:               input.Extra,
	})
	if err != nil {
		return nil, Errorf(KindProcessing, "chat template: %w", err)
	}
	return &LMInput{Tokens: p.Tokenizer.Encode(text, false)}, nil
}
