package siglip

import (
	"fmt"

	"github.com/govlm/govlm/nn"
)

// Config is a SigLIP vision_config with the defaults of transformers'
// SiglipVisionConfig for absent fields.
type Config struct {
	HiddenSize        int     `json:"hidden_size"`
	IntermediateSize  int     `json:"intermediate_size"`
	NumHiddenLayers   int     `json:"num_hidden_layers"`
	NumAttentionHeads int     `json:"num_attention_heads"`
	NumChannels       int     `json:"num_channels"`
	ImageSize         int     `json:"image_size"`
	PatchSize         int     `json:"patch_size"`
	LayerNormEps      float32 `json:"layer_norm_eps"`
	HiddenAct         string  `json:"hidden_act"`
	// ProjectionDim is PaliGemma's projector width (unused by the tower).
	ProjectionDim int `json:"projection_dim"`
}

// DefaultConfig returns SiglipVisionConfig's defaults.
func DefaultConfig() Config {
	return Config{
		HiddenSize: 768, IntermediateSize: 3072, NumHiddenLayers: 12, NumAttentionHeads: 12, NumChannels: 3,
		ImageSize: 224, PatchSize: 16, LayerNormEps: 1e-6, HiddenAct: "gelu_pytorch_tanh",
	}
}

// ConfigError reports a vision_config field that is missing or out of
// range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error names the field and the problem.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("siglip config: vision_config.%s: %s", e.Field, e.Reason)
}

// Validate checks that the sizes are positive and fit together.
func (c *Config) Validate() error {
	for _, p := range []struct {
		name string
		v    int
	}{
		{"hidden_size", c.HiddenSize}, {"intermediate_size", c.IntermediateSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"num_channels", c.NumChannels}, {"image_size", c.ImageSize}, {"patch_size", c.PatchSize},
	} {
		if p.v <= 0 {
			return &ConfigError{Field: p.name, Reason: fmt.Sprintf("must be positive, got %d", p.v)}
		}
	}
	if c.HiddenSize%c.NumAttentionHeads != 0 {
		return &ConfigError{Field: "num_attention_heads", Reason: fmt.Sprintf("%d does not divide hidden_size %d", c.NumAttentionHeads, c.HiddenSize)}
	}
	if c.ImageSize%c.PatchSize != 0 {
		return &ConfigError{Field: "patch_size", Reason: fmt.Sprintf("%d does not divide image_size %d", c.PatchSize, c.ImageSize)}
	}
	if c.LayerNormEps <= 0 {
		return &ConfigError{Field: "layer_norm_eps", Reason: fmt.Sprintf("must be positive, got %v", c.LayerNormEps)}
	}
	if _, err := nn.ParseActivation(c.HiddenAct); err != nil {
		return &ConfigError{Field: "hidden_act", Reason: err.Error()}
	}
	return nil
}

// PatchesPerSide is image_size / patch_size.
func (c *Config) PatchesPerSide() int { return c.ImageSize / c.PatchSize }

// NumPatches is the number of patch tokens of one image.
func (c *Config) NumPatches() int { return c.PatchesPerSide() * c.PatchesPerSide() }
