package media

import (
	"fmt"
	"math"
)

// BestFitScale returns the largest factor by which size can be scaled and
// still fit inside other, keeping its aspect ratio:
// min(other.W/size.W, other.H/size.H).
func BestFitScale(size, other Size) float64 {
	return math.Min(float64(other.W)/float64(size.W), float64(other.H)/float64(size.H))
}

// BestFit returns size scaled by BestFitScale(size, other), each side
// rounded to the nearest integer (at least 1).
func BestFit(size, other Size) Size {
	s := BestFitScale(size, other)
	return Size{W: max(1, int(math.Round(float64(size.W)*s))), H: max(1, int(math.Round(float64(size.H)*s)))}
}

// AspectRatioForResample returns the horizontal stretch to apply to an image
// of size from before a uniform resample to size to: to's aspect ratio divided
// by from's. (A scale-by-height resampler given this ratio produces exactly
// to.)
func AspectRatioForResample(from, to Size) float64 {
	return (float64(to.W) / float64(to.H)) / (float64(from.W) / float64(from.H))
}

// RectSmallerOrEqual reports whether r fits in size on both axes.
func RectSmallerOrEqual(r Rect, size Size) bool {
	return r.W <= size.W && r.H <= size.H
}

// CenterCropRect returns the centred rectangle of at most size inside an
// image of size full: each side is min(full, size), offset by
// (full-side)/2 rounded down, as transformers' center_crop places it.
func CenterCropRect(full, size Size) Rect {
	w, h := min(full.W, size.W), min(full.H, size.H)
	return Rect{X: (full.W - w) / 2, Y: (full.H - h) / 2, W: w, H: h}
}

// Crop returns a copy of the pixels of m inside r, which must lie within m.
func Crop(m *Image, r Rect) (*Image, error) {
	if r.W <= 0 || r.H <= 0 || r.X < 0 || r.Y < 0 || r.X+r.W > m.W || r.Y+r.H > m.H {
		return nil, &SizeError{Op: "crop", Reason: fmt.Sprintf("rect %+v outside %dx%d image", r, m.W, m.H)}
	}
	out := NewImage(r.W, r.H)
	for y := 0; y < r.H; y++ {
		copy(out.Pix[3*y*r.W:3*(y+1)*r.W], m.Pix[3*((r.Y+y)*m.W+r.X):])
	}
	return out, nil
}

// CenterCrop crops m to the centred rectangle CenterCropRect(m.Size(), size).
// Sides larger than the image are left at the image's size (no padding).
func CenterCrop(m *Image, size Size) (*Image, error) {
	if size.W <= 0 || size.H <= 0 {
		return nil, &SizeError{Op: "center crop", Reason: fmt.Sprintf("size %v must be positive", size)}
	}
	return Crop(m, CenterCropRect(m.Size(), size))
}

// FitInShortestEdge returns the size whose shorter side is edge and whose
// longer side keeps the aspect ratio, truncated as transformers'
// get_resize_output_image_size does: int(edge * long / short).
func FitInShortestEdge(size Size, edge int) Size {
	short, long := size.W, size.H
	if short > long {
		short, long = long, short
	}
	newLong := max(1, int(float64(edge)*float64(long)/float64(short)))
	if size.W <= size.H {
		return Size{W: edge, H: newLong}
	}
	return Size{W: newLong, H: edge}
}

// FitInLongestEdge returns size unchanged when its longer side is at most
// edge, otherwise scaled so the longer side is edge and the shorter side is
// int(short * edge / long), at least 1.
func FitInLongestEdge(size Size, edge int) Size {
	short, long := size.W, size.H
	if short > long {
		short, long = long, short
	}
	if long <= edge {
		return size
	}
	newShort := max(1, int(float64(short)*float64(edge)/float64(long)))
	if size.W <= size.H {
		return Size{W: newShort, H: edge}
	}
	return Size{W: edge, H: newShort}
}

// PadToSquare returns m centred on a square canvas of side max(W, H) filled
// with fill; the offset of the image is (side-W)/2, (side-H)/2 rounded down,
// as LLaVA's expand2square pastes it. A square image is returned as a copy.
func PadToSquare(m *Image, fill RGB) *Image {
	side := max(m.W, m.H)
	out := NewImage(side, side)
	for i := 0; i < len(out.Pix); i += 3 {
		out.Pix[i], out.Pix[i+1], out.Pix[i+2] = fill.R, fill.G, fill.B
	}
	ox, oy := (side-m.W)/2, (side-m.H)/2
	for y := 0; y < m.H; y++ {
		copy(out.Pix[3*((oy+y)*side+ox):], m.Pix[3*y*m.W:3*(y+1)*m.W])
	}
	return out
}
