package gemma3

import (
	"context"
	"math"
	"strconv"

	"github.com/govlm/govlm/models/gemma"
	"github.com/govlm/govlm/models/internal/sanitize"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Layer is one Gemma 3 decoder block with sandwich norms:
//
//	x += post_attn_norm(attn(input_norm(x)))
//	x += post_ff_norm(mlp(pre_ff_norm(x)))
type Layer struct {
	InputNorm    *nn.RMSNorm   `nn:"input_layernorm"`
	Attn         *nn.Attention `nn:"self_attn"`
	PostAttnNorm *nn.RMSNorm   `nn:"post_attention_layernorm"`
	PreFFNorm    *nn.RMSNorm   `nn:"pre_feedforward_layernorm"`
	MLP          *nn.GatedMLP  `nn:"mlp"`
	PostFFNorm   *nn.RMSNorm   `nn:"post_feedforward_layernorm"`

	window int // sliding window, 0 for a global layer
}

// TextModel is the Gemma 3 decoder stack without the output head: "model"
// (Gemma3ForCausalLM) or "language_model.model" (the VLM).
type TextModel struct {
	Embed  *nn.Embedding `nn:"embed_tokens"`
	Layers []*Layer      `nn:"layers"`
	Norm   *nn.RMSNorm   `nn:"norm"`

	cfg           TextConfig
	local, global *nn.Rotary
}

// NewTextModel returns an unbound decoder stack shaped by c.
func NewTextModel(c *TextConfig) (*TextModel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	global, err := nn.NewRotary(c.GlobalRope(), false)
	if err != nil {
		return nil, &ConfigError{Field: "rope_scaling", Reason: err.Error()}
	}
	local, err := nn.NewRotary(c.LocalRope(), false)
	if err != nil {
		return nil, &ConfigError{Field: "rope_local_base_freq", Reason: err.Error()}
	}
	act, err := nn.ParseActivation(c.HiddenActivation)
	if err != nil {
		return nil, &ConfigError{Field: "hidden_activation", Reason: err.Error()}
	}
	m := &TextModel{
		Embed: nn.NewEmbedding(c.VocabSize, c.HiddenSize),
		Norm:  nn.NewGemmaRMSNorm(c.HiddenSize, c.RMSNormEps),
		cfg:   *c, local: local, global: global,
	}
	norm := func() *nn.RMSNorm { return nn.NewGemmaRMSNorm(c.HiddenSize, c.RMSNormEps) }
	windows := c.Windows()
	for i := range c.NumHiddenLayers {
		m.Layers = append(m.Layers, &Layer{
			InputNorm: norm(),
			Attn: nn.NewAttention(nn.AttentionConfig{
				Hidden: c.HiddenSize, Heads: c.NumAttentionHeads, KVHeads: c.NumKeyValueHeads, HeadDim: c.HeadDim,
				QKVBias: c.AttentionBias, OBias: c.AttentionBias,
				QKNorm: true, NormEps: c.RMSNormEps, GemmaNorm: true,
				Scale:   float32(1 / math.Sqrt(c.QueryPreAttnScalar)),
				Softcap: c.AttnLogitSoftcapping,
			}),
			PostAttnNorm: norm(),
			PreFFNorm:    norm(),
			MLP:          nn.NewGatedMLP(c.HiddenSize, c.IntermediateSize, act, false),
			PostFFNorm:   norm(),
			window:       windows[i],
		})
	}
	return m, nil
}

// Config returns the configuration the stack was built from.
func (m *TextModel) Config() TextConfig { return m.cfg }

// Embeddings returns the embedding rows of ids multiplied by √hidden (in
// the table's dtype, as Gemma3TextScaledWordEmbedding does), F32
// [len(ids), hidden]. An id outside the vocabulary is an *nn.IDError.
func (m *TextModel) Embeddings(ids []int32) (*tensor.Tensor, error) {
	if err := m.Embed.Check(ids); err != nil {
		return nil, err
	}
	h := m.Embed.Forward(ids)
	tensor.ScaleInPlace(h, gemma.EmbedScale(m.cfg.HiddenSize, m.Embed.Weight.DType()))
	return h, nil
}

// Forward runs the stack over the embeddings h [n, hidden] of the n
// positions after the caches' offset and returns the final-normed hidden
// states [n, hidden]; h is consumed. extra, when non-nil, makes more keys
// visible on top of each layer's causal (and sliding-window) rule: the
// bidirectional attention inside an image's soft tokens.
func (m *TextModel) Forward(h *tensor.Tensor, caches []nn.Cache, extra nn.MaskFunc) *tensor.Tensor {
	n := h.Dim(0)
	start := caches[0].Offset()
	lcos, lsin := m.local.Tables(start, n)
	gcos, gsin := m.global.Tables(start, n)
	defer func() {
		for _, t := range []*tensor.Tensor{lcos, lsin, gcos, gsin} {
			t.Release()
		}
	}()
	for i, l := range m.Layers {
		cos, sin := gcos, gsin
		var mask nn.MaskFunc
		if l.window > 0 {
			cos, sin = lcos, lsin
			if extra != nil {
				w := l.window
				mask = func(q, k int) bool { return (k <= q && q-k < w) || extra(q, k) }
			}
		} else if extra != nil {
			mask = func(q, k int) bool { return k <= q || extra(q, k) }
		}
		x := l.InputNorm.Forward(h)
		a := l.Attn.Forward(x, cos, sin, caches[i], mask)
		x.Release()
		y := l.PostAttnNorm.Forward(a)
		a.Release()
		tensor.AddInPlace(h, y)
		y.Release()
		x = l.PreFFNorm.Forward(h)
		f := l.MLP.Forward(x)
		x.Release()
		y = l.PostFFNorm.Forward(f)
		f.Release()
		tensor.AddInPlace(h, y)
		y.Release()
	}
	out := m.Norm.Forward(h)
	h.Release()
	return out
}

// NewCaches returns a sliding-window RotatingCache for every local layer
// and a growing (or MaxKVSize-bounded) cache for every global one.
func (m *TextModel) NewCaches(params vlm.GenerateParameters) []nn.Cache {
	return vlm.LayerCaches(m.cfg.Windows(), params)
}

// KVHeads returns the key/value head count of every layer.
func (m *TextModel) KVHeads() []int {
	out := make([]int, len(m.Layers))
	for i := range out {
		out[i] = m.cfg.NumKeyValueHeads
	}
	return out
}

// LoRATargets lists the attention and MLP projections under prefix.
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

// logits applies the head and the final soft-capping to hidden states.
func logits(head *nn.Linear, h *tensor.Tensor, softcap float32) *tensor.Tensor {
	out := head.Forward(h)
	if softcap > 0 {
		tensor.SoftcapInPlace(out, softcap)
	}
	return out
}

// TextOnlyModel is Gemma3ForCausalLM (model_type "gemma3_text", e.g.
// gemma-3-1b-it): the stack under "model." and the head, tied to the
// embedding table unless the checkpoint has lm_head.
type TextOnlyModel struct {
	Text *TextModel `nn:"model"`
	Head *nn.Linear `nn:"lm_head,alt:model.embed_tokens"`
}

var (
	_ vlm.LanguageModel = (*TextOnlyModel)(nil)
	_ vlm.LoRAModel     = (*TextOnlyModel)(nil)
)

// NewTextOnly returns an unbound Gemma3ForCausalLM for c.
func NewTextOnly(c *TextConfig) (*TextOnlyModel, error) {
	text, err := NewTextModel(c)
	if err != nil {
		return nil, err
	}
	return &TextOnlyModel{Text: text, Head: nn.NewLinear(c.HiddenSize, c.VocabSize, false)}, nil
}

// Prepare implements vlm.LanguageModel: a chunked prefill of every prompt
// token but the last, which it returns for the first Forward.
func (m *TextOnlyModel) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	if len(input.Tokens) == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	rest, err := vlm.PrefillChunks(ctx, input.Tokens, step, func(chunk []int32) error {
		h, err := m.Text.Embeddings(chunk)
		if err != nil {
			return vlm.Errorf(vlm.KindGeneration, "prefill: %w", err)
		}
		m.Text.Forward(h, caches, nil).Release()
		return nil
	})
	return vlm.PrepareResult{Tokens: rest}, err
}

// Forward implements vlm.LanguageModel: logits F32 [len(tokens), vocab],
// soft-capped when the config says so.
func (m *TextOnlyModel) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	out := m.Text.Forward(h, caches, nil)
	defer out.Release()
	return logits(m.Head, out, m.Text.cfg.FinalLogitSoftcapping), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *TextOnlyModel) NewCaches(params vlm.GenerateParameters) []nn.Cache {
	return m.Text.NewCaches(params)
}

// KVHeads implements vlm.LanguageModel.
func (m *TextOnlyModel) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel.
func (m *TextOnlyModel) LoRATargets() []vlm.LoRATarget { return m.Text.LoRATargets("model.") }

// Sanitize implements vlm.LanguageModel. transformers and mlx-lm name a
// Gemma3ForCausalLM "model.…" (lm_head usually absent: tied); a checkpoint
// of the VLM's language model ("language_model.model.…") is accepted too.
func (m *TextOnlyModel) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	w = sanitize.DropRotaryBuffers(w)
	if !vlm.HasPrefix(w, "model.") {
		w = vlm.ReplacePrefix(w, "language_model.model.", "model.")
		w = vlm.ReplacePrefix(w, "language_model.lm_head.", "lm_head.")
	}
	return w, nil
}
