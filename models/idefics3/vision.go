package idefics3

import (
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

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
