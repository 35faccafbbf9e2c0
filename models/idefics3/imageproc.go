package idefics3

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/govlm/govlm/media"
)

// maxImageSide is transformers' MAX_IMAGE_SIZE: no resized side exceeds it.
const maxImageSide = 4096

// edgeSize is a size object of a preprocessor config: {"longest_edge": n}
// or {"height": h, "width": w}.
type edgeSize struct {
	LongestEdge int `json:"longest_edge"`
	Height      int `json:"height"`
	Width       int `json:"width"`
}

// ImageConfig is the image processor configuration of Idefics3ImageProcessor
// / SmolVLMImageProcessor (either on-disk layout), with transformers'
// defaults for absent fields.
type ImageConfig struct {
	DoConvertRGB     bool       `json:"do_convert_rgb"`
	DoResize         bool       `json:"do_resize"`
	DoRescale        bool       `json:"do_rescale"`
	DoNormalize      bool       `json:"do_normalize"`
	DoImageSplitting bool       `json:"do_image_splitting"`
	DoPad            bool       `json:"do_pad"`
	Size             edgeSize   `json:"size"`
	MaxImageSize     edgeSize   `json:"max_image_size"`
	Resample         int        `json:"resample"`
	RescaleFactor    float64    `json:"rescale_factor"`
	ImageMean        [3]float32 `json:"image_mean"`
	ImageStd         [3]float32 `json:"image_std"`
}

// DefaultImageConfig returns the defaults of Idefics3ImageProcessor.
func DefaultImageConfig() ImageConfig {
	return ImageConfig{
		DoConvertRGB: true, DoResize: true, DoRescale: true, DoNormalize: true, DoImageSplitting: true, DoPad: true,
		Size: edgeSize{LongestEdge: 4 * 364}, MaxImageSize: edgeSize{LongestEdge: 364},
		Resample: int(media.Lanczos), RescaleFactor: media.Rescale255,
		ImageMean: media.SigLIPMean, ImageStd: media.SigLIPStd,
	}
}

// ParseImageConfig decodes an image processor object over the defaults.
func ParseImageConfig(raw []byte) (ImageConfig, error) {
	c := DefaultImageConfig()
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c); err != nil {
			return c, fmt.Errorf("idefics3 image processor config: %w", err)
		}
	}
	if err := checkMeanStd(raw, c.ImageStd); err != nil {
		return c, fmt.Errorf("idefics3 image processor config: %w", err)
	}
	if c.MaxImageSize.LongestEdge <= 0 {
		return c, fmt.Errorf("idefics3 image processor config: max_image_size.longest_edge must be positive, got %d", c.MaxImageSize.LongestEdge)
	}
	if !media.Filter(c.Resample).Valid() {
		return c, fmt.Errorf("idefics3 image processor config: resample %d is not a PIL filter", c.Resample)
	}
	return c, nil
}

// Tiles is one image after preprocessing: its tiles in order (row-major
// crops, then the global image when split) and the split grid (0×0 when
// the image is a single tile).
type Tiles struct {
	Images     []*media.Image
	Rows, Cols int
}

// rescaleToMaxLen fits the longest side to maxLen keeping the aspect ratio,
// rounding the other side up to an even number (transformers'
// _resize_output_size_rescale_to_max_len).
func rescaleToMaxLen(h, w, maxLen int) (int, int) {
	aspect := float64(w) / float64(h)
	if w >= h {
		w = maxLen
		h = int(float64(w) / aspect)
		if h%2 != 0 {
			h++
		}
	} else {
		h = maxLen
		w = int(float64(h) * aspect)
		if w%2 != 0 {
			w++
		}
	}
	return max(h, 1), max(w, 1)
}

// scaleBelow shrinks a size whose longest side exceeds maxLen
// (_resize_output_size_scale_below_upper_bound).
func scaleBelow(h, w, maxLen int) (int, int) {
	aspect := float64(w) / float64(h)
	if w >= h && w > maxLen {
		w = maxLen
		h = int(float64(w) / aspect)
	} else if h > w && h > maxLen {
		h = maxLen
		w = int(float64(h) * aspect)
	}
	return max(h, 1), max(w, 1)
}

// visionEncoderSize rounds both sides up to multiples of the tile size
// (resize_for_vision_encoder).
func visionEncoderSize(h, w, tile int) (int, int) {
	aspect := float64(w) / float64(h)
	ceilTo := func(v float64) int { return int(math.Ceil(v/float64(tile))) * tile }
	if w >= h {
		w = ceilTo(float64(w))
		h = int(float64(w) / aspect)
		h = ceilTo(float64(h))
	} else {
		h = ceilTo(float64(h))
		w = int(float64(h) * aspect)
		w = ceilTo(float64(w))
	}
	return max(h, tile), max(w, tile)
}

// Preprocess resizes and splits one image as the PIL backend of
// Idefics3ImageProcessor does: longest edge to size.longest_edge (even
// short side), both sides up to multiples of max_image_size, crops of
// max_image_size row by row plus the whole image squeezed to one tile; an
// image of one tile is not split. Without splitting the image is squeezed
// to one tile.
func (c ImageConfig) Preprocess(img *media.Image) (Tiles, error) {
	f := media.Filter(c.Resample)
	tile := c.MaxImageSize.LongestEdge
	h, w := img.H, img.W
	resize := func(m *media.Image, w, h int) (*media.Image, error) {
		if m.W == w && m.H == h {
			return m, nil
		}
		return media.Resize(m, w, h, f)
	}
	var err error
	if c.DoResize {
		switch {
		case c.Size.LongestEdge > 0:
			h, w = rescaleToMaxLen(h, w, c.Size.LongestEdge)
			h, w = scaleBelow(h, w, maxImageSide)
		case c.Size.Height > 0 && c.Size.Width > 0:
			h, w = c.Size.Height, c.Size.Width
		default:
			return Tiles{}, fmt.Errorf("idefics3: size needs longest_edge or height and width")
		}
		if img, err = resize(img, w, h); err != nil {
			return Tiles{}, err
		}
	}
	if !c.DoImageSplitting {
		g, err := resize(img, tile, tile)
		if err != nil {
			return Tiles{}, err
		}
		return Tiles{Images: []*media.Image{g}}, nil
	}
	h, w = visionEncoderSize(img.H, img.W, tile)
	if img, err = resize(img, w, h); err != nil {
		return Tiles{}, err
	}
	if h <= tile && w <= tile {
		return Tiles{Images: []*media.Image{img}}, nil
	}
	rows, cols := (h-tile)/tile+1, (w-tile)/tile+1
	out := Tiles{Rows: rows, Cols: cols}
	for r := range rows {
		for col := range cols {
			t, err := media.Crop(img, media.Rect{X: col * tile, Y: r * tile, W: tile, H: tile})
			if err != nil {
				return Tiles{}, err
			}
			out.Images = append(out.Images, t)
		}
	}
	g, err := resize(img, tile, tile)
	if err != nil {
		return Tiles{}, err
	}
	out.Images = append(out.Images, g)
	return out, nil
}

// Pixels converts a tile to planar float32 [3, S, S] with the configured
// rescale and normalisation.
func (c ImageConfig) Pixels(m *media.Image) []float32 {
	scale := 1.0
	if c.DoRescale {
		scale = c.RescaleFactor
	}
	mean, std := [3]float32{}, [3]float32{1, 1, 1}
	if c.DoNormalize {
		mean, std = c.ImageMean, c.ImageStd
	}
	return media.ToCHW(m, scale, mean, std)
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
