package media

import (
	"image"
	"image/color"

	"github.com/govlm/govlm/internal/parallel"
)

// AlphaMode says how transparency is removed when an image becomes RGB.
type AlphaMode int

const (
	// AlphaDrop discards alpha and keeps the stored (unpremultiplied) colour,
	// as PIL's Image.convert("RGB") does.
	AlphaDrop AlphaMode = iota
	// AlphaOnWhite composites the image over an opaque white background with
	// PIL's Image.alpha_composite integer arithmetic, as transformers'
	// image_transforms.convert_to_rgb does for every non-RGB PIL image.
	AlphaOnWhite
)

// String names the mode.
func (a AlphaMode) String() string {
	switch a {
	case AlphaDrop:
		return "drop"
	case AlphaOnWhite:
		return "on-white"
	}
	return "AlphaMode(?)"
}

// onWhite composites colour channel c with alpha a over white exactly as
// PIL's ImagingAlphaComposite does with an opaque white destination: its
// 7-bit extra precision and rounded divisions by 255 included.
func onWhite(c, a uint8) uint8 {
	if a == 0 {
		return 255
	}
	const prec = 7
	sa := uint32(a)
	// With an opaque destination, PIL's coefficients reduce exactly to
	// coef1 = sa<<7 and coef2 = (255-sa)<<7.
	t := uint32(c)*(sa<<prec) + 255*((255-sa)<<prec) + (0x80 << prec)
	return uint8((((t >> 8) + t) >> 8) >> prec)
}

// applyAlpha removes alpha from one unpremultiplied pixel.
func applyAlpha(r, g, b, a uint8, mode AlphaMode) (uint8, uint8, uint8) {
	if mode == AlphaOnWhite && a != 0xff {
		return onWhite(r, a), onWhite(g, a), onWhite(b, a)
	}
	return r, g, b
}

// unpremul8 undoes premultiplication of a 16-bit channel by a 16-bit alpha
// and returns the high byte, as color.NRGBAModel would.
func unpremul16(c, a uint32) uint8 {
	if a == 0xffff {
		return uint8(c >> 8)
	}
	if a == 0 {
		return 0
	}
	return uint8(((c * 0xffff) / a) >> 8)
}

// cmykToRGB converts one CMYK pixel (0 = no ink) as PIL's cmyk2rgb does:
// each channel is (255-k) - round((255-k)*ink/255), clipped.
func cmykToRGB(c, m, y, k uint8) (uint8, uint8, uint8) {
	nk := 255 - int(k)
	f := func(ink uint8) uint8 {
		t := int(ink)*nk + 128
		v := nk - (((t >> 8) + t) >> 8)
		return uint8(max(0, min(255, v)))
	}
	return f(c), f(m), f(y)
}

// gray16ToGray converts a 16-bit grey sample the way PIL converts its
// 16/32-bit integer grey modes ("I;16", "I") to RGB: values above 255 clip to
// 255. PIL does not rescale, so a full-range 16-bit image turns mostly white;
// this is faithful to the reference, not a recommendation.
func gray16ToGray(v uint16) uint8 {
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// FromImage converts any image.Image to a packed RGB Image using PIL's
// conversion rules, with alpha handled as mode says. Common types
// (*image.YCbCr, *image.NYCbCrA, *image.RGBA, *image.NRGBA, *image.Gray,
// *image.Gray16, *image.RGBA64, *image.NRGBA64, *image.Paletted,
// *image.CMYK) are converted by direct loops over their pixel slices;
// others go through color.NRGBAModel.
//
// 16-bit colour channels keep their high byte (PIL's ";16B" unpackers); 16-bit
// grey clips at 255 (see gray16ToGray). *image.YCbCr uses the standard
// library's JFIF conversion with chroma replication; images decoded from JPEG
// by [Decode] use a libjpeg-compatible path instead.
func FromImage(src image.Image, mode AlphaMode) *Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	out := NewImage(w, h)
	rows := func(fn func(y int, dst []uint8)) {
		parallel.For(h, max(1, 65536/max(1, w)), func(lo, hi int) {
			for y := lo; y < hi; y++ {
				fn(y, out.Pix[3*y*w:3*(y+1)*w])
			}
		})
	}
	switch s := src.(type) {
	case *image.RGBA:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				r, g, bl, a := p[4*x], p[4*x+1], p[4*x+2], p[4*x+3]
				if a != 0xff {
					// Premultiplied: recover the straight colour first.
					r, g, bl = unpremul16(uint32(r)*0x101, uint32(a)*0x101),
						unpremul16(uint32(g)*0x101, uint32(a)*0x101),
						unpremul16(uint32(bl)*0x101, uint32(a)*0x101)
				}
				dst[3*x], dst[3*x+1], dst[3*x+2] = applyAlpha(r, g, bl, a, mode)
			}
		})
	case *image.NRGBA:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				dst[3*x], dst[3*x+1], dst[3*x+2] = applyAlpha(p[4*x], p[4*x+1], p[4*x+2], p[4*x+3], mode)
			}
		})
	case *image.Gray:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				v := p[x]
				dst[3*x], dst[3*x+1], dst[3*x+2] = v, v, v
			}
		})
	case *image.Gray16:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				v := gray16ToGray(uint16(p[2*x])<<8 | uint16(p[2*x+1]))
				dst[3*x], dst[3*x+1], dst[3*x+2] = v, v, v
			}
		})
	case *image.RGBA64:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				q := p[8*x : 8*x+8]
				a := uint32(q[6])<<8 | uint32(q[7])
				r := unpremul16(uint32(q[0])<<8|uint32(q[1]), a)
				g := unpremul16(uint32(q[2])<<8|uint32(q[3]), a)
				bl := unpremul16(uint32(q[4])<<8|uint32(q[5]), a)
				dst[3*x], dst[3*x+1], dst[3*x+2] = applyAlpha(r, g, bl, uint8(a>>8), mode)
			}
		})
	case *image.NRGBA64:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				q := p[8*x : 8*x+8]
				dst[3*x], dst[3*x+1], dst[3*x+2] = applyAlpha(q[0], q[2], q[4], q[6], mode)
			}
		})
	case *image.CMYK:
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				dst[3*x], dst[3*x+1], dst[3*x+2] = cmykToRGB(p[4*x], p[4*x+1], p[4*x+2], p[4*x+3])
			}
		})
	case *image.Paletted:
		var lut [256][3]uint8
		for i, c := range s.Palette {
			lut[i] = paletteRGB(c, mode)
		}
		rows(func(y int, dst []uint8) {
			p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < w; x++ {
				e := &lut[p[x]]
				dst[3*x], dst[3*x+1], dst[3*x+2] = e[0], e[1], e[2]
			}
		})
	case *image.YCbCr:
		ycbcrRows(s, b, nil, mode, rows)
	case *image.NYCbCrA:
		ycbcrRows(&s.YCbCr, b, s, mode, rows)
	default:
		rows(func(y int, dst []uint8) {
			for x := 0; x < w; x++ {
				dst[3*x], dst[3*x+1], dst[3*x+2] = rgbOf(src.At(b.Min.X+x, b.Min.Y+y), mode)
			}
		})
	}
	return out
}

// paletteRGB resolves one palette entry. Entries that are color.NRGBA (PNG
// palettes with a tRNS chunk) keep their colour under AlphaDrop, as PIL's
// P→RGB conversion does.
func paletteRGB(c color.Color, mode AlphaMode) [3]uint8 {
	var r, g, b uint8
	switch p := c.(type) {
	case color.NRGBA:
		r, g, b = applyAlpha(p.R, p.G, p.B, p.A, mode)
	case color.RGBA:
		if p.A == 0xff {
			r, g, b = p.R, p.G, p.B
		} else {
			r, g, b = rgbOf(p, mode)
		}
	default:
		r, g, b = rgbOf(c, mode)
	}
	return [3]uint8{r, g, b}
}

// ycbcrRows converts a YCbCr image (and optional alpha) with the standard
// library's JFIF formula, replicating subsampled chroma.
func ycbcrRows(s *image.YCbCr, b image.Rectangle, a *image.NYCbCrA, mode AlphaMode, rows func(func(int, []uint8))) {
	w := b.Dx()
	rows(func(y int, dst []uint8) {
		yy := b.Min.Y + y
		for x := 0; x < w; x++ {
			xx := b.Min.X + x
			yi, ci := s.YOffset(xx, yy), s.COffset(xx, yy)
			r, g, bl := color.YCbCrToRGB(s.Y[yi], s.Cb[ci], s.Cr[ci])
			if a != nil {
				r, g, bl = applyAlpha(r, g, bl, a.A[a.AOffset(xx, yy)], mode)
			}
			dst[3*x], dst[3*x+1], dst[3*x+2] = r, g, bl
		}
	})
}
