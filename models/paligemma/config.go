package paligemma

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/models/gemma"
	"github.com/govlm/govlm/models/siglip"
)

// Config is a PaliGemma config.json with the defaults of transformers'
// PaliGemmaConfig.
type Config struct {
	Text   gemma.Config  `json:"-"`
	Vision siglip.Config `json:"-"`
	// ImageTokenID is the id of <image> (image_token_index, 5.x:
	// image_token_id).
	ImageTokenID int32 `json:"-"`
	// ProjectionDim is the projector's output width (= text hidden size).
	ProjectionDim int `json:"projection_dim"`
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error names the field and the problem.
func (e *ConfigError) Error() string {
	return fmt.Sprintf("paligemma config: %s: %s", e.Field, e.Reason)
}

// ParseConfig decodes config.json over PaliGemmaConfig's defaults (a
// gemma-2b text config, a SigLIP vision config) and validates it.
func ParseConfig(b []byte) (*Config, error) {
	c := Config{ImageTokenID: 256000, ProjectionDim: 2048}
	var raw struct {
		ImageIndex   *int32          `json:"image_token_index"`
		ImageID      *int32          `json:"image_token_id"`
		VocabSize    *int            `json:"vocab_size"`
		TextConfig   json.RawMessage `json:"text_config"`
		VisionConfig json.RawMessage `json:"vision_config"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("paligemma config: %w", err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("paligemma config: %w", err)
	}
	switch {
	case raw.ImageID != nil:
		c.ImageTokenID = *raw.ImageID
	case raw.ImageIndex != nil:
		c.ImageTokenID = *raw.ImageIndex
	}
	c.Text = gemma.DefaultConfig()
	if len(raw.TextConfig) > 0 && string(raw.TextConfig) != "null" {
		if err := json.Unmarshal(raw.TextConfig, &c.Text); err != nil {
			return nil, fmt.Errorf("paligemma config: text_config: %w", err)
		}
	} else {
		// PaliGemmaConfig's text default: gemma-2b.
		c.Text.HiddenSize, c.Text.NumHiddenLayers, c.Text.IntermediateSize = 2048, 18, 16384
		c.Text.NumAttentionHeads, c.Text.NumKeyValueHeads, c.Text.VocabSize = 8, 1, 257152
		if raw.VocabSize != nil {
			c.Text.VocabSize = *raw.VocabSize
		}
	}
	if c.Text.ModelType != "gemma" {
		// PaliGemma 2 pairs the tower with Gemma 2, which this package
		// does not implement.
		return nil, &ConfigError{Field: "text_config.model_type", Reason: fmt.Sprintf("%q is not supported (only gemma)", c.Text.ModelType)}
	}
	if err := c.Text.Finish(); err != nil {
		return nil, fmt.Errorf("paligemma config: text_config: %w", err)
	}
	c.Vision = siglip.DefaultConfig()
	if len(raw.VisionConfig) > 0 && string(raw.VisionConfig) != "null" {
		if err := json.Unmarshal(raw.VisionConfig, &c.Vision); err != nil {
			return nil, fmt.Errorf("paligemma config: vision_config: %w", err)
		}
	}
	if err := c.Vision.Validate(); err != nil {
		return nil, err
	}
	return &c, c.Validate()
}

// Validate checks the multimodal fields.
func (c *Config) Validate() error {
	if c.ProjectionDim != c.Text.HiddenSize {
		return &ConfigError{Field: "projection_dim", Reason: fmt.Sprintf("%d differs from the text hidden size %d", c.ProjectionDim, c.Text.HiddenSize)}
	}
	if c.ImageTokenID < 0 || int(c.ImageTokenID) >= c.Text.VocabSize {
		return &ConfigError{Field: "image_token_index", Reason: fmt.Sprintf("%d is outside the vocabulary of %d", c.ImageTokenID, c.Text.VocabSize)}
	}
	return nil
}

// ImageSeqLen is the number of <image> tokens of one image: the tower's
// patch count.
func (c *Config) ImageSeqLen() int { return c.Vision.NumPatches() }
