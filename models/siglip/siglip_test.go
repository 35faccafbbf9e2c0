package siglip

import (
	"errors"
	"slices"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/tensor"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"heads", func(c *Config) { c.NumAttentionHeads = 5 }, "num_attention_heads"},
		{"patch", func(c *Config) { c.PatchSize = 15 }, "patch_size"},
		{"layers", func(c *Config) { c.NumHiddenLayers = 0 }, "num_hidden_layers"},
		{"eps", func(c *Config) { c.LayerNormEps = 0 }, "layer_norm_eps"},
		{"act", func(c *Config) { c.HiddenAct = "swoosh" }, "hidden_act"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.edit(&c)
			var ce *ConfigError
			if err := c.Validate(); !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, tc.field)
			}
		})
	}
	c := DefaultConfig()
	if err := c.Validate(); err != nil || c.NumPatches() != 196 {
		t.Errorf("defaults: %v, %d patches", err, c.NumPatches())
	}
}

func TestForwardRejectsWrongSize(t *testing.T) {
	c := Config{HiddenSize: 4, IntermediateSize: 8, NumHiddenLayers: 1, NumAttentionHeads: 2, NumChannels: 3,
		ImageSize: 4, PatchSize: 2, LayerNormEps: 1e-6, HiddenAct: "gelu_pytorch_tanh"}
	m, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Forward(tensor.New(3, 8, 8)); err == nil {
		t.Error("an 8×8 image went through a 4×4 tower")
	}
	if _, err := m.ForwardBatch(tensor.New(3, 4, 4)); err == nil {
		t.Error("a rank-3 batch was accepted")
	}
}

func TestSanitizePatchEmbedding(t *testing.T) {
	data := make([]float32, 2*2*2*3)
	for i := range data {
		data[i] = float32(i)
	}
	const name = "patch"
	w := map[string]*tensor.Tensor{name: tensor.FromF32(data, 2, 2, 2, 3)}
	if err := SanitizePatchEmbedding(w, name, 3); err != nil {
		t.Fatal(err)
	}
	p := w[name]
	if !slices.Equal(p.Shape(), []int{2, 3, 2, 2}) {
		t.Fatalf("shape %v", p.Shape())
	}
	// out 1, channel 2, y 0, x 1 was at [1, 0, 1, 2]: ((1*2+0)*2+1)*3+2 = 17.
	if got := p.Data()[((1*3+2)*2+0)*2+1]; got != 17 {
		t.Errorf("element %v, want 17", got)
	}
	// Already channels-first: untouched.
	before := w[name]
	if err := SanitizePatchEmbedding(w, name, 3); err != nil || w[name] != before {
		t.Errorf("a channels-first weight was rewritten (%v)", err)
	}
}

func TestImageConfig(t *testing.T) {
	c, err := ParseImageConfig([]byte(`{"size": {"height": 8, "width": 6}, "resample": 2, "image_processor_type": "SiglipImageProcessor"}`),
		DefaultImageConfig(224, media.Bicubic))
	if err != nil {
		t.Fatal(err)
	}
	if c.Size != (ImageSize{Height: 8, Width: 6}) || c.Resample != 2 || !c.DoNormalize {
		t.Errorf("parsed %+v", c)
	}
	img := media.NewImage(10, 10)
	px, err := c.Pixels(img)
	if err != nil {
		t.Fatal(err)
	}
	if len(px) != 3*8*6 || px[0] != -1 {
		t.Errorf("%d values, first %v; want 144 and -1 (black → -1)", len(px), px[0])
	}
	for _, bad := range []string{`{"size": {"height": 0, "width": 4}}`, `{"resample": 9}`, `{"size": 3}`} {
		if _, err := ParseImageConfig([]byte(bad), DefaultImageConfig(224, media.Bicubic)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	c.DoResize = false
	if _, err := c.Pixels(img); err == nil {
		t.Error("a 10×10 image passed without resizing to 6×8")
	}
}
