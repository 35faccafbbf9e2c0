package vlm

import (
	"context"
	"iter"
	"slices"
	"strings"

	"github.com/govlm/govlm/nn"
)

// Session is a multi-turn conversation with one loaded model that keeps the
// model's KV caches between turns, so a follow-up question costs only its
// own tokens rather than the whole conversation again.
//
// Each turn renders the whole conversation through the processor (the chat
// template decides the exact tokens) and compares it with the tokens the
// caches hold: the longest common prefix is kept, the caches are trimmed to
// it and only the rest is prefilled. A turn that brings new images or
// videos, or whose prefix the caches can no longer reach (a rotating or
// bounded cache that has dropped positions), is prefilled from scratch.
//
// A Session is not safe for concurrent use, and while it lives nothing else
// may use its model (wrap both in a ModelContainer's Perform if needed).
type Session struct {
	mc *ModelContext
	// Params are the generation parameters of every turn.
	Params GenerateParameters
	// Processing holds the preprocessing hints of every turn.
	Processing Processing

	messages []Message
	caches   []nn.Cache
	cached   []int32 // the tokens whose keys and values the caches hold
	reused   int     // prompt tokens served from the caches in the last turn
}

// NewSession starts an empty conversation. A system message, if wanted, is
// the first message passed to Respond.
func NewSession(mc *ModelContext, params GenerateParameters) *Session {
	return &Session{mc: mc, Params: params}
}

// Messages returns the conversation so far, the model's answers included.
func (s *Session) Messages() []Message { return slices.Clone(s.messages) }

// CachedTokens returns how many tokens the caches hold.
func (s *Session) CachedTokens() int { return len(s.cached) }

// ReusedTokens returns how many prompt tokens of the last turn were served
// from the caches instead of being prefilled again.
func (s *Session) ReusedTokens() int { return s.reused }

// Reset forgets the conversation and drops the caches.
func (s *Session) Reset() {
	s.messages, s.caches, s.cached, s.reused = nil, nil, nil, 0
}

// Respond adds messages (normally one user message, optionally preceded by
// a system message) to the conversation and streams the model's answer
// exactly as Generate does. The answer becomes an assistant message of the
// conversation once the stream ends without an error; after an error the
// turn is forgotten and the caches are dropped.
func (s *Session) Respond(ctx context.Context, messages ...Message) iter.Seq2[Chunk, error] {
	return func(yield func(Chunk, error) bool) {
		if s.mc == nil || s.mc.Model == nil || s.mc.Tokenizer == nil || s.mc.Processor == nil {
			yield(Chunk{}, Errorf(KindGeneration, "session without a loaded model"))
			return
		}
		conversation := append(slices.Clone(s.messages), messages...)
		input, err := s.mc.Processor.Prepare(ctx, UserInput{Messages: conversation, Processing: s.Processing})
		if err != nil {
			yield(Chunk{}, err)
			return
		}
		defer input.Release()

		run := input
		keep := s.reusablePrefix(input.Tokens, hasMedia(messages))
		if keep > 0 {
			run = &LMInput{Tokens: input.Tokens[keep:]}
		} else {
			s.caches, s.cached = nil, nil
		}
		s.reused = keep
		if s.caches == nil {
			s.caches = s.mc.Model.NewCaches(s.Params.withDefaults())
		}

		var answer strings.Builder
		var generated []int32
		failed := false
		dec := s.mc.Tokenizer.NewStreamDecoder(true)
		runLoop(ctx, s.mc, dec, run, s.Params, s.caches, func(c Chunk, err error) bool {
			if err != nil {
				failed = true
				return yield(c, err)
			}
			answer.WriteString(c.Text)
			generated = append(generated, c.Tokens...)
			return yield(c, nil)
		})
		if failed || ctx.Err() != nil {
			s.caches, s.cached = nil, nil
			return
		}
		// The caches hold the prompt and every sampled token but the last,
		// which ended the loop without being run through the model.
		s.cached = append(slices.Clone(input.Tokens), generated...)
		if n := len(s.cached) - 1; n >= len(input.Tokens) && len(generated) > 0 {
			s.cached = s.cached[:n]
		}
		if !cachesAt(s.caches, len(s.cached)) {
			s.caches, s.cached = nil, nil
		}
		s.messages = append(conversation, Text(RoleAssistant, answer.String()))
	}
}

// runLoop is run with the model context's decoder settings.
func runLoop(ctx context.Context, mc *ModelContext, dec streamDecoder, input *LMInput, params GenerateParameters,
	caches []nn.Cache, yield func(Chunk, error) bool) {
	run(ctx, mc.Model, dec, mc.EOSTokenIDs, mc.WeightBytes, input, params, caches, yield)
}

// reusablePrefix trims the caches to the longest prefix of tokens they
// hold and returns its length, or 0 when the turn must start afresh. At
// least one token is always left to run, so the turn has logits to sample.
func (s *Session) reusablePrefix(tokens []int32, newMedia bool) int {
	if newMedia || s.caches == nil || len(s.cached) == 0 {
		return 0
	}
	n := 0
	for n < len(s.cached) && n < len(tokens)-1 && s.cached[n] == tokens[n] {
		n++
	}
	if n == 0 {
		return 0
	}
	drop := len(s.cached) - n
	for _, c := range s.caches {
		if c.Trim(drop) != drop {
			return 0
		}
	}
	s.cached = s.cached[:n]
	return n
}

// cachesAt reports whether every cache has processed exactly n positions.
func cachesAt(caches []nn.Cache, n int) bool {
	for _, c := range caches {
		if c.Offset() != n {
			return false
		}
	}
	return true
}

func hasMedia(messages []Message) bool {
	for _, m := range messages {
		for _, p := range m.Content {
			if p.Image != nil || p.Video != nil {
				return true
			}
		}
	}
	return false
}
