package qwen2vl

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/govlm/govlm/models/qwen2"
	"github.com/govlm/govlm/nn"
)

// Model types this package implements.
const (
	TypeQwen2VL  = "qwen2_vl"
	TypeQwen25VL = "qwen2_5_vl"
)

// Config is a Qwen2-VL / Qwen2.5-VL config.json. The text part sits at the
// top level in transformers 4.x files and in text_config in 5.x files;
// ParseConfig reads both.
type Config struct {
	ModelType          string       `json:"model_type"`
	ImageTokenID       int32        `json:"image_token_id"`
	VideoTokenID       int32        `json:"video_token_id"`
	VisionStartTokenID int32        `json:"vision_start_token_id"`
	VisionEndTokenID   int32        `json:"vision_end_token_id"`
	Vision             VisionConfig `json:"vision_config"`
	// Text is the decoder's configuration.
	Text qwen2.Config `json:"-"`
	// MRopeSection is the split of the rotary frequencies between the
	// temporal, height and width position streams (mrope_section).
	MRopeSection [3]int `json:"-"`
}

// VisionConfig is vision_config, covering both towers: Qwen2-VL's
// (embed_dim wide, LayerNorm, fc1/fc2 MLP of mlp_ratio, output hidden_size)
// and Qwen2.5-VL's (hidden_size wide, RMSNorm, SwiGLU MLP of
// intermediate_size, output out_hidden_size, window attention).
type VisionConfig struct {
	Depth             int     `json:"depth"`
	EmbedDim          int     `json:"embed_dim"`
	HiddenSize        int     `json:"hidden_size"`
	HiddenAct         string  `json:"hidden_act"`
	MLPRatio          float64 `json:"mlp_ratio"`
	IntermediateSize  int     `json:"intermediate_size"`
	OutHiddenSize     int     `json:"out_hidden_size"`
	NumHeads          int     `json:"num_heads"`
	InChannels        int     `json:"in_channels"`
	InChans           int     `json:"in_chans"` // 4.x spelling
	PatchSize         int     `json:"patch_size"`
	SpatialMergeSize  int     `json:"spatial_merge_size"`
	TemporalPatchSize int     `json:"temporal_patch_size"`
	// Qwen2.5-VL only.
	WindowSize          int     `json:"window_size"`
	FullAttBlockIndexes []int   `json:"fullatt_block_indexes"`
	TokensPerSecond     float64 `json:"tokens_per_second"`
	RopeTheta           float64 `json:"-"`

	// Derived by Finish.
	Width, Out, MLPHidden int
	// Gated is Qwen2.5-VL's tower (RMSNorm, SwiGLU, windows).
	Gated bool
}

// ConfigError reports a config.json field that is missing or out of range.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("qwen2-vl config: %s: %s", e.Field, e.Reason)
}

// defaultVision returns transformers' vision config defaults of modelType.
func defaultVision(modelType string) VisionConfig {
	if modelType == TypeQwen25VL {
		return VisionConfig{
			Depth: 32, HiddenSize: 3584, HiddenAct: "silu", IntermediateSize: 3420, OutHiddenSize: 3584,
			NumHeads: 16, InChannels: 3, PatchSize: 14, SpatialMergeSize: 2, TemporalPatchSize: 2,
			WindowSize: 112, FullAttBlockIndexes: []int{7, 15, 23, 31}, TokensPerSecond: 4,
		}
	}
	return VisionConfig{
		Depth: 32, EmbedDim: 1280, HiddenSize: 3584, HiddenAct: "quick_gelu", MLPRatio: 4, NumHeads: 16,
		InChannels: 3, PatchSize: 14, SpatialMergeSize: 2, TemporalPatchSize: 2,
	}
}

// ParseConfig decodes a Qwen2-VL or Qwen2.5-VL config.json (either
// layout) over transformers' defaults and validates it.
func ParseConfig(b []byte) (*Config, error) {
	var head struct {
		ModelType  string          `json:"model_type"`
		TextConfig json.RawMessage `json:"text_config"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("qwen2-vl config: %w", err)
	}
	if head.ModelType != TypeQwen2VL && head.ModelType != TypeQwen25VL {
		return nil, &ConfigError{Field: "model_type", Reason: fmt.Sprintf("%q is neither %s nor %s", head.ModelType, TypeQwen2VL, TypeQwen25VL)}
	}
	c := Config{
		ModelType: head.ModelType, ImageTokenID: 151655, VideoTokenID: 151656,
		VisionStartTokenID: 151652, VisionEndTokenID: 151653, Vision: defaultVision(head.ModelType),
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("qwen2-vl config: %w", err)
	}
	// The text config: top-level fields (4.x), then text_config (5.x) over
	// them.
	c.Text = qwen2.DefaultConfig()
	c.Text.VocabSize, c.Text.HiddenSize, c.Text.IntermediateSize = 152064, 8192, 29568
	c.Text.NumHiddenLayers, c.Text.NumAttentionHeads, c.Text.NumKeyValueHeads = 80, 64, 8
	c.Text.MaxPositionEmbeddings, c.Text.RopeTheta, c.Text.MaxWindowLayers = 32768, 1000000, 80
	if err := json.Unmarshal(b, &c.Text); err != nil {
		return nil, fmt.Errorf("qwen2-vl config: %w", err)
	}
	if len(head.TextConfig) > 0 && string(head.TextConfig) != "null" {
		if err := json.Unmarshal(head.TextConfig, &c.Text); err != nil {
			return nil, fmt.Errorf("qwen2-vl config: text_config: %w", err)
		}
	}
	if err := c.Text.Finish(); err != nil {
		return nil, err
	}
	if err := c.finishRope(b); err != nil {
		return nil, err
	}
	if err := c.Vision.finish(c.ModelType); err != nil {
		return nil, err
	}
	return &c, nil
}

// finishRope reads mrope_section (rope_scaling or rope_parameters) and
// the vision tower's rope_theta.
func (c *Config) finishRope(b []byte) error {
	var s *nn.RopeScaling
	switch {
	case c.Text.RopeParameters != nil:
		s = c.Text.RopeParameters
	case c.Text.RopeScaling != nil:
		s = c.Text.RopeScaling
	}
	half := c.Text.HeadDim / 2
	if s == nil || len(s.MropeSection) == 0 {
		return &ConfigError{Field: "rope_scaling.mrope_section", Reason: "missing"}
	}
	if len(s.MropeSection) != 3 || s.MropeSection[0]+s.MropeSection[1]+s.MropeSection[2] != half || slices.Min(s.MropeSection) < 0 {
		return &ConfigError{Field: "rope_scaling.mrope_section", Reason: fmt.Sprintf("%v must be three sizes summing to head_dim/2 = %d", s.MropeSection, half)}
	}
	copy(c.MRopeSection[:], s.MropeSection)
	var v struct {
		VisionConfig struct {
			RopeParameters *nn.RopeScaling `json:"rope_parameters"`
			RopeTheta      float64         `json:"rope_theta"`
		} `json:"vision_config"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("qwen2-vl config: %w", err)
	}
	c.Vision.RopeTheta = 10000
	if v.VisionConfig.RopeTheta > 0 {
		c.Vision.RopeTheta = v.VisionConfig.RopeTheta
	}
	if p := v.VisionConfig.RopeParameters; p != nil && p.RopeTheta > 0 {
		c.Vision.RopeTheta = p.RopeTheta
	}
	return nil
}

// finish derives the tower's widths and validates them.
func (v *VisionConfig) finish(modelType string) error {
	if v.InChans > 0 {
		v.InChannels = v.InChans
	}
	v.Gated = modelType == TypeQwen25VL
	if v.Gated {
		v.Width, v.Out, v.MLPHidden = v.HiddenSize, v.OutHiddenSize, v.IntermediateSize
	} else {
		v.Width, v.Out = v.EmbedDim, v.HiddenSize
		v.MLPHidden = int(float64(v.EmbedDim) * v.MLPRatio)
	}
	positive := []struct {
		name string
		v    int
	}{
		{"vision_config.depth", v.Depth}, {"vision_config width", v.Width}, {"vision_config output width", v.Out},
		{"vision_config MLP width", v.MLPHidden}, {"vision_config.num_heads", v.NumHeads},
		{"vision_config.in_channels", v.InChannels}, {"vision_config.patch_size", v.PatchSize},
		{"vision_config.spatial_merge_size", v.SpatialMergeSize}, {"vision_config.temporal_patch_size", v.TemporalPatchSize},
	}
	for _, p := range positive {
		if p.v <= 0 {
			return &ConfigError{Field: p.name, Reason: fmt.Sprintf("must be positive, got %d", p.v)}
		}
	}
	if v.Width%v.NumHeads != 0 || (v.Width/v.NumHeads)%4 != 0 {
		return &ConfigError{Field: "vision_config.num_heads", Reason: fmt.Sprintf("width %d over %d heads must give a head size divisible by 4", v.Width, v.NumHeads)}
	}
	if _, err := nn.ParseActivation(v.HiddenAct); err != nil {
		return &ConfigError{Field: "vision_config.hidden_act", Reason: err.Error()}
	}
	if v.Gated {
		unit := v.SpatialMergeSize * v.PatchSize
		if v.WindowSize < unit || v.WindowSize%unit != 0 {
			return &ConfigError{Field: "vision_config.window_size", Reason: fmt.Sprintf("%d must be a positive multiple of patch_size × spatial_merge_size = %d", v.WindowSize, unit)}
		}
		for _, i := range v.FullAttBlockIndexes {
			if i < 0 || i >= v.Depth {
				return &ConfigError{Field: "vision_config.fullatt_block_indexes", Reason: fmt.Sprintf("block %d outside depth %d", i, v.Depth)}
			}
		}
	}
	return nil
}

// HeadDim returns the vision attention head size.
func (v *VisionConfig) HeadDim() int { return v.Width / v.NumHeads }

// PatchDim returns the length of one flattened patch: C·T·P·P.
func (v *VisionConfig) PatchDim() int {
	return v.InChannels * v.TemporalPatchSize * v.PatchSize * v.PatchSize
}

// MergeUnit returns the number of patches merged into one token.
func (v *VisionConfig) MergeUnit() int { return v.SpatialMergeSize * v.SpatialMergeSize }
