package vlm

import "github.com/govlm/govlm/nn"

// Defaults of GenerateParameters' zero values.
const (
	DefaultMaxTokens             = 256
	DefaultPrefillStepSize       = 512
	DefaultRepetitionContextSize = 20
	DefaultKVGroupSize           = 64
)

// GenerateParameters controls one generation. The zero value is greedy
// decoding of at most DefaultMaxTokens tokens.
type GenerateParameters struct {
	// MaxTokens caps the number of generated tokens (0: DefaultMaxTokens;
	// negative is a KindGeneration error).
	MaxTokens int
	// Temperature 0 is greedy (arg-max) decoding.
	Temperature float32
	// TopP (nucleus), MinP and TopK filter the candidates at a positive
	// temperature; 0 disables each.
	TopP float32
	MinP float32
	TopK int
	// RepetitionPenalty divides positive and multiplies negative logits of
	// tokens seen in the last RepetitionContextSize tokens (0 or 1: off).
	RepetitionPenalty     float32
	RepetitionContextSize int
	// PresencePenalty is subtracted once from every token seen in that
	// context, FrequencyPenalty once per occurrence.
	PresencePenalty  float32
	FrequencyPenalty float32
	// Seed seeds the sampler: the same seed, input and weights give the
	// same tokens. 0 is a seed like any other; callers that want varied
	// output draw a random one.
	Seed uint64
	// PrefillStepSize is the prompt chunk size (0: DefaultPrefillStepSize).
	PrefillStepSize int
	// MaxKVSize bounds each layer's cache (0: unbounded).
	MaxKVSize int
	// KVBits (4 or 8) quantizes the caches once they hold more than
	// QuantizedKVStart positions, in groups of KVGroupSize
	// (0: DefaultKVGroupSize).
	KVBits           int
	KVGroupSize      int
	QuantizedKVStart int
	// StopStrings end generation when the text contains one of them; the
	// stop string and what follows are not yielded.
	StopStrings []string
}

func (p GenerateParameters) withDefaults() GenerateParameters {
	if p.MaxTokens <= 0 {
		p.MaxTokens = DefaultMaxTokens
	}
	if p.PrefillStepSize <= 0 {
		p.PrefillStepSize = DefaultPrefillStepSize
	}
	if p.RepetitionContextSize <= 0 {
		p.RepetitionContextSize = DefaultRepetitionContextSize
	}
	if p.KVGroupSize <= 0 {
		p.KVGroupSize = DefaultKVGroupSize
	}
	return p
}

func (p GenerateParameters) validate() error {
	if p.MaxTokens < 0 {
		return Errorf(KindGeneration, "MaxTokens %d must be ≥ 0 (0: the default %d)", p.MaxTokens, DefaultMaxTokens)
	}
	if p.KVBits != 0 && p.KVBits != 4 && p.KVBits != 8 {
		return Errorf(KindGeneration, "KV cache bits %d unsupported (4 or 8)", p.KVBits)
	}
	if p.KVBits != 0 {
		// The group size is checked now, not when the cache first
		// quantizes, mid-generation.
		group := p.KVGroupSize
		if group <= 0 {
			group = DefaultKVGroupSize
		}
		if _, err := nn.NewQuantizedCache(p.KVBits, group); err != nil {
			return Errorf(KindGeneration, "KVGroupSize: %w", err)
		}
	}
	if p.MaxKVSize < 0 || p.QuantizedKVStart < 0 {
		return Errorf(KindGeneration, "negative MaxKVSize or QuantizedKVStart")
	}
	return nil
}
