package gemma3

import (
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
)

// Layer types of layer_types.
const (
	SlidingAttention = "sliding_attention"
	FullAttention    = "full_attention"
)

// TextConfig is a gemma3_text config.json (or the text_config of a gemma3
// one) with the defaults of transformers' Gemma3TextConfig.
type TextConfig struct {
	ModelType             string  `json:"model_type"`
	VocabSize             int     `json:"vocab_size"`
	HiddenSize            int     `json:"hidden_size"`
	IntermediateSize      int     `json:"intermediate_size"`
	NumHiddenLayers       int     `json:"num_hidden_layers"`
	NumAttentionHeads     int     `json:"num_attention_heads"`
	NumKeyValueHeads      int     `json:"num_key_value_heads"`
	HeadDim               int     `json:"head_dim"`
	HiddenActivation      string  `json:"hidden_activation"`
	MaxPositionEmbeddings int     `json:"max_position_embeddings"`
	RMSNormEps            float32 `json:"rms_norm_eps"`
	AttentionBias         bool    `json:"attention_bias"`
	// QueryPreAttnScalar s sets the attention scale to s^-½.
	QueryPreAttnScalar float64 `json:"query_pre_attn_scalar"`
	// SlidingWindow is the window of the local layers: a query sees the
	// keys q−k < SlidingWindow.
	SlidingWindow int `json:"sliding_window"`
	// SlidingWindowPattern makes every pattern-th layer global when
	// layer_types is absent (sliding_window_pattern, 5.x:
	// _sliding_window_pattern).
	SlidingWindowPattern int      `json:"sliding_window_pattern"`
	LayerTypes           []string `json:"layer_types"`
	// FinalLogitSoftcapping and AttnLogitSoftcapping are 0 when null.
	FinalLogitSoftcapping float32 `json:"-"`
	AttnLogitSoftcapping  float32 `json:"-"`
	// RopeTheta and RopeScaling are the global layers' rotary base and
	// scaling, RopeLocalBaseFreq the local layers' base (4.x names; 5.x
	// rope_parameters per layer type are folded into them).
	RopeTheta         float64         `json:"rope_theta"`
	RopeScaling       *nn.RopeScaling `json:"rope_scaling"`
	RopeLocalBaseFreq float64         `json:"rope_local_base_freq"`
	// LocalRopeScaling is the local layers' scaling (5.x only; nil in 4.x).
	LocalRopeScaling *nn.RopeScaling `json:"-"`
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

// Error names the field and the problem.
func (e *ConfigError) Error() string { return fmt.Sprintf("gemma3 config: %s: %s", e.Field, e.Reason) }

// DefaultTextConfig returns Gemma3TextConfig's defaults (gemma-3-1b-like
// sizes, as transformers has them).
func DefaultTextConfig() TextConfig {
	return TextConfig{
		ModelType: "gemma3_text", VocabSize: 262208, HiddenSize: 2304, IntermediateSize: 9216, NumHiddenLayers: 26,
		NumAttentionHeads: 8, NumKeyValueHeads: 4, HeadDim: 256, HiddenActivation: "gelu_pytorch_tanh",
		MaxPositionEmbeddings: 131072, RMSNormEps: 1e-6, QueryPreAttnScalar: 256, SlidingWindow: 4096,
		SlidingWindowPattern: 6, RopeTheta: 1e6, RopeLocalBaseFreq: 10000,
	}
}

// ParseTextConfig decodes a gemma3_text config over the defaults and
// validates it.
func ParseTextConfig(b []byte) (*TextConfig, error) {
	c := DefaultTextConfig()
	if err := c.decode(b); err != nil {
		return nil, err
	}
	return &c, c.Validate()
}

// decode reads b over c and folds the spellings of both transformers
// generations into the fields.
func (c *TextConfig) decode(b []byte) error {
	if err := json.Unmarshal(b, c); err != nil {
		return fmt.Errorf("gemma3 config: %w", err)
	}
	var raw struct {
		Pattern5x      *int            `json:"_sliding_window_pattern"`
		FinalSoftcap   *float32        `json:"final_logit_softcapping"`
		AttnSoftcap    *float32        `json:"attn_logit_softcapping"`
		RopeParameters json.RawMessage `json:"rope_parameters"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("gemma3 config: %w", err)
	}
	if raw.Pattern5x != nil {
		c.SlidingWindowPattern = *raw.Pattern5x
	}
	if raw.FinalSoftcap != nil {
		c.FinalLogitSoftcapping = *raw.FinalSoftcap
	}
	if raw.AttnSoftcap != nil {
		c.AttnLogitSoftcapping = *raw.AttnSoftcap
	}
	if len(raw.RopeParameters) > 0 && string(raw.RopeParameters) != "null" {
		var perType map[string]json.RawMessage
		if err := json.Unmarshal(raw.RopeParameters, &perType); err != nil {
			return fmt.Errorf("gemma3 config: rope_parameters: %w", err)
		}
		full, hasFull := perType[FullAttention]
		local, hasLocal := perType[SlidingAttention]
		if !hasFull && !hasLocal {
			full = raw.RopeParameters // one set for every layer
		}
		if len(full) > 0 {
			var s nn.RopeScaling
			if err := json.Unmarshal(full, &s); err != nil {
				return fmt.Errorf("gemma3 config: rope_parameters: %w", err)
			}
			if s.RopeTheta > 0 {
				c.RopeTheta = s.RopeTheta
			}
			c.RopeScaling = &s
		}
		if len(local) > 0 {
			var s nn.RopeScaling
			if err := json.Unmarshal(local, &s); err != nil {
				return fmt.Errorf("gemma3 config: rope_parameters.sliding_attention: %w", err)
			}
			if s.RopeTheta > 0 {
				c.RopeLocalBaseFreq = s.RopeTheta
			}
			c.LocalRopeScaling = &s
		}
	}
	if c.NumKeyValueHeads == 0 {
		c.NumKeyValueHeads = c.NumAttentionHeads
	}
	if c.HiddenActivation == "" {
		c.HiddenActivation = "gelu_pytorch_tanh"
	}
	if len(c.LayerTypes) == 0 && c.SlidingWindowPattern > 0 {
		for i := range c.NumHiddenLayers {
			if (i+1)%c.SlidingWindowPattern != 0 {
				c.LayerTypes = append(c.LayerTypes, SlidingAttention)
			} else {
				c.LayerTypes = append(c.LayerTypes, FullAttention)
			}
		}
	}
	return nil
}

// Validate checks that the sizes are positive and fit together.
func (c *TextConfig) Validate() error {
	for _, p := range []struct {
		name string
		v    int
	}{
		{"vocab_size", c.VocabSize}, {"hidden_size", c.HiddenSize}, {"intermediate_size", c.IntermediateSize},
		{"num_hidden_layers", c.NumHiddenLayers}, {"num_attention_heads", c.NumAttentionHeads},
		{"num_key_value_heads", c.NumKeyValueHeads}, {"head_dim", c.HeadDim}, {"sliding_window", c.SlidingWindow},
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
	if c.QueryPreAttnScalar <= 0 {
		return &ConfigError{Field: "query_pre_attn_scalar", Reason: fmt.Sprintf("must be positive, got %v", c.QueryPreAttnScalar)}
	}
	if len(c.LayerTypes) != c.NumHiddenLayers {
		return &ConfigError{Field: "layer_types", Reason: fmt.Sprintf("%d entries for %d layers (and no sliding_window_pattern)", len(c.LayerTypes), c.NumHiddenLayers)}
	}
	for i, t := range c.LayerTypes {
		if t != SlidingAttention && t != FullAttention {
			return &ConfigError{Field: "layer_types", Reason: fmt.Sprintf("layer %d has type %q", i, t)}
		}
	}
	if _, err := nn.ParseActivation(c.HiddenActivation); err != nil {
		return &ConfigError{Field: "hidden_activation", Reason: err.Error()}
	}
	if _, err := nn.NewRotary(c.GlobalRope(), false); err != nil {
		return &ConfigError{Field: "rope_scaling", Reason: err.Error()}
	}
	if _, err := nn.NewRotary(c.LocalRope(), false); err != nil {
		return &ConfigError{Field: "rope_local_base_freq", Reason: err.Error()}
	}
	return nil
}

// GlobalRope returns the rotary parameters of the full-attention layers.
func (c *TextConfig) GlobalRope() nn.RopeParams {
	return nn.RopeParams{HeadDim: c.HeadDim, Base: c.RopeTheta, MaxPositionEmbeddings: c.MaxPositionEmbeddings, Scaling: c.RopeScaling}
}

// LocalRope returns the rotary parameters of the sliding-window layers.
func (c *TextConfig) LocalRope() nn.RopeParams {
	return nn.RopeParams{HeadDim: c.HeadDim, Base: c.RopeLocalBaseFreq, MaxPositionEmbeddings: c.MaxPositionEmbeddings, Scaling: c.LocalRopeScaling}
}

// Windows returns each layer's sliding window, 0 for global layers.
func (c *TextConfig) Windows() []int {
	out := make([]int, len(c.LayerTypes))
	for i, t := range c.LayerTypes {
		if t == SlidingAttention {
			out[i] = c.SlidingWindow
		}
	}
	return out
}

// Config is a gemma3 (VLM) config.json.
type Config struct {
	Text   TextConfig    `json:"-"`
	Vision siglip.Config `json:"-"`
	// MMTokensPerImage is the number of soft tokens one image becomes.
	MMTokensPerImage int `json:"mm_tokens_per_image"`
	// BOITokenID, EOITokenID and ImageTokenID are <start_of_image>,
	// <end_of_image> and <image_soft_token> (…_index in 4.x configs).
	BOITokenID   int32 `json:"-"`
	EOITokenID   int32 `json:"-"`
	ImageTokenID int32 `json:"-"`
}

// ParseConfig decodes a gemma3 config.json over transformers' defaults
// (Gemma3Config, Gemma3TextConfig, SiglipVisionConfig) and validates it.
func ParseConfig(b []byte) (*Config, error) {
	c := Config{MMTokensPerImage: 256, BOITokenID: 255999, EOITokenID: 256000, ImageTokenID: 262144}
	var raw struct {
		MMTokens     *int            `json:"mm_tokens_per_image"`
		BOIIndex     *int32          `json:"boi_token_index"`
		BOIID        *int32          `json:"boi_token_id"`
		EOIIndex     *int32          `json:"eoi_token_index"`
		EOIID        *int32          `json:"eoi_token_id"`
		ImageIndex   *int32          `json:"image_token_index"`
		ImageID      *int32          `json:"image_token_id"`
		TextConfig   json.RawMessage `json:"text_config"`
		VisionConfig json.RawMessage `json:"vision_config"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("gemma3 config: %w", err)
	}
	if raw.MMTokens != nil {
		c.MMTokensPerImage = *raw.MMTokens
	}
	pick := func(dst *int32, a, b *int32) {
		if a != nil {
			*dst = *a
		} else if b != nil {
			*dst = *b
		}
	}
	pick(&c.BOITokenID, raw.BOIID, raw.BOIIndex)
	pick(&c.EOITokenID, raw.EOIID, raw.EOIIndex)
	pick(&c.ImageTokenID, raw.ImageID, raw.ImageIndex)
	c.Text = DefaultTextConfig()
	if len(raw.TextConfig) > 0 && string(raw.TextConfig) != "null" {
		if err := c.Text.decode(raw.TextConfig); err != nil {
			return nil, fmt.Errorf("text_config: %w", err)
		}
	} else if err := c.Text.decode([]byte("{}")); err != nil {
		return nil, err
	}
	if err := c.Text.Validate(); err != nil {
		return nil, fmt.Errorf("text_config: %w", err)
	}
	c.Vision = siglip.DefaultConfig()
	if len(raw.VisionConfig) > 0 && string(raw.VisionConfig) != "null" {
		if err := json.Unmarshal(raw.VisionConfig, &c.Vision); err != nil {
			return nil, fmt.Errorf("gemma3 config: vision_config: %w", err)
		}
	}
	if err := c.Vision.Validate(); err != nil {
		return nil, err
	}
	return &c, c.Validate()
}

// Validate checks the multimodal fields.
func (c *Config) Validate() error {
	side := c.Vision.PatchesPerSide()
	t := tokensPerSide(c.MMTokensPerImage)
	if t <= 0 || side%t != 0 {
		return &ConfigError{Field: "mm_tokens_per_image", Reason: fmt.Sprintf("%d is not a square whose side divides the %d patches per side", c.MMTokensPerImage, side)}
	}
	for _, id := range []struct {
		name string
		v    int32
	}{{"boi_token_index", c.BOITokenID}, {"eoi_token_index", c.EOITokenID}, {"image_token_index", c.ImageTokenID}} {
		if id.v < 0 || int(id.v) >= c.Text.VocabSize {
			return &ConfigError{Field: id.name, Reason: fmt.Sprintf("%d is outside the vocabulary of %d", id.v, c.Text.VocabSize)}
		}
	}
	return nil
}

// tokensPerSide returns √n when n is a perfect square, else 0.
func tokensPerSide(n int) int {
	for s := 1; s*s <= n; s++ {
		if s*s == n {
			return s
		}
	}
	return 0
}
