package media

import (
	"image"

	"github.com/govlm/govlm/internal/parallel"
)

// Lossy WebP colour reconstruction the way libwebp (and so PIL) does it. VP8
// stores limited-range BT.601 YUV 4:2:0, which the standard library's JFIF
// formula would render with the wrong contrast. libwebp upsamples chroma with
// its "fancy" 9-3-3-1 filter and converts with 14-bit fixed-point constants;
// both are reproduced here on the planes x/image/webp decodes.

const webpFix = 6 // libwebp's YUV_FIX2

func webpClip(v int32) uint8 {
	if v&^((256<<webpFix)-1) == 0 {
		return uint8(v >> webpFix)
	}
	if v < 0 {
		return 0
	}
	return 255
}

func mulHi(v uint8, c int32) int32 { return (int32(v) * c) >> 8 }

func webpRGB(y, u, v uint8) (uint8, uint8, uint8) {
	yy := mulHi(y, 19077)
	return webpClip(yy + mulHi(v, 26149) - 14234),
		webpClip(yy - mulHi(u, 6419) - mulHi(v, 13320) + 8708),
		webpClip(yy + mulHi(u, 33050) - 17685)
}

// fromWebPYCbCr converts a lossy WebP decode (4:2:0, optional alpha) to RGB.
// Other layouts fall back to FromImage.
func fromWebPYCbCr(s *image.YCbCr, alpha *image.NYCbCrA, mode AlphaMode) *Image {
	b := s.Bounds()
	if s.SubsampleRatio != image.YCbCrSubsampleRatio420 || b.Min != (image.Point{}) {
		if alpha != nil {
			return FromImage(alpha, mode)
		}
		return FromImage(s, mode)
	}
	w, h := b.Dx(), b.Dy()
	out := NewImage(w, h)
	ch := (h + 1) / 2
	parallel.For(h, 16, func(lo, hi int) {
		u := make([]uint8, w)
		v := make([]uint8, w)
		for y := lo; y < hi; y++ {
			top, cur, isTop := webpChromaRows(y, h, ch)
			webpUpsampleRow(s.Cb[top*s.CStride:], s.Cb[cur*s.CStride:], isTop, u)
			webpUpsampleRow(s.Cr[top*s.CStride:], s.Cr[cur*s.CStride:], isTop, v)
			yrow := s.Y[y*s.YStride:]
			d := out.Pix[3*y*w:]
			for x := 0; x < w; x++ {
				r, g, bl := webpRGB(yrow[x], u[x], v[x])
				if alpha != nil {
					r, g, bl = applyAlpha(r, g, bl, alpha.A[y*alpha.AStride+x], mode)
				}
				d[3*x], d[3*x+1], d[3*x+2] = r, g, bl
			}
		}
	})
	return out
}

// webpChromaRows returns the two chroma rows libwebp blends for output row y
// and whether y is the upper row of its pair (leaning 3:1 towards top).
// The first row, and the last row of an even-height image, use one chroma
// row only.
func webpChromaRows(y, h, ch int) (top, cur int, isTop bool) {
	switch {
	case y == 0:
		return 0, 0, true
	case y&1 == 1 && y == h-1:
		r := min(y/2, ch-1)
		return r, r, true
	case y&1 == 1:
		return (y - 1) / 2, (y + 1) / 2, true
	default:
		return y/2 - 1, y / 2, false
	}
}

// webpUpsampleRow is libwebp's fancy upsampler for one output row: out gets
// len(out) samples interpolated from chroma rows top and cur.
func webpUpsampleRow(top, cur []uint8, isTop bool, out []uint8) {
	n := len(out)
	tl, l := int32(top[0]), int32(cur[0])
	edge := func(tl, l int32) uint8 {
		if isTop {
			return uint8((3*tl + l + 2) >> 2)
		}
		return uint8((3*l + tl + 2) >> 2)
	}
	out[0] = edge(tl, l)
	for x := 1; x <= (n-1)>>1; x++ {
		t, c := int32(top[x]), int32(cur[x])
		avg := tl + t + l + c + 8
		d12 := (avg + 2*(t+l)) >> 3
		d03 := (avg + 2*(tl+c)) >> 3
		if isTop {
			out[2*x-1] = uint8((d12 + tl) >> 1)
			out[2*x] = uint8((d03 + t) >> 1)
		} else {
			out[2*x-1] = uint8((d03 + l) >> 1)
			out[2*x] = uint8((d12 + c) >> 1)
		}
		tl, l = t, c
	}
	if n&1 == 0 {
		out[n-1] = edge(tl, l)
	}
}
