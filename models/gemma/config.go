package gemma

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/nn"
)

// Config is the part of a Gemma config.json the decoder needs, with the
// defaults of transformers' GemmaConfig (gemma-7b) for absent fields.
type Config struct {
	ModelType             string  `json:"model_type"`
	VocabSize             int     `json:"vocab_size"`
	HiddenSize            int     `json:"hidden_size"`
	IntermediateSize      int     `json:"intermediate_size"`
	NumHiddenLayers       int     `json:"num_hidden_layers"`
	NumAttentionHeads     int     `json:"num_attention_heads"`
	NumKeyValueHeads      int     `json:"num_key_value_heads"`
	HeadDim               int     `json:"head_dim"`
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`
	RMSNormEps            float32 `json:"rms_norm_eps"`
	RopeTheta             float64 `json:"rope_theta"`
	AttentionBias         bool    `json:"attention_bias"`
	// HiddenActivation is the MLP's activation. transformers ignores the
	// older hidden_act (the first checkpoints say "gelu" there) and uses
	// the tanh approximation when hidden_activation is absent.
	HiddenActivation string `json:"hidden_activation"`
	// RopeScaling is rope_scaling (4.x) or rope_parameters (5.x, which
	// also carries rope_theta).
	RopeScaling    *nn.RopeScaling `json:"rope_scaling"`
	RopeParameters *nn.RopeScaling `json:"rope_parameters"`
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error names the field and the problem.
func (e *ConfigError) Error() string { return fmt.Sprintf("gemma config: %s: %s", e.Field, e.Reason) }

// DefaultConfig returns transformers' GemmaConfig defaults.
func DefaultConfig() Config {
	return Config{
		ModelType: "gemma", VocabSize: 256000, HiddenSize: 3072, IntermediateSize: 24576, NumHiddenLayers: 28,
		NumAttentionHeads: 16, NumKeyValueHeads: 16, HeadDim: 256, MaxPositionEmbeddings: 8192,
		RMSNormEps: 1e-6, RopeTheta: 10000,
	}
}

// ParseConfig decodes a Gemma config.json (or PaliGemma's text_config) over
// the defaults and validates it.
func ParseConfig(b []byte) (*Config, error) {
	c := DefaultConfig()
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("gemma config: %w", err)
	}
	if err := c.Finish(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Finish fills the derived fields (the 5.x rope_theta, the activation) and
// validates the config.
func (c *Config) Finish() error {
	if c.RopeParameters != nil && c.RopeParameters.RopeTheta > 0 {
		c.RopeTheta = c.RopeParameters.RopeTheta
	}
	if c.HiddenActivation == "" {
		c.HiddenActivation = "gelu_pytorch_tanh"
	}
	if c.NumKeyValueHeads == 0 {
		c.NumKeyValueHeads = c.NumAttentionHeads
	}
	return c.Validate()
}

// Validate checks that the sizes are positive and fit together.
func (c *Config) Validate() error {
	for _, p := range []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize}, {"intermediate_size", c.IntermediateSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"num_key_value_heads", c.NumKeyValueHeads}, {"head_dim", c.HeadDim},
	} {
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
	if _, err := nn.ParseActivation(c.HiddenActivation); err != nil {
		return &ConfigError{Field: "hidden_activation", Reason: err.Error()}
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
