package gemma3

import (
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

// Projector is Gemma3MultiModalProjector: the tower's patch grid is
// average-pooled to √mm_tokens_per_image tokens per side, normalised with a
// (1 + w) RMSNorm and projected to the text width. The checkpoint stores
// the projection as a bare [vision, text] matrix
// (mm_input_projection_weight); Sanitize turns it into a Linear's
// [text, vision] weight.
type Projector struct {
	Norm *nn.RMSNorm `nn:"mm_soft_emb_norm"`
	Proj *nn.Linear  `nn:"mm_input_projection"`

	side, tokensSide int
}

// NewProjector returns an unbound projector for c.
func NewProjector(c *Config) *Projector {
	return &Projector{
		Norm:       nn.NewGemmaRMSNorm(c.Vision.HiddenSize, c.Vision.LayerNormEps),
		Proj:       nn.NewLinear(c.Vision.HiddenSize, c.Text.HiddenSize, false),
		side:       c.Vision.PatchesPerSide(),
		tokensSide: tokensPerSide(c.MMTokensPerImage),
	}
}

// Forward maps one image's patch features [side², D] (row-major) to its
// soft tokens [mm_tokens_per_image, textHidden].
func (p *Projector) Forward(x *tensor.Tensor) *tensor.Tensor {
	d := x.Dim(1)
	grid := tensor.Transpose(x, 1, 0) // [D, side²]
	k := p.side / p.tokensSide
	pooled := tensor.AvgPool2D(grid.Reshape(d, p.side, p.side), k, k) // [D, t, t]
	grid.Release()
	t2 := p.tokensSide * p.tokensSide
	tokens := tensor.Transpose(pooled.Reshape(d, t2), 1, 0) // [t², D]
	pooled.Release()
	normed := p.Norm.Forward(tokens)
	tokens.Release()
	out := p.Proj.Forward(normed)
	normed.Release()
	return out
}
