package media

import (
	"fmt"
	"math"
)

// Processing is a user's hint about how an image should be sized before
// the model's own preprocessing (MLX's UserInput.Processing).
type Processing struct {
	// Resize, when set, scales the image to the best fit inside this size,
	// keeping the aspect ratio (up or down).
	Resize *Size
	// MinPixels and MaxPixels, when positive, bound W*H after Resize: the
	// image is scaled up or down uniformly (sides rounded up for the minimum,
	// down for the maximum) to respect them.
	MinPixels, MaxPixels int
}

// Apply resizes m according to p with Bicubic resampling and returns it
// (m itself when nothing changes). A result of more than DefaultMaxPixels
// pixels is a *SizeError (a hint must not make a decompression bomb).
func Apply(m *Image, p Processing) (*Image, error) {
	if m.W <= 0 || m.H <= 0 {
		return nil, &SizeError{Op: "apply", Reason: fmt.Sprintf("empty image %dx%d", m.W, m.H)}
	}
	if p.MinPixels > 0 && p.MaxPixels > 0 && p.MinPixels > p.MaxPixels {
		return nil, &SizeError{Op: "apply", Reason: fmt.Sprintf("min pixels %d > max pixels %d", p.MinPixels, p.MaxPixels)}
	}
	size := m.Size()
	if p.Resize != nil {
		if p.Resize.W <= 0 || p.Resize.H <= 0 {
			return nil, &SizeError{Op: "apply", Reason: fmt.Sprintf("resize hint %v must be positive", *p.Resize)}
		}
		size = BestFit(size, *p.Resize)
	}
	size = PixelBounds(size, p.MinPixels, p.MaxPixels)
	if float64(size.W)*float64(size.H) > DefaultMaxPixels {
		return nil, &SizeError{Op: "apply", Reason: fmt.Sprintf("%v from %v is over the limit of %d pixels", size, m.Size(), DefaultMaxPixels)}
	}
	if size == m.Size() {
		return m, nil
	}
	return Resize(m, size.W, size.H, Bicubic)
}

// PixelBounds scales size uniformly so that its area is at most maxPixels
// (sides rounded down) and at least minPixels (sides rounded up); a bound
// <= 0 is ignored. Sides stay at least 1.
func PixelBounds(size Size, minPixels, maxPixels int) Size {
	area := float64(size.Area())
	if maxPixels > 0 && area > float64(maxPixels) {
		s := math.Sqrt(float64(maxPixels) / area)
		size = Size{W: max(1, int(float64(size.W)*s)), H: max(1, int(float64(size.H)*s))}
	} else if minPixels > 0 && area < float64(minPixels) {
		s := math.Sqrt(float64(minPixels) / area)
		size = Size{W: int(math.Ceil(float64(size.W) * s)), H: int(math.Ceil(float64(size.H) * s))}
	}
	return size
}
