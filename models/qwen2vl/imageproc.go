package qwen2vl

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/govlm/govlm/media"
)

// ImageConfig is the Qwen2-VL image (or video) processor configuration,
// read from either on-disk layout: transformers 4.x puts min_pixels and
// max_pixels at the top level, 5.x writes size {shortest_edge,
// longest_edge}; flat values win, as in 4.x.
type ImageConfig struct {
	MinPixels, MaxPixels                  int
	PatchSize, MergeSize, TemporalPatches int
	Mean, Std                             [3]float32
	RescaleFactor                         float64
	Resample                              media.Filter
	DoResize, DoRescale, DoNormalize      bool
	DoConvertRGB                          bool
}

// Defaults of transformers' Qwen2-VL image and video processors.
const (
	defaultImageMinPixels = 56 * 56
	defaultImageMaxPixels = 28 * 28 * 1280
	defaultVideoMinPixels = 128 * 28 * 28
	defaultVideoMaxPixels = 768 * 28 * 28
	// maxAspectRatio is smart_resize's limit on the ratio of the sides.
	maxAspectRatio = 200
)

// ProcessorConfigError reports an unusable processor configuration value.
type ProcessorConfigError struct {
	Field  string
	Reason string
}

func (e *ProcessorConfigError) Error() string {
	return fmt.Sprintf("qwen2-vl processor config: %s: %s", e.Field, e.Reason)
}

// ParseImageConfig decodes an image (video, when video is true) processor
// object over transformers' defaults. raw may be nil.
func ParseImageConfig(raw []byte, video bool) (ImageConfig, error) {
	c := ImageConfig{
		MinPixels: defaultImageMinPixels, MaxPixels: defaultImageMaxPixels,
		PatchSize: 14, MergeSize: 2, TemporalPatches: 2,
		Mean: media.CLIPMean, Std: media.CLIPStd, RescaleFactor: media.Rescale255, Resample: media.Bicubic,
		DoResize: true, DoRescale: true, DoNormalize: true, DoConvertRGB: true,
	}
	if video {
		c.MinPixels, c.MaxPixels = defaultVideoMinPixels, defaultVideoMaxPixels
	}
	if len(raw) == 0 {
		return c, nil
	}
	var f struct {
		Size *struct {
			ShortestEdge *int `json:"shortest_edge"`
			LongestEdge  *int `json:"longest_edge"`
			MinPixels    *int `json:"min_pixels"`
			MaxPixels    *int `json:"max_pixels"`
		} `json:"size"`
		PatchSize     *int      `json:"patch_size"`
		MergeSize     *int      `json:"merge_size"`
		Temporal      *int      `json:"temporal_patch_size"`
		Mean          []float32 `json:"image_mean"`
		Std           []float32 `json:"image_std"`
		RescaleFactor *float64  `json:"rescale_factor"`
		Resample      *int      `json:"resample"`
		DoResize      *bool     `json:"do_resize"`
		DoRescale     *bool     `json:"do_rescale"`
		DoNormalize   *bool     `json:"do_normalize"`
		DoConvertRGB  *bool     `json:"do_convert_rgb"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return c, fmt.Errorf("qwen2-vl processor config: %w", err)
	}
	var flat struct {
		MinPixels *int `json:"min_pixels"`
		MaxPixels *int `json:"max_pixels"`
	}
	if err := json.Unmarshal(raw, &flat); err != nil {
		return c, fmt.Errorf("qwen2-vl processor config: %w", err)
	}
	setInt := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	setBool := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	if s := f.Size; s != nil {
		setInt(&c.MinPixels, s.ShortestEdge)
		setInt(&c.MaxPixels, s.LongestEdge)
		setInt(&c.MinPixels, s.MinPixels)
		setInt(&c.MaxPixels, s.MaxPixels)
	}
	setInt(&c.MinPixels, flat.MinPixels)
	setInt(&c.MaxPixels, flat.MaxPixels)
	setInt(&c.PatchSize, f.PatchSize)
	setInt(&c.MergeSize, f.MergeSize)
	setInt(&c.TemporalPatches, f.Temporal)
	if f.RescaleFactor != nil {
		c.RescaleFactor = *f.RescaleFactor
	}
	if f.Resample != nil {
		c.Resample = media.Filter(*f.Resample)
	}
	setBool(&c.DoResize, f.DoResize)
	setBool(&c.DoRescale, f.DoRescale)
	setBool(&c.DoNormalize, f.DoNormalize)
	setBool(&c.DoConvertRGB, f.DoConvertRGB)
	for _, p := range []struct {
		name string
		v    []float32
		dst  *[3]float32
	}{{"image_mean", f.Mean, &c.Mean}, {"image_std", f.Std, &c.Std}} {
		if p.v == nil {
			continue
		}
		if len(p.v) != 3 {
			return c, &ProcessorConfigError{Field: p.name, Reason: fmt.Sprintf("want 3 values, got %d", len(p.v))}
		}
		copy(p.dst[:], p.v)
	}
	return c, c.validate()
}

func (c *ImageConfig) validate() error {
	switch {
	case c.PatchSize <= 0:
		return &ProcessorConfigError{Field: "patch_size", Reason: fmt.Sprintf("must be positive, got %d", c.PatchSize)}
	case c.MergeSize <= 0:
		return &ProcessorConfigError{Field: "merge_size", Reason: fmt.Sprintf("must be positive, got %d", c.MergeSize)}
	case c.TemporalPatches <= 0:
		return &ProcessorConfigError{Field: "temporal_patch_size", Reason: fmt.Sprintf("must be positive, got %d", c.TemporalPatches)}
	case c.MinPixels <= 0 || c.MaxPixels < c.MinPixels:
		return &ProcessorConfigError{Field: "min_pixels/max_pixels", Reason: fmt.Sprintf("need 0 < min %d <= max %d", c.MinPixels, c.MaxPixels)}
	case !c.Resample.Valid():
		return &ProcessorConfigError{Field: "resample", Reason: fmt.Sprintf("unknown PIL filter %d", int(c.Resample))}
	case c.Std[0] == 0 || c.Std[1] == 0 || c.Std[2] == 0:
		return &ProcessorConfigError{Field: "image_std", Reason: "zero standard deviation"}
	}
	return nil
}

// Factor returns the side granularity of resized images: patch × merge.
func (c *ImageConfig) Factor() int { return c.PatchSize * c.MergeSize }

// SmartResize returns the size transformers' smart_resize gives an image
// of h×w pixels: both sides rounded (half to even) to multiples of factor,
// then scaled down (sides floored) when the area exceeds maxPixels or up
// (sides ceiled) when it is below minPixels, keeping the aspect ratio.
// Sides never fall below factor. A ratio of the sides above 200, or a
// result over media.DefaultMaxPixels, is a *media.SizeError.
func SmartResize(h, w, factor, minPixels, maxPixels int) (rh, rw int, err error) {
	if h <= 0 || w <= 0 {
		return 0, 0, &media.SizeError{Op: "smart resize", Reason: fmt.Sprintf("empty image %dx%d", w, h)}
	}
	if float64(max(h, w))/float64(min(h, w)) > maxAspectRatio {
		return 0, 0, &media.SizeError{Op: "smart resize", Reason: fmt.Sprintf("aspect ratio of %dx%d is above %d", w, h, maxAspectRatio)}
	}
	fh, fw, ff := float64(h), float64(w), float64(factor)
	rh = max(factor, int(math.RoundToEven(fh/ff))*factor)
	rw = max(factor, int(math.RoundToEven(fw/ff))*factor)
	switch {
	case rh*rw > maxPixels:
		beta := math.Sqrt(fh * fw / float64(maxPixels))
		rh = max(factor, int(math.Floor(fh/beta/ff))*factor)
		rw = max(factor, int(math.Floor(fw/beta/ff))*factor)
	case rh*rw < minPixels:
		beta := math.Sqrt(float64(minPixels) / (fh * fw))
		rh = int(math.Ceil(fh*beta/ff)) * factor
		rw = int(math.Ceil(fw*beta/ff)) * factor
	}
	if float64(rh)*float64(rw) > media.DefaultMaxPixels {
		// A huge min_pixels would otherwise ask for any size.
		return 0, 0, &media.SizeError{Op: "smart resize", Reason: fmt.Sprintf("%dx%d resized to %dx%d is over the limit of %d pixels", w, h, rw, rh, media.DefaultMaxPixels)}
	}
	return rh, rw, nil
}

// Patchify flattens frames — planar [3, h, w] float32 images of one size,
// their count a multiple of the temporal patch size — into the rows the
// vision tower takes, in the image processor's order: rows by (temporal
// group, merge-block row, merge-block column, row in block, column in
// block), each row holding (channel, frame in group, y, x) of its patch.
// It returns the rows [T·H·W, 3·tps·P·P] (flattened) and the grid.
func (c *ImageConfig) Patchify(frames [][]float32, h, w int) ([]float32, [3]int) {
	p, m, tps := c.PatchSize, c.MergeSize, c.TemporalPatches
	gt, gh, gw := len(frames)/tps, h/p, w/p
	rowLen := 3 * tps * p * p
	out := make([]float32, gt*gh*gw*rowLen)
	i := 0
	for t := range gt {
		for bh := 0; bh < gh/m; bh++ {
			for bw := 0; bw < gw/m; bw++ {
				for ih := range m {
					for iw := range m {
						y0, x0 := (bh*m+ih)*p, (bw*m+iw)*p
						for ch := range 3 {
							for f := range tps {
								plane := frames[t*tps+f][ch*h*w:]
								for y := range p {
									row := plane[(y0+y)*w+x0:]
									copy(out[i:i+p], row[:p])
									i += p
								}
							}
						}
					}
				}
			}
		}
	}
	return out, [3]int{gt, gh, gw}
}

// PreprocessImage resizes img (PIL bicubic by default) to its smart size
// within [minPixels, maxPixels], rescales and normalises it as the PIL
// image processor does, repeats it to fill one temporal patch and returns
// the flattened patches with their grid.
func (c *ImageConfig) PreprocessImage(img *media.Image, minPixels, maxPixels int) ([]float32, [3]int, error) {
	h, w := img.H, img.W
	if c.DoResize {
		rh, rw, err := SmartResize(h, w, c.Factor(), minPixels, maxPixels)
		if err != nil {
			return nil, [3]int{}, err
		}
		if rh != h || rw != w {
			if img, err = media.Resize(img, rw, rh, c.Resample); err != nil {
				return nil, [3]int{}, err
			}
		}
		h, w = rh, rw
	} else if h%c.Factor() != 0 || w%c.Factor() != 0 {
		return nil, [3]int{}, &media.SizeError{Op: "qwen2-vl patches", Reason: fmt.Sprintf("image %dx%d is not a multiple of %d and do_resize is off", w, h, c.Factor())}
	}
	scale, mean, std := c.RescaleFactor, c.Mean, c.Std
	if !c.DoRescale {
		scale = 1
	}
	if !c.DoNormalize {
		mean, std = [3]float32{}, [3]float32{1, 1, 1}
	}
	chw := media.ToCHW(img, scale, mean, std)
	frames := make([][]float32, c.TemporalPatches)
	for i := range frames {
		frames[i] = chw
	}
	rows, grid := c.Patchify(frames, h, w)
	return rows, grid, nil
}

// PreprocessVideo resizes the frames to the smart size of the first one,
// rescales and normalises them with the fused float32 mean·255 / std·255
// of transformers' torchvision video processor, repeats the last frame up
// to a multiple of the temporal patch size and returns the flattened
// patches with their grid. The resize is PIL's 8-bit one: torch's native
// uint8 antialiased bicubic, which the video processor runs, is a port of
// it that differs only in its fixed-point weight precision (at most one
// grey level on a few values).
func (c *ImageConfig) PreprocessVideo(frames []*media.Image, minPixels, maxPixels int) ([]float32, [3]int, error) {
	if len(frames) == 0 {
		return nil, [3]int{}, &media.SizeError{Op: "qwen2-vl video", Reason: "no frames"}
	}
	h, w := frames[0].H, frames[0].W
	rh, rw := h, w
	if c.DoResize {
		var err error
		if rh, rw, err = SmartResize(h, w, c.Factor(), minPixels, maxPixels); err != nil {
			return nil, [3]int{}, err
		}
	} else if h%c.Factor() != 0 || w%c.Factor() != 0 {
		return nil, [3]int{}, &media.SizeError{Op: "qwen2-vl video", Reason: fmt.Sprintf("frames %dx%d are not a multiple of %d and do_resize is off", w, h, c.Factor())}
	}
	var mean, std [3]float32
	for ch := range 3 {
		mean[ch], std[ch] = 0, 1
		switch {
		case c.DoNormalize && c.DoRescale:
			inv := float32(1 / c.RescaleFactor)
			mean[ch], std[ch] = c.Mean[ch]*inv, c.Std[ch]*inv
		case c.DoNormalize:
			mean[ch], std[ch] = c.Mean[ch], c.Std[ch]
		}
	}
	var out [][]float32
	for i, f := range frames {
		if f.H != h || f.W != w {
			return nil, [3]int{}, &media.SizeError{Op: "qwen2-vl video", Reason: fmt.Sprintf("frame %d is %dx%d, frame 0 is %dx%d", i, f.W, f.H, w, h)}
		}
		if rh != h || rw != w {
			var err error
			if f, err = media.Resize(f, rw, rh, c.Resample); err != nil {
				return nil, [3]int{}, err
			}
		}
		chw := media.ToCHW(f, 1, [3]float32{}, [3]float32{1, 1, 1})
		plane := rh * rw
		for ch := range 3 {
			p := chw[ch*plane : (ch+1)*plane]
			for j := range p {
				if c.DoNormalize {
					p[j] = (p[j] - mean[ch]) / std[ch]
				} else if c.DoRescale {
					p[j] *= float32(c.RescaleFactor)
				}
			}
		}
		out = append(out, chw)
	}
	for len(out)%c.TemporalPatches != 0 {
		out = append(out, out[len(out)-1])
	}
	rows, grid := c.Patchify(out, rh, rw)
	return rows, grid, nil
}
