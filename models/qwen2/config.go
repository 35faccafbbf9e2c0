package qwen2

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/nn"
)

// Config is the part of a Qwen2 config.json the decoder needs, with the
// defaults of transformers' Qwen2Config for absent fields. The same struct
// decodes the text part of a Qwen2-VL config (top level in 4.x files,
// text_config in 5.x files).
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
	// TieWordEmbeddings says the output head reuses the embedding table.
	// The model binds lm_head when the checkpoint has it and falls back to
	// the table otherwise, so this field only documents the checkpoint.
	TieWordEmbeddings bool `json:"tie_word_embeddings"`
	// UseSliding and SlidingWindow are Qwen2's optional sliding-window
	// attention (use_sliding_window, sliding_window, max_window_layers):
	// layers at index >= MaxWindowLayers use the window. Released
	// checkpoints leave it off.
	UseSliding      bool `json:"use_sliding_window"`
	SlidingWindow   *int `json:"sliding_window"`
	MaxWindowLayers int  `json:"max_window_layers"`
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

func (e *ConfigError) Error() string { return fmt.Sprintf("qwen2 config: %s: %s", e.Field, e.Reason) }

// DefaultConfig returns transformers' Qwen2Config defaults.
func DefaultConfig() Config {
	return Config{
		ModelType:             "qwen2",
		VocabSize:             151936,
		HiddenSize:            4096,
		IntermediateSize:      22016,
		NumHiddenLayers:       32,
		NumAttentionHeads:     32,
		NumKeyValueHeads:      32,
		HiddenAct:             "silu",
		MaxPositionEmbeddings: 32768,
		RMSNormEps:            1e-6,
		RopeTheta:             10000,
		MaxWindowLayers:       28,
	}
}

// ParseConfig decodes a Qwen2 config.json over the defaults, fills the
// derived fields and validates the result.
func ParseConfig(b []byte) (*Config, error) {
	c := DefaultConfig()
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("qwen2 config: %w", err)
	}
	if err := c.Finish(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Finish derives the fields config.json may leave out (key/value heads,
// head size, the 5.x rope_theta) and validates the config.
func (c *Config) Finish() error {
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

// LayerWindows returns the sliding window of every layer (0 = full
// attention), as Qwen2's use_sliding_window / max_window_layers decide.
func (c *Config) LayerWindows() []int {
	w := make([]int, c.NumHiddenLayers)
	if !c.UseSliding || c.SlidingWindow == nil || *c.SlidingWindow <= 0 {
		return w
	}
	for i := range w {
		if i >= c.MaxWindowLayers {
			w[i] = *c.SlidingWindow
		}
	}
	return w
}
