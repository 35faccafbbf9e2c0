package gemma3

import (
	"fmt"
	"math"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/siglip"
)

// ImageConfig is Gemma3ImageProcessor's configuration: SigLIP's fixed
// resize (bilinear by default) plus the optional pan-and-scan crops.
type ImageConfig struct {
	siglip.ImageConfig
	DoPanAndScan bool `json:"do_pan_and_scan"`
	// PanAndScanMinCropSize is the smallest crop side, MaxNumCrops the
	// most crops, MinRatioToActivate the aspect ratio from which images
	// are cropped.
	PanAndScanMinCropSize        int     `json:"pan_and_scan_min_crop_size"`
	PanAndScanMaxNumCrops        int     `json:"pan_and_scan_max_num_crops"`
	PanAndScanMinRatioToActivate float64 `json:"pan_and_scan_min_ratio_to_activate"`
}

// DefaultImageConfig returns Gemma3ImageProcessor's defaults for a tower of
// the given image size.
func DefaultImageConfig(size int) ImageConfig {
	return ImageConfig{
		ImageConfig:           siglip.DefaultImageConfig(size, media.Bilinear),
		PanAndScanMinCropSize: 256, PanAndScanMaxNumCrops: 4, PanAndScanMinRatioToActivate: 1.2,
	}
}

// ParseImageConfig decodes an image processor object (either layout) over
// the defaults for a tower of the given image size.
func ParseImageConfig(raw []byte, size int) (ImageConfig, error) {
	c := DefaultImageConfig(size)
	base, err := siglip.ParseImageConfig(raw, c.ImageConfig)
	if err != nil {
		return c, err
	}
	if err := jsonUnmarshalIfAny(raw, &c); err != nil {
		return c, fmt.Errorf("gemma3 image processor config: %w", err)
	}
	c.ImageConfig = base
	if c.PanAndScanMaxNumCrops < 0 || c.PanAndScanMinCropSize < 0 {
		return c, fmt.Errorf("gemma3 image processor config: negative pan-and-scan limits")
	}
	return c, nil
}

// PanAndScan returns the crops of img that Gemma3ImageProcessor adds next
// to the whole image: along the longer side, about one crop per multiple of
// the shorter side (at least 2, at most PanAndScanMaxNumCrops, none below
// PanAndScanMinCropSize), for images whose aspect ratio reaches
// PanAndScanMinRatioToActivate. It returns no crops otherwise.
func (c ImageConfig) PanAndScan(img *media.Image) ([]*media.Image, error) {
	w, h := float64(img.W), float64(img.H)
	minSide := float64(c.PanAndScanMinCropSize)
	cropsW, cropsH := 1, 1
	if w >= h {
		if w/h < c.PanAndScanMinRatioToActivate {
			return nil, nil
		}
		cropsW = int(math.Floor(w/h + 0.5))
		cropsW = int(math.Floor(math.Min(math.Floor(w/minSide), float64(cropsW))))
		cropsW = min(max(2, cropsW), c.PanAndScanMaxNumCrops)
	} else {
		if h/w < c.PanAndScanMinRatioToActivate {
			return nil, nil
		}
		cropsH = int(math.Floor(h/w + 0.5))
		cropsH = int(math.Floor(math.Min(math.Floor(h/minSide), float64(cropsH))))
		cropsH = min(max(2, cropsH), c.PanAndScanMaxNumCrops)
	}
	if cropsW <= 0 || cropsH <= 0 {
		return nil, nil
	}
	cw := int(math.Ceil(w / float64(cropsW)))
	ch := int(math.Ceil(h / float64(cropsH)))
	if min(cw, ch) < c.PanAndScanMinCropSize {
		return nil, nil
	}
	var out []*media.Image
	for r := range cropsH {
		for col := range cropsW {
			x, y := col*cw, r*ch
			crop, err := media.Crop(img, media.Rect{X: x, Y: y, W: min(cw, img.W-x), H: min(ch, img.H-y)})
			if err != nil {
				return nil, err
			}
			out = append(out, crop)
		}
	}
	return out, nil
}
