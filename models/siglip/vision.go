package siglip

import (
	"fmt"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// Embeddings turns one image [C, S, S] into patch tokens plus learned
// position embeddings.
type Embeddings struct {
	Patch    *nn.Conv2D    `nn:"patch_embedding"`
	Position *nn.Embedding `nn:"position_embedding"`
}

// Attention is the tower's bidirectional multi-head attention with biased
// q/k/v/out projections.
type Attention struct {
	Q     *nn.Linear `nn:"q_proj"`
	K     *nn.Linear `nn:"k_proj"`
	V     *nn.Linear `nn:"v_proj"`
	Out   *nn.Linear `nn:"out_proj"`
	heads int
}

// Forward maps x [n, D] to [n, D], every token attending to every other.
func (a *Attention) Forward(x *tensor.Tensor) *tensor.Tensor {
	n := x.Dim(0)
	q := a.Q.Forward(x)
	k := a.K.Forward(x)
	v := a.V.Forward(x)
	d := q.Dim(-1) / a.heads
	o := tensor.Attention(q.Reshape(n, a.heads, d), k.Reshape(n, a.heads, d), v.Reshape(n, a.heads, d), tensor.AttentionOptions{})
	q.Release()
	k.Release()
	v.Release()
	y := a.Out.Forward(o.Reshape(n, a.heads*d))
	o.Release()
	return y
}

// EncoderLayer is one pre-norm transformer block.
type EncoderLayer struct {
	Norm1 *nn.LayerNorm `nn:"layer_norm1"`
	Attn  *Attention    `nn:"self_attn"`
	Norm2 *nn.LayerNorm `nn:"layer_norm2"`
	MLP   *nn.MLP       `nn:"mlp"`
}

// Forward updates h [n, D] in place: h += attn(norm1(h)); h += mlp(norm2(h)).
func (l *EncoderLayer) Forward(h *tensor.Tensor) {
	x := l.Norm1.Forward(h)
	a := l.Attn.Forward(x)
	x.Release()
	tensor.AddInPlace(h, a)
	a.Release()
	x = l.Norm2.Forward(h)
	f := l.MLP.Forward(x)
	x.Release()
	tensor.AddInPlace(h, f)
	f.Release()
}

// Encoder is the stack of encoder layers.
type Encoder struct {
	Layers []*EncoderLayer `nn:"layers"`
}

// VisionModel is SigLIP's vision transformer without the pooling head
// (SiglipVisionTransformer's embeddings, encoder and post_layernorm).
type VisionModel struct {
	Embeddings *Embeddings   `nn:"embeddings"`
	Encoder    *Encoder      `nn:"encoder"`
	PostNorm   *nn.LayerNorm `nn:"post_layernorm"`

	cfg Config
}

// New returns an unbound tower shaped by c.
func New(c Config) (*VisionModel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	act, err := nn.ParseActivation(c.HiddenAct)
	if err != nil {
		return nil, &ConfigError{Field: "hidden_act", Reason: err.Error()}
	}
	m := &VisionModel{
		Embeddings: &Embeddings{
			Patch:    nn.NewConv2D(c.NumChannels, c.HiddenSize, c.PatchSize, c.PatchSize, c.PatchSize, 0, true),
			Position: nn.NewEmbedding(c.NumPatches(), c.HiddenSize),
		},
		Encoder:  &Encoder{},
		PostNorm: nn.NewLayerNorm(c.HiddenSize, c.LayerNormEps),
		cfg:      c,
	}
	for range c.NumHiddenLayers {
		m.Encoder.Layers = append(m.Encoder.Layers, &EncoderLayer{
			Norm1: nn.NewLayerNorm(c.HiddenSize, c.LayerNormEps),
			Attn: &Attention{
				Q:     nn.NewLinear(c.HiddenSize, c.HiddenSize, true),
				K:     nn.NewLinear(c.HiddenSize, c.HiddenSize, true),
				V:     nn.NewLinear(c.HiddenSize, c.HiddenSize, true),
				Out:   nn.NewLinear(c.HiddenSize, c.HiddenSize, true),
				heads: c.NumAttentionHeads,
			},
			Norm2: nn.NewLayerNorm(c.HiddenSize, c.LayerNormEps),
			MLP:   nn.NewMLP(c.HiddenSize, c.IntermediateSize, act),
		})
	}
	return m, nil
}

// Config returns the configuration the tower was built from.
func (m *VisionModel) Config() Config { return m.cfg }

// Forward encodes one image x [C, S, S] (S = image_size) into patch
// features [(S/patch)², D], patches row-major.
func (m *VisionModel) Forward(x *tensor.Tensor) (*tensor.Tensor, error) {
	c := m.cfg
	if x.Rank() != 3 || x.Dim(0) != c.NumChannels || x.Dim(1) != c.ImageSize || x.Dim(2) != c.ImageSize {
		return nil, fmt.Errorf("siglip: image of shape %v, want [%d %d %d]", x.Shape(), c.NumChannels, c.ImageSize, c.ImageSize)
	}
	e := m.Embeddings
	h := tensor.Conv2DTokens(x, e.Patch.Weight, e.Patch.Bias, c.PatchSize, c.PatchSize, 0, 0)
	ids := make([]int32, h.Dim(0))
	for i := range ids {
		ids[i] = int32(i)
	}
	pos := e.Position.Forward(ids)
	tensor.AddInPlace(h, pos)
	pos.Release()
	for _, l := range m.Encoder.Layers {
		l.Forward(h)
	}
	out := m.PostNorm.Forward(h)
	h.Release()
	return out, nil
}

// ForwardBatch encodes pixels [n, C, S, S] image after image and returns
// the features [n, (S/patch)², D].
func (m *VisionModel) ForwardBatch(pixels *tensor.Tensor) (*tensor.Tensor, error) {
	c := m.cfg
	if pixels.Rank() != 4 {
		return nil, fmt.Errorf("siglip: pixel values of shape %v, want [images %d %d %d]", pixels.Shape(), c.NumChannels, c.ImageSize, c.ImageSize)
	}
	n := pixels.Dim(0)
	p := c.NumPatches()
	out := tensor.New(n, p, c.HiddenSize)
	for i := range n {
		img := pixels.Slice(0, i, i+1).Reshape(pixels.Dim(1), pixels.Dim(2), pixels.Dim(3))
		f, err := m.Forward(img)
		if err != nil {
			out.Release()
			return nil, fmt.Errorf("image %d: %w", i, err)
		}
		copy(out.Data()[i*p*c.HiddenSize:], f.Data())
		f.Release()
	}
	return out, nil
}
