package llama

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/nn"
)

// Config is the part of a Llama config.json the decoder needs, with the
// defaults of transformers' LlamaConfig for absent fields.
type Config struct {
	ModelType             string  `json:"model_type"`
	VocabSize             int     `json:"vocab_size"`
	HiddenSize            int     `json:"hidden_size"`
	IntermediateSize      int     `json:"intermediate_size"`
	NumHiddenLayers       int     `json:"num_hidden_layers"`
	NumAttentionHeads     int     `json:"num_attention_heads"`
	NumKeyValueHeads      int     `json:"num_key_value_heads"`
	HeadDim               int     `json:"head_dim"`
	HiddenAct             string  `json:"hidden_act"`
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`
	RMSNormEps            float32 `json:"rms_norm_eps"`
	RopeTheta             float64 `json:"rope_theta"`
	AttentionBias         bool    `json:"attention_bias"`
	MLPBias               bool    `json:"mlp_bias"`
	// TieWordEmbeddings says the output head reuses the embedding table.
	// The model binds lm_head when the checkpoint has it and falls back to
	// the table otherwise, so this field only documents the checkpoint.
	TieWordEmbeddings bool `json:"tie_word_embeddings"`
	// RopeScaling is rope_scaling (transformers 4.x) or rope_parameters
	// (5.x, which also carries rope_theta).
	RopeScaling    *nn.RopeScaling `json:"rope_scaling"`
	RopeParameters *nn.RopeScaling `json:"rope_parameters"`
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error implements error.
func (e *ConfigError) Error() string { return fmt.Sprintf("llama config: %s: %s", e.Field, e.Reason) }

// DefaultConfig returns transformers' LlamaConfig defaults.
func DefaultConfig() Config {
	return Config{
		ModelType:             "llama",
		VocabSize:             32000,
		HiddenSize:            4096,
		IntermediateSize:      11008,
		NumHiddenLayers:       32,
		NumAttentionHeads:     32,
		HiddenAct:             "silu",
		MaxPositionEmbeddings: 2048,
		RMSNormEps:            1e-6,
		RopeTheta:             10000,
	}
}

// ParseConfig decodes a Llama config.json (or a text_config object) over
// the defaults, fills the derived fields and validates the result.
func ParseConfig(b []byte) (*Config, error) {
	c := DefaultConfig()
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("llama config: %w", err)
	}
	if err := c.Finish(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Finish derives the fields config.json may leave out (key/value heads,
// head size, the 5.x rope_theta) and validates the config. Heads may be
// derived from head_dim when a config gives only that (some mlx-community
// conversions).
func (c *Config) Finish() error {
	if c.NumAttentionHeads == 0 && c.HeadDim > 0 {
		c.NumAttentionHeads = c.HiddenSize / c.HeadDim
	}
	if c.NumKeyValueHeads == 0 {
		c.NumKeyValueHeads = c.NumAttentionHeads
	}
	if c.HeadDim == 0 && c.NumAttentionHeads > 0 {
		c.HeadDim = c.HiddenSize / c.NumAttentionHeads
	}
	if c.RopeParameters != nil && c.RopeParameters.RopeTheta > 0 {
		c.RopeTheta = c.RopeParameters.RopeTheta
	}
	if c.HiddenAct == "" {
		c.HiddenAct = "silu"
	}
	return c.Validate()
}

// Validate checks that the sizes are positive and fit together.
func (c *Config) Validate() error {
	positive := []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize}, {"intermediate_size", c.IntermediateSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"num_key_value_heads", c.NumKeyValueHeads}, {"head_dim", c.HeadDim},
	}
	for _, p := range positive {
		if p.v <= 0 {
			return &ConfigError{Field: p.name, Reason: fmt.Sprintf("must be positive, got %d", p.v)}
		}
	}
	if c.NumAttentionHeads%c.NumKeyValueHeads != 0 {
		return &ConfigError{Field: "num_key_value_heads", Reason: fmt.Sprintf("%d does not divide num_attention_heads %d", c.NumKeyValueHeads, c.NumAttentionHeads)}
	}
	if c.RMSNormEps <= 0 {
		return &ConfigError{Field: "rms_norm_eps", Reason: fmt.Sprintf("must be positive, got %v", c.RMSNormEps)}
	}
	if _, err := nn.ParseActivation(c.HiddenAct); err != nil {
		return &ConfigError{Field: "hidden_act", Reason: err.Error()}
	}
	if _, err := nn.NewRotary(c.RopeParams(), false); err != nil {
		return &ConfigError{Field: "rope_scaling", Reason: err.Error()}
	}
	return nil
}

// RopeParams returns the rotary parameters of the config.
func (c *Config) RopeParams() nn.RopeParams {
	s := c.RopeScaling
	if c.RopeParameters != nil {
		s = c.RopeParameters
	}
	return nn.RopeParams{HeadDim: c.HeadDim, Base: c.RopeTheta, MaxPositionEmbeddings: c.MaxPositionEmbeddings, Scaling: s}
}
