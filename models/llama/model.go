package llama

import (
	"context"
	"fmt"
	"strconv"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Layer is one decoder block: x += attn(norm(x)); x += mlp(norm(x)).
type Layer struct {
	InputNorm *nn.RMSNorm   `nn:"input_layernorm"`
	Attn      *nn.Attention `nn:"self_attn"`
	PostNorm  *nn.RMSNorm   `nn:"post_attention_layernorm"`
	MLP       *nn.GatedMLP  `nn:"mlp"`
}

// TextModel is the decoder stack without the output head: the module a
// checkpoint names "model" (text-only) or "model.text_model" (Idefics3).
type TextModel struct {
	Embed  *nn.Embedding `nn:"embed_tokens"`
	Layers []*Layer      `nn:"layers"`
	Norm   *nn.RMSNorm   `nn:"norm"`

	cfg     Config
	rot     *nn.Rotary
	windows []int // sliding window per layer (0: full attention)
}

// Variant holds what the architectures built on the Llama stack change:
// Llama ties the q/k/v and output biases to attention_bias, Qwen2 has
// q/k/v biases only and optional sliding-window layers.
type Variant struct {
	QKVBias, OBias, MLPBias bool
	// Windows is the sliding window of each layer (nil or 0: full).
	Windows []int
}

// NewTextModel returns an unbound Llama decoder stack shaped by c
// (validated).
func NewTextModel(c *Config) (*TextModel, error) {
	return NewTextModelVariant(c, Variant{QKVBias: c.AttentionBias, OBias: c.AttentionBias, MLPBias: c.MLPBias})
}

// NewTextModelVariant returns an unbound decoder stack shaped by c with the
// biases and windows of v.
func NewTextModelVariant(c *Config, v Variant) (*TextModel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if v.Windows != nil && len(v.Windows) != c.NumHiddenLayers {
		return nil, &ConfigError{Field: "sliding_window", Reason: fmt.Sprintf("%d windows for %d layers", len(v.Windows), c.NumHiddenLayers)}
	}
	rot, err := nn.NewRotary(c.RopeParams(), false)
	if err != nil {
		return nil, &ConfigError{Field: "rope_scaling", Reason: err.Error()}
	}
	act, err := nn.ParseActivation(c.HiddenAct)
	if err != nil {
		return nil, &ConfigError{Field: "hidden_act", Reason: err.Error()}
	}
	m := &TextModel{
		Embed:   nn.NewEmbedding(c.VocabSize, c.HiddenSize),
		Norm:    nn.NewRMSNorm(c.HiddenSize, c.RMSNormEps),
		cfg:     *c,
		rot:     rot,
		windows: v.Windows,
	}
	for range c.NumHiddenLayers {
		m.Layers = append(m.Layers, &Layer{
			InputNorm: nn.NewRMSNorm(c.HiddenSize, c.RMSNormEps),
			Attn: nn.NewAttention(nn.AttentionConfig{
				Hidden: c.HiddenSize, Heads: c.NumAttentionHeads, KVHeads: c.NumKeyValueHeads, HeadDim: c.HeadDim,
				QKVBias: v.QKVBias, OBias: v.OBias,
			}),
			PostNorm: nn.NewRMSNorm(c.HiddenSize, c.RMSNormEps),
			MLP:      nn.NewGatedMLP(c.HiddenSize, c.IntermediateSize, act, v.MLPBias),
		})
	}
	return m, nil
}

// Config returns the configuration the stack was built from.
func (m *TextModel) Config() Config { return m.cfg }

// Rotary returns the rotary embedding of the stack (its inverse
// frequencies feed Qwen2-VL's multimodal tables).
func (m *TextModel) Rotary() *nn.Rotary { return m.rot }

// Embeddings returns the embedding rows of ids, F32 [len(ids), hidden]. An
// id outside the vocabulary is an *nn.IDError.
func (m *TextModel) Embeddings(ids []int32) (*tensor.Tensor, error) {
	if err := m.Embed.Check(ids); err != nil {
		return nil, err
	}
	return m.Embed.Forward(ids), nil
}

// Forward runs the decoder stack over the embeddings h [n, hidden] of the
// n positions that follow the caches' offset, updating the caches, and
// returns the final-normed hidden states [n, hidden]. h is consumed
// (updated in place and released).
func (m *TextModel) Forward(h *tensor.Tensor, caches []nn.Cache) *tensor.Tensor {
	cos, sin := m.rot.Tables(caches[0].Offset(), h.Dim(0))
	defer cos.Release()
	defer sin.Release()
	return m.ForwardWithTables(h, cos, sin, caches)
}

// ForwardWithTables is Forward with the rotary tables cos, sin
// [n, headDim] given by the caller (Qwen2-VL's multimodal positions).
func (m *TextModel) ForwardWithTables(h, cos, sin *tensor.Tensor, caches []nn.Cache) *tensor.Tensor {
	for i, l := range m.Layers {
		x := l.InputNorm.Forward(h)
		a := l.Attn.Forward(x, cos, sin, caches[i], nil)
		x.Release()
		tensor.AddInPlace(h, a)
		a.Release()
		x = l.PostNorm.Forward(h)
		f := l.MLP.Forward(x)
		x.Release()
		tensor.AddInPlace(h, f)
		f.Release()
	}
	out := m.Norm.Forward(h)
	h.Release()
	return out
}

// KVHeads returns the key/value head count of every layer.
func (m *TextModel) KVHeads() []int {
	out := make([]int, len(m.Layers))
	for i := range out {
		out[i] = m.cfg.NumKeyValueHeads
	}
	return out
}

// NewCaches returns one cache per layer following params (rotating caches
// for sliding-window layers).
func (m *TextModel) NewCaches(params vlm.GenerateParameters) []nn.Cache {
	if m.windows != nil {
		return vlm.LayerCaches(m.windows, params)
	}
	return vlm.DefaultCaches(len(m.Layers), params)
}

// LoRATargets lists the attention and MLP projections of every layer under
// prefix (e.g. "model.").
func (m *TextModel) LoRATargets(prefix string) []vlm.LoRATarget {
	var out []vlm.LoRATarget
	for i, l := range m.Layers {
		p := prefix + "layers." + strconv.Itoa(i) + "."
		out = append(out,
			vlm.LoRATarget{Name: p + "self_attn.q_proj", Linear: l.Attn.Q},
			vlm.LoRATarget{Name: p + "self_attn.k_proj", Linear: l.Attn.K},
			vlm.LoRATarget{Name: p + "self_attn.v_proj", Linear: l.Attn.V},
			vlm.LoRATarget{Name: p + "self_attn.o_proj", Linear: l.Attn.O},
			vlm.LoRATarget{Name: p + "mlp.gate_proj", Linear: l.MLP.Gate},
			vlm.LoRATarget{Name: p + "mlp.up_proj", Linear: l.MLP.Up},
			vlm.LoRATarget{Name: p + "mlp.down_proj", Linear: l.MLP.Down},
		)
	}
	return out
}

// Model is the Llama causal language model (LlamaForCausalLM): the decoder
// stack under "model." and the output head "lm_head", which falls back to
// the embedding table when the checkpoint ties them.
type Model struct {
	Text *TextModel `nn:"model"`
	Head *nn.Linear `nn:"lm_head,alt:model.embed_tokens"`
}

var (
	_ vlm.LanguageModel = (*Model)(nil)
	_ vlm.LoRAModel     = (*Model)(nil)
)

// New returns an unbound Model for c.
func New(c *Config) (*Model, error) {
	return NewVariant(c, Variant{QKVBias: c.AttentionBias, OBias: c.AttentionBias, MLPBias: c.MLPBias})
}

// NewVariant returns an unbound Model for c with the biases and windows of v.
func NewVariant(c *Config, v Variant) (*Model, error) {
	text, err := NewTextModelVariant(c, v)
	if err != nil {
		return nil, err
	}
	return &Model{Text: text, Head: nn.NewLinear(c.HiddenSize, c.VocabSize, false)}, nil
}

// Prepare implements vlm.LanguageModel: a chunked prefill of every prompt
// token but the last, which it returns for the first Forward.
func (m *Model) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	if len(input.Tokens) == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	rest, err := vlm.PrefillChunks(ctx, input.Tokens, step, func(chunk []int32) error {
		h, err := m.Text.Embeddings(chunk)
		if err != nil {
			return vlm.Errorf(vlm.KindGeneration, "prefill: %w", err)
		}
		m.Text.Forward(h, caches).Release()
		return nil
	})
	return vlm.PrepareResult{Tokens: rest}, err
}

// Forward implements vlm.LanguageModel: logits F32 [len(tokens), vocab].
func (m *Model) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	out := m.Text.Forward(h, caches)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *Model) NewCaches(params vlm.GenerateParameters) []nn.Cache { return m.Text.NewCaches(params) }

// KVHeads implements vlm.LanguageModel.
func (m *Model) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel.
func (m *Model) LoRATargets() []vlm.LoRATarget { return m.Text.LoRATargets("model.") }
