package siglip

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/vlm"
)

// ImageSize is a {"height": h, "width": w} size object of a preprocessor
// config.
type ImageSize struct {
	Height int `json:"height"`
	Width  int `json:"width"`
}

// ImageConfig is the fixed-size image processor of SigLIP-based models
// (SiglipImageProcessor for PaliGemma, the base of Gemma3ImageProcessor):
// convert to RGB, resize to exactly Size with Resample, rescale, normalise.
// It reads either on-disk layout (the flat 4.x preprocessor_config.json or
// the nested 5.x image_processor object).
type ImageConfig struct {
	DoConvertRGB  bool       `json:"do_convert_rgb"`
	DoResize      bool       `json:"do_resize"`
	DoRescale     bool       `json:"do_rescale"`
	DoNormalize   bool       `json:"do_normalize"`
	Size          ImageSize  `json:"size"`
	Resample      int        `json:"resample"`
	RescaleFactor float64    `json:"rescale_factor"`
	ImageMean     [3]float32 `json:"image_mean"`
	ImageStd      [3]float32 `json:"image_std"`
}

// DefaultImageConfig returns SiglipImageProcessor's defaults for images of
// side size (the tower's image_size) and the given PIL filter.
func DefaultImageConfig(size int, resample media.Filter) ImageConfig {
	return ImageConfig{
		DoConvertRGB: true, DoResize: true, DoRescale: true, DoNormalize: true,
		Size: ImageSize{Height: size, Width: size}, Resample: int(resample), RescaleFactor: media.Rescale255,
		ImageMean: media.SigLIPMean, ImageStd: media.SigLIPStd,
	}
}

// ParseImageConfig decodes an image processor object over c and validates
// the result.
func ParseImageConfig(raw []byte, c ImageConfig) (ImageConfig, error) {
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c); err != nil {
			return c, fmt.Errorf("siglip image processor config: %w", err)
		}
	}
	if err := checkMeanStd(raw, c.ImageStd); err != nil {
		return c, fmt.Errorf("siglip image processor config: %w", err)
	}
	if c.Size.Height <= 0 || c.Size.Width <= 0 {
		return c, fmt.Errorf("siglip image processor config: size %dx%d must be positive", c.Size.Width, c.Size.Height)
	}
	if !media.Filter(c.Resample).Valid() {
		return c, fmt.Errorf("siglip image processor config: resample %d is not a PIL filter", c.Resample)
	}
	return c, nil
}

// LoadOptions returns the media options matching do_convert_rgb:
// transformers composites transparent images over white.
func (c ImageConfig) LoadOptions() media.LoadOptions {
	var opt media.LoadOptions
	if c.DoConvertRGB {
		opt.Alpha = media.AlphaOnWhite
	}
	return opt
}

// Load loads one image source with the configured alpha handling, as a
// KindImageProcessing error on failure.
func (c ImageConfig) Load(ctx context.Context, src vlm.ImageSource) (*media.Image, error) {
	return src.Load(ctx, c.LoadOptions())
}

// Pixels resizes m to Size (when do_resize) and returns planar float32
// [3, H, W] rescaled and normalised in float32 as the PIL backend does.
func (c ImageConfig) Pixels(m *media.Image) ([]float32, error) {
	if c.DoResize && (m.W != c.Size.Width || m.H != c.Size.Height) {
		r, err := media.Resize(m, c.Size.Width, c.Size.Height, media.Filter(c.Resample))
		if err != nil {
			return nil, err
		}
		m = r
	}
	if m.W != c.Size.Width || m.H != c.Size.Height {
		return nil, fmt.Errorf("siglip: image is %dx%d and do_resize is off, the tower needs %dx%d", m.W, m.H, c.Size.Width, c.Size.Height)
	}
	scale := 1.0
	if c.DoRescale {
		scale = c.RescaleFactor
	}
	mean, std := [3]float32{}, [3]float32{1, 1, 1}
	if c.DoNormalize {
		mean, std = c.ImageMean, c.ImageStd
	}
	return media.ToCHW(m, scale, mean, std), nil
}

// checkMeanStd rejects an image_mean or image_std of other than three
// values (JSON would fill a [3]float32 silently) and a zero deviation.
func checkMeanStd(raw []byte, std [3]float32) error {
	var lists struct {
		Mean *[]float32 `json:"image_mean"`
		Std  *[]float32 `json:"image_std"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &lists); err != nil {
			return err
		}
	}
	for _, l := range []struct {
		name string
		v    *[]float32
	}{{"image_mean", lists.Mean}, {"image_std", lists.Std}} {
		if l.v != nil && len(*l.v) != 3 {
			return fmt.Errorf("%s: want 3 values, got %d", l.name, len(*l.v))
		}
	}
	if std[0] == 0 || std[1] == 0 || std[2] == 0 {
		return fmt.Errorf("image_std %v: zero standard deviation", std)
	}
	return nil
}
