package idefics3

import (
	"fmt"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// VisionEmbeddings turns one tile [C, S, S] into patch tokens plus learned
// position embeddings.
type VisionEmbeddings struct {
	Patch    *nn.Conv2D    `nn:"patch_embedding"`
	Position *nn.Embedding `nn:"position_embedding"`
}

// VisionAttention is the tower's bidirectional multi-head attention with
// biased q/k/v/out projections.
type VisionAttention struct {
	Q   *nn.Linear `nn:"q_proj"`
	K   *nn.Linear `nn:"k_proj"`
	V   *nn.Linear `nn:"v_proj"`
	Out *nn.Linear `nn:"out_proj"`

	heads int
}

// Forward maps x [n, D] to [n, D], every token attending to every other.
func (a *VisionAttention) Forward(x *tensor.Tensor) *tensor.Tensor {
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

// EncoderLayer is one pre-norm transformer block of the tower.
type EncoderLayer struct {
	Norm1 *nn.LayerNorm    `nn:"layer_norm1"`
	Attn  *VisionAttention `nn:"self_attn"`
	Norm2 *nn.LayerNorm    `nn:"layer_norm2"`
	MLP   *nn.MLP          `nn:"mlp"`
}

// Forward updates h [n, D] in place.
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

// VisionModel is the SigLIP tower of Idefics3 ("model.vision_model").
type VisionModel struct {
	Embeddings *VisionEmbeddings `nn:"embeddings"`
	Encoder    *Encoder          `nn:"encoder"`
	PostNorm   *nn.LayerNorm     `nn:"post_layernorm"`

	cfg VisionConfig
}

// NewVisionModel returns an unbound tower shaped by c.
func NewVisionModel(c VisionConfig) (*VisionModel, error) {
	act, err := nn.ParseActivation(c.HiddenAct)
	if err != nil {
		return nil, &ConfigError{Field: "vision_config.hidden_act", Reason: err.Error()}
	}
	side := c.ImageSize / c.PatchSize
	m := &VisionModel{
		Embeddings: &VisionEmbeddings{
			Patch:    nn.NewConv2D(c.NumChannels, c.HiddenSize, c.PatchSize, c.PatchSize, c.PatchSize, 0, true),
			Position: nn.NewEmbedding(side*side, c.HiddenSize),
		},
		Encoder:  &Encoder{},
		PostNorm: nn.NewLayerNorm(c.HiddenSize, c.LayerNormEps),
		cfg:      c,
	}
	for range c.NumHiddenLayers {
		m.Encoder.Layers = append(m.Encoder.Layers, &EncoderLayer{
			Norm1: nn.NewLayerNorm(c.HiddenSize, c.LayerNormEps),
			Attn: &VisionAttention{
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

// Forward encodes one full tile x [C, S, S] (S = image_size) into patch
// features [(S/patch)², D]. Tiles are always complete (the processor
// resizes and splits images into whole tiles), so every patch is real and
// position ids run 0…n−1, as transformers computes them for an unpadded
// tile.
func (m *VisionModel) Forward(x *tensor.Tensor) (*tensor.Tensor, error) {
	c := m.cfg
	if x.Rank() != 3 || x.Dim(0) != c.NumChannels || x.Dim(1) != c.ImageSize || x.Dim(2) != c.ImageSize {
		return nil, fmt.Errorf("idefics3: tile of shape %v, want [%d %d %d]", x.Shape(), c.NumChannels, c.ImageSize, c.ImageSize)
	}
	e := m.Embeddings
	h := tensor.Conv2DTokens(x, e.Patch.Weight, e.Patch.Bias, c.PatchSize, c.PatchSize, 0, 0)
	n := h.Dim(0)
	ids := make([]int32, n)
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

// Projection is the connector's projection, a Linear without bias.
type Projection struct {
	Proj *nn.Linear `nn:"proj"`
}

// Connector pixel-shuffles the tower's patch features and projects them to
// the text width ("model.connector").
type Connector struct {
	Projection *Projection `nn:"modality_projection"`

	scale int
}

// NewConnector returns an unbound connector for c.
func NewConnector(c *Config) *Connector {
	in := c.Vision.HiddenSize * c.ScaleFactor * c.ScaleFactor
	return &Connector{Projection: &Projection{Proj: nn.NewLinear(in, c.Text.HiddenSize, false)}, scale: c.ScaleFactor}
}

// Forward maps patch features [side², D] to image tokens
// [(side/scale)², textHidden].
func (c *Connector) Forward(x *tensor.Tensor) *tensor.Tensor {
	s := tensor.PixelShuffle(x, c.scale)
	out := c.Projection.Proj.Forward(s)
	s.Release()
	return out
}
