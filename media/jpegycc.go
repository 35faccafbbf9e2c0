package media

import (
	"image"

	"github.com/govlm/govlm/internal/parallel"
)

// JPEG colour reconstruction the way libjpeg(-turbo), and so PIL, does it:
// "fancy" triangular chroma upsampling for 2×1, 2×2 and 1×2 subsampling
// (3/4 of the nearer sample plus 1/4 of the further one, with libjpeg's
// alternating rounding biases and edge-replicated context), then the
// 16-bit fixed-point YCbCr→RGB tables of jdcolor.c. Go's decoder supplies the
// Y, Cb and Cr planes; only its IDCT differs from libjpeg's islow IDCT.

const yccScale = 16

func yccFix(x float64) int32 { return int32(x*(1<<yccScale) + 0.5) }

// ycc holds libjpeg's conversion tables, indexed by the 8-bit sample.
var ycc = func() (t struct{ crR, cbB, crG, cbG [256]int32 }) {
	const half = 1 << (yccScale - 1)
	for i := 0; i < 256; i++ {
		x := int32(i - 128)
		t.crR[i] = (yccFix(1.40200)*x + half) >> yccScale
		t.cbB[i] = (yccFix(1.77200)*x + half) >> yccScale
		t.crG[i] = -yccFix(0.71414) * x
		t.cbG[i] = -yccFix(0.34414)*x + half
	}
	return t
}()

func clamp8(v int32) uint8 {
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}

// fromJPEGYCbCr converts a decoded JPEG's planes to RGB like libjpeg.
func fromJPEGYCbCr(s *image.YCbCr) *Image {
	b := s.Bounds()
	w, h := b.Dx(), b.Dy()
	out := NewImage(w, h)
	if b.Min != (image.Point{}) {
		// Sub-images do not come out of the decoder; use the generic path.
		return FromImage(s, AlphaDrop)
	}
	cw := (w + 1) / 2
	fancyH := s.SubsampleRatio == image.YCbCrSubsampleRatio422 || s.SubsampleRatio == image.YCbCrSubsampleRatio420
	if fancyH && cw <= 2 {
		// libjpeg falls back to replication for such narrow chroma.
		return fromYCbCrReplicated(s, out)
	}
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440:
	default:
		return fromYCbCrReplicated(s, out)
	}
	ch := len(s.Cb) / s.CStride
	parallel.For(h, 16, func(lo, hi int) {
		cb := make([]uint8, w+1)
		cr := make([]uint8, w+1)
		cs := make([]int32, cw)
		for y := lo; y < hi; y++ {
			upsampleRow(s, s.Cb, y, w, ch, cs, cb)
			upsampleRow(s, s.Cr, y, w, ch, cs, cr)
			yrow := s.Y[y*s.YStride : y*s.YStride+w]
			d := out.Pix[3*y*w : 3*(y+1)*w]
			cbr, crr := cb[:len(yrow)], cr[:len(yrow)]
			for x, yv := range yrow {
				yy := int32(yv)
				b, r := cbr[x], crr[x]
				p := d[3*x : 3*x+3 : 3*x+3]
				p[0] = clamp8(yy + ycc.crR[r])
				p[1] = clamp8(yy + (ycc.cbG[b]+ycc.crG[r])>>yccScale)
				p[2] = clamp8(yy + ycc.cbB[b])
			}
		}
	})
	return out
}

// upsampleRow writes the full-resolution chroma of output row y into dst
// (at least w+1 long). cs is scratch of the chroma plane's width.
func upsampleRow(s *image.YCbCr, plane []uint8, y, w, ch int, cs []int32, dst []uint8) {
	switch s.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
		copy(dst[:w], plane[y*s.CStride:])
	case image.YCbCrSubsampleRatio422:
		row := plane[y*s.CStride:]
		for i := range cs {
			cs[i] = int32(row[i])
		}
		fancyH1(cs, dst)
	case image.YCbCrSubsampleRatio420:
		near, far := vertNeighbours(y, ch)
		r0, r1 := plane[near*s.CStride:], plane[far*s.CStride:]
		for i := range cs {
			cs[i] = 3*int32(r0[i]) + int32(r1[i])
		}
		fancyH2(cs, dst)
	case image.YCbCrSubsampleRatio440:
		near, far := vertNeighbours(y, ch)
		r0, r1 := plane[near*s.CStride:], plane[far*s.CStride:]
		bias := int32(1)
		if y&1 == 1 {
			bias = 2
		}
		for x := 0; x < w; x++ {
			dst[x] = uint8((3*int32(r0[x]) + int32(r1[x]) + bias) >> 2)
		}
	}
}

// vertNeighbours returns the nearer and further chroma rows for output row y
// of a vertically 2× subsampled plane with ch rows, replicating the edges.
func vertNeighbours(y, ch int) (near, far int) {
	near = y / 2
	if y&1 == 0 {
		far = max(near-1, 0)
	} else {
		far = min(near+1, ch-1)
	}
	return near, far
}

// fancyH1 is libjpeg's h2v1 horizontal triangle filter on raw samples.
func fancyH1(in []int32, out []uint8) {
	n := len(in)
	out[0] = uint8(in[0])
	for i := 0; i < n; i++ {
		t := 3 * in[i]
		if i > 0 {
			out[2*i] = uint8((t + in[i-1] + 1) >> 2)
		}
		if i < n-1 {
			out[2*i+1] = uint8((t + in[i+1] + 2) >> 2)
		}
	}
	out[2*n-1] = uint8(in[n-1])
}

// fancyH2 is the horizontal half of libjpeg's h2v2 filter on column sums
// (3*near + far), dividing by 16 with biases 8 and 7. len(cs) >= 2.
func fancyH2(cs []int32, out []uint8) {
	n := len(cs)
	out = out[:2*n]
	prev, cur := cs[0], cs[0]
	for i, next := range cs[1:] {
		o := out[2*i : 2*i+2 : 2*i+2]
		t := 3 * cur
		o[0] = uint8((t + prev + 8) >> 4)
		o[1] = uint8((t + next + 7) >> 4)
		prev, cur = cur, next
	}
	t := 3 * cur
	out[2*n-2] = uint8((t + prev + 8) >> 4)
	out[2*n-1] = uint8((t + cur + 7) >> 4)
}

// fromYCbCrReplicated converts with replicated chroma and libjpeg's tables.
func fromYCbCrReplicated(s *image.YCbCr, out *Image) *Image {
	w, h := out.W, out.H
	parallel.For(h, 16, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			d := out.Pix[3*y*w:]
			for x := 0; x < w; x++ {
				yy := int32(s.Y[s.YOffset(x, y)])
				ci := s.COffset(x, y)
				cb, cr := s.Cb[ci], s.Cr[ci]
				d[3*x] = clamp8(yy + ycc.crR[cr])
				d[3*x+1] = clamp8(yy + (ycc.cbG[cb]+ycc.crG[cr])>>yccScale)
				d[3*x+2] = clamp8(yy + ycc.cbB[cb])
			}
		}
	})
	return out
}
