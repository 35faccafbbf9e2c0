package idefics3

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/models/llama"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
)

// VisionConfig is the vision_config of an Idefics3/SmolVLM config.json: a
// SigLIP vision config, with the defaults of transformers'
// Idefics3VisionConfig (see ParseConfig).
type VisionConfig = siglip.Config

// Config is an Idefics3/SmolVLM config.json.
type Config struct {
	ModelType string `json:"model_type"`
	// ImageTokenID is the id of the <image> placeholder (image_token_id,
	// or image_token_index in older configs).
	ImageTokenID int32 `json:"image_token_id"`
	// ScaleFactor is the pixel-shuffle factor of the connector.
	ScaleFactor int `json:"scale_factor"`
	// Text and Vision are the decoder's and the tower's configs.
	Text   llama.Config `json:"-"`
	Vision VisionConfig `json:"vision_config"`
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("idefics3 config: %s: %s", e.Field, e.Reason)
}

func defaultVision() VisionConfig {
	return VisionConfig{
		HiddenSize: 1152, IntermediateSize: 3072, NumHiddenLayers: 12, NumAttentionHeads: 16, NumChannels: 3,
		ImageSize: 224, PatchSize: 32, LayerNormEps: 1e-6, HiddenAct: "gelu_pytorch_tanh",
	}
}

// ParseConfig decodes config.json over transformers' defaults and
// validates it. The text_config is a Llama config with LlamaConfig's
// defaults.
func ParseConfig(b []byte) (*Config, error) {
	c := Config{ScaleFactor: 2, ImageTokenID: 128257, Vision: defaultVision()}
	var raw struct {
		ImageTokenID    *int32          `json:"image_token_id"`
		ImageTokenIndex *int32          `json:"image_token_index"`
		TextConfig      json.RawMessage `json:"text_config"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("idefics3 config: %w", err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("idefics3 config: %w", err)
	}
	if raw.ImageTokenID == nil && raw.ImageTokenIndex != nil {
		c.ImageTokenID = *raw.ImageTokenIndex
	}
	c.Text = llama.DefaultConfig()
	if len(raw.TextConfig) == 0 || string(raw.TextConfig) == "null" {
		c.Text.RMSNormEps = 1e-5 // Idefics3Config's text default
	} else {
		if err := json.Unmarshal(raw.TextConfig, &c.Text); err != nil {
			return nil, fmt.Errorf("idefics3 config: text_config: %w", err)
		}
	}
	if err := c.Text.Finish(); err != nil {
		return nil, fmt.Errorf("idefics3 config: text_config: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the vision and connector fields.
func (c *Config) Validate() error {
	v := c.Vision
	for _, p := range []struct {
		name string
		v    int
	}{
		{"vision_config.hidden_size", v.HiddenSize}, {"vision_config.intermediate_size", v.IntermediateSize},
		{"vision_config.num_hidden_layers", v.NumHiddenLayers}, {"vision_config.num_attention_heads", v.NumAttentionHeads},
		{"vision_config.num_channels", v.NumChannels}, {"vision_config.image_size", v.ImageSize},
		{"vision_config.patch_size", v.PatchSize}, {"scale_factor", c.ScaleFactor},
	} {
		if p.v <= 0 {
			return &ConfigError{Field: p.name, Reason: fmt.Sprintf("must be positive, got %d", p.v)}
		}
	}
	if v.HiddenSize%v.NumAttentionHeads != 0 {
		return &ConfigError{Field: "vision_config.num_attention_heads", Reason: fmt.Sprintf("%d does not divide hidden_size %d", v.NumAttentionHeads, v.HiddenSize)}
	}
	if v.ImageSize%v.PatchSize != 0 {
		return &ConfigError{Field: "vision_config.patch_size", Reason: fmt.Sprintf("%d does not divide image_size %d", v.PatchSize, v.ImageSize)}
	}
	if side := v.ImageSize / v.PatchSize; side%c.ScaleFactor != 0 {
		return &ConfigError{Field: "scale_factor", Reason: fmt.Sprintf("%d does not divide the %d patches per side", c.ScaleFactor, side)}
	}
	if _, err := nn.ParseActivation(v.HiddenAct); err != nil {
		return &ConfigError{Field: "vision_config.hidden_act", Reason: err.Error()}
	}
	if c.ImageTokenID < 0 || int(c.ImageTokenID) >= c.Text.VocabSize {
		return &ConfigError{Field: "image_token_id", Reason: fmt.Sprintf("%d is outside the vocabulary of %d", c.ImageTokenID, c.Text.VocabSize)}
	}
	return nil
}

// PatchesPerSide is image_size / patch_size.
func (c *Config) PatchesPerSide() int { return c.Vision.ImageSize / c.Vision.PatchSize }

// TokensPerTile is the number of <image> tokens one tile becomes:
// (image_size / patch_size)² / scale_factor².
func (c *Config) TokensPerTile() int {
	s := c.PatchesPerSide() / c.ScaleFactor
	return s * s
}
