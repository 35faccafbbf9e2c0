package qwen2

import (
	"github.com/govlm/govlm/models/llama"
)

// Qwen2's decoder is the Llama stack (same module names, pre-norm RMSNorm
// blocks, grouped-query attention, SwiGLU MLP) with biases on the query,
// key and value projections only and optional sliding-window layers, so it
// is built as a variant of models/llama rather than a copy of it.

// TextModel is the decoder stack without the output head: the module a
// checkpoint names "model" (Qwen2, Qwen2-VL in the hub layout). Qwen2-VL
// drives it with its multimodal rotary tables through ForwardWithTables.
type TextModel = llama.TextModel

// Model is the Qwen2 causal language model (Qwen2ForCausalLM): the decoder
// stack under "model." and the output head "lm_head", which falls back to
// the embedding table when the checkpoint ties them.
type Model = llama.Model

// NewTextModel returns an unbound decoder stack shaped by c (validated).
func NewTextModel(c *Config) (*TextModel, error) {
	lc, v, err := c.stack()
	if err != nil {
		return nil, err
	}
	return llama.NewTextModelVariant(lc, v)
}

// New returns an unbound Model for c.
func New(c *Config) (*Model, error) {
	lc, v, err := c.stack()
	if err != nil {
		return nil, err
	}
	return llama.NewVariant(lc, v)
}

// stack validates c and returns it as the Llama stack's configuration and
// Qwen2's variant of it.
func (c *Config) stack() (*llama.Config, llama.Variant, error) {
	if err := c.Validate(); err != nil {
		return nil, llama.Variant{}, err
	}
	lc := &llama.Config{
		ModelType: c.ModelType, VocabSize: c.VocabSize, HiddenSize: c.HiddenSize,
		IntermediateSize: c.IntermediateSize, NumHiddenLayers: c.NumHiddenLayers,
		NumAttentionHeads: c.NumAttentionHeads, NumKeyValueHeads: c.NumKeyValueHeads, HeadDim: c.HeadDim,
		HiddenAct: c.HiddenAct, MaxPositionEmbeddings: c.MaxPositionEmbeddings, RMSNormEps: c.RMSNormEps,
		RopeTheta: c.RopeTheta, TieWordEmbeddings: c.TieWordEmbeddings,
		RopeScaling: c.RopeScaling, RopeParameters: c.RopeParameters,
	}
	return lc, llama.Variant{QKVBias: true, Windows: c.LayerWindows()}, nil
}
