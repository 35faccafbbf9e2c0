package vlm

import (
	"context"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// LanguageModel is a loaded text decoder (with or without a vision side).
// Models are not safe for concurrent use: a request may keep state (such as
// Qwen2-VL's rope deltas) between Prepare and the last Forward.
type LanguageModel interface {
	// Prepare runs the prompt of input into caches: the vision tower,
	// projector and merge of media features into the text embeddings
	// happen here, then a prefill in chunks of at most prefillStepSize
	// tokens. It returns either the logits of the last prompt position
	// (computing the output head for that row only) or the few prompt
	// tokens still to be run through Forward, normally just the last one
	// (see PrefillChunks).
	//
	// When the caches already hold a prefix (a Session's follow-up turn),
	// input holds only the tokens that follow it and no media: the model
	// runs them at the caches' offset, positioned after the cached ones.
	Prepare(ctx context.Context, input *LMInput, caches []nn.Cache, prefillStepSize int) (PrepareResult, error)
	// Forward runs tokens at the caches' offset and returns logits F32
	// [len(tokens), vocab]; the caller releases them. An error means bad
	// input (an id outside the vocabulary) or a failed model.
	Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error)
	// NewCaches returns one cache per attention layer, honouring
	// params.MaxKVSize (and sliding-window layers of the architecture).
	NewCaches(params GenerateParameters) []nn.Cache
	// Sanitize maps checkpoint tensor names (Hugging Face or mlx-community
	// layout) to the model's module names and drops tensors the model does
	// not use (e.g. rotary inv_freq buffers). It runs after quantized
	// tensors are combined and before binding.
	Sanitize(weights map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error)
	// KVHeads returns the number of key/value heads of each layer.
	KVHeads() []int
}

// PrepareResult is the outcome of LanguageModel.Prepare: exactly one of
// Logits and Tokens is set.
type PrepareResult struct {
	// Logits are the logits of the last prompt position, F32 [1, vocab] or
	// [vocab].
	Logits *tensor.Tensor
	// Tokens are prompt tokens still to be run through Forward.
	Tokens []int32
}

// MediaSupport says which media a VLMModel accepts. A limit of 0 means the
// kind is not accepted, a negative one means no limit.
type MediaSupport struct {
	MaxImages, MaxVideos int
	// Mixed allows images and videos in one request.
	Mixed bool
}

// VLMModel is a LanguageModel with a vision side. The vision tower, the
// projector and the merge of image features into the text embeddings happen
// inside Prepare.
type VLMModel interface {
	LanguageModel
	// MediaSupport reports which media the model accepts.
	MediaSupport() MediaSupport
}

// LoRATarget is one linear layer a LoRA adapter may wrap.
type LoRATarget struct {
	// Name is the module path ("model.layers.0.self_attn.q_proj").
	Name   string
	Linear *nn.Linear
}

// LoRAModel is implemented by models that name the linear layers LoRA
// adapters apply to (found by type assertion; govlm itself does not train).
type LoRAModel interface {
	LoRATargets() []LoRATarget
}

// UserInputProcessor turns a UserInput into an LMInput: chat template,
// tokenization, media loading and preprocessing, placeholder expansion.
type UserInputProcessor interface {
	Prepare(ctx context.Context, input UserInput) (*LMInput, error)
}

// PrefillChunks runs every prompt token but the last through run, in
// chunks of at most step tokens (step ≤ 0 means DefaultPrefillStepSize),
// and returns the last token for the generation loop's first Forward: the
// chunked prefill of text-only prompts. Leaving a single token means the
// loop computes logits for one row only, not for a whole chunk (for a
// 150k-token vocabulary a 512-row chunk would need 300 MB of logits). It
// stops early with the context's error when ctx is done.
func PrefillChunks(ctx context.Context, tokens []int32, step int, run func(chunk []int32) error) ([]int32, error) {
	if step <= 0 {
		step = DefaultPrefillStepSize
	}
	for len(tokens) > 1 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := min(step, len(tokens)-1)
		if err := run(tokens[:n]); err != nil {
			return nil, err
		}
		tokens = tokens[n:]
	}
	return tokens, nil
}

// DefaultCaches returns layers caches following params: rotating caches
// keeping the first 4 positions when MaxKVSize is set (mlx-lm's
// --max-kv-size), growing caches otherwise. Models without sliding-window
// layers can implement NewCaches with it.
func DefaultCaches(layers int, params GenerateParameters) []nn.Cache {
	return LayerCaches(make([]int, layers), params)
}

// LayerCaches returns one cache per layer: a sliding-window RotatingCache
// of windows[i] positions where windows[i] > 0 (Gemma 3's local layers),
// and a DefaultCaches cache elsewhere.
func LayerCaches(windows []int, params GenerateParameters) []nn.Cache {
	caches := make([]nn.Cache, len(windows))
	for i, w := range windows {
		if w > 0 {
			if c, err := nn.NewRotatingCache(w); err == nil {
				caches[i] = c
				continue
			}
		}
		if params.MaxKVSize > maxKVKeep {
			if c, err := nn.NewMaxKVCache(params.MaxKVSize, maxKVKeep); err == nil {
				caches[i] = c
				continue
			}
		}
		caches[i] = nn.NewKVCache()
	}
	return caches
}

const maxKVKeep = 4
