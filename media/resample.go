package media

import (
	"fmt"

	"github.com/govlm/govlm/internal/parallel"
)

// precisionBits is PIL's fixed-point precision for 8-bit resampling: the
// taps are integers scaled by 2^22, leaving room for 8-bit samples and sign.
const precisionBits = 32 - 8 - 2

// fixedWeights are weights rounded to PIL's 22-bit fixed point.
type fixedWeights struct {
	start, n []int
	w        []int32
	stride   int
}

func toFixed(ws weights) fixedWeights {
	fw := fixedWeights{start: ws.start, n: ws.n, w: make([]int32, len(ws.w)), stride: ws.stride}
	for i, v := range ws.w {
		if v < 0 {
			fw.w[i] = int32(-0.5 + v*(1<<precisionBits))
		} else {
			fw.w[i] = int32(0.5 + v*(1<<precisionBits))
		}
	}
	return fw
}

// clipFixed converts an accumulated fixed-point sum (which started at the
// rounding bias) to a clamped 8-bit sample.
func clipFixed(v int32) uint8 {
	if v >= 1<<precisionBits<<8 {
		return 255
	}
	if v <= 0 {
		return 0
	}
	return uint8(v >> precisionBits)
}

// Resize resamples m to w×h as PIL's Image.resize(size, filter) does for an
// RGB image, bit for bit up to differences in the last ulp of libm's sin/cos
// (Lanczos, Hamming). Filters other than Nearest are antialiased; the
// horizontal pass runs first and only over the source rows the vertical pass
// reads, and a pass whose size does not change is skipped. A same-size resize
// returns a copy. Rows are split across parallel workers with results that do
// not depend on their number.
func Resize(m *Image, w, h int, f Filter) (*Image, error) {
	if w <= 0 || h <= 0 {
		return nil, &SizeError{Op: "resize", Reason: fmt.Sprintf("target size %dx%d must be positive", w, h)}
	}
	if m.W <= 0 || m.H <= 0 {
		return nil, &SizeError{Op: "resize", Reason: fmt.Sprintf("source image is empty (%dx%d)", m.W, m.H)}
	}
	if !f.Valid() {
		return nil, &SizeError{Op: "resize", Reason: fmt.Sprintf("unknown filter %d", int(f))}
	}
	if w == m.W && h == m.H {
		return m.Clone(), nil
	}
	if f == Nearest {
		return resizeNearest(m, w, h), nil
	}
	k := kernelOf(f)
	needH, needV := w != m.W, h != m.H
	vw := toFixed(computeWeights(m.H, h, k))
	src := m
	if needH {
		hw := toFixed(computeWeights(m.W, w, k))
		// Only rows first..last-1 are read by the vertical pass.
		first := vw.start[0]
		last := vw.start[h-1] + vw.n[h-1]
		if !needV {
			first, last = 0, m.H
		} else {
			for i := range vw.start {
				vw.start[i] -= first
			}
		}
		src = resizeRows(m, first, last, w, hw)
	}
	if needV {
		src = resizeCols(src, h, vw)
	}
	return src, nil
}

// blockRows is how many source rows the horizontal pass transposes and
// filters together: 16 RGB rows make 48 accumulator lanes per output column.
const blockRows = 16

// resizeRows runs the horizontal pass over source rows [first, last). Blocks
// of blockRows rows are transposed so that each output column becomes a
// weighted sum of contiguous 48-byte columns (dotU8), then clipped back into
// rows.
func resizeRows(m *Image, first, last, w int, fw fixedWeights) *Image {
	out := NewImage(w, last-first)
	blocks := (out.H + blockRows - 1) / blockRows
	const lanes = 3 * blockRows
	parallel.For(blocks, max(1, 2048/max(1, w)), func(lo, hi int) {
		cols := make([]uint8, m.W*lanes)
		acc := make([]int32, lanes)
		for blk := lo; blk < hi; blk++ {
			y0 := blk * blockRows
			rows := min(blockRows, out.H-y0)
			transposeRows(cols, m.Pix[3*(first+y0)*m.W:3*(first+y0+rows)*m.W], m.W, rows)
			for x := 0; x < w; x++ {
				for i := range acc {
					acc[i] = 1 << (precisionBits - 1)
				}
				k := fw.w[x*fw.stride : x*fw.stride+fw.n[x]]
				dotU8(acc, cols[fw.start[x]*lanes:], lanes, k)
				for r := 0; r < rows; r++ {
					d := out.Pix[3*((y0+r)*w+x):]
					d[0], d[1], d[2] = clipFixed(acc[3*r]), clipFixed(acc[3*r+1]), clipFixed(acc[3*r+2])
				}
			}
		}
	})
	return out
}

// transposeRows lays out rows RGB rows of width w (packed in src) as
// columns: cols[x*3*blockRows + 3*r + c] = src[r][x][c]. It walks columns
// outermost so that each column's lanes are written contiguously.
func transposeRows(cols, src []uint8, w, rows int) {
	const lanes = 3 * blockRows
	var in [blockRows][]uint8
	for r := 0; r < rows; r++ {
		in[r] = src[3*r*w : 3*(r+1)*w]
	}
	for x := 0; x < w; x++ {
		c := cols[x*lanes : x*lanes+lanes]
		for r := 0; r < rows; r++ {
			p := in[r][3*x : 3*x+3]
			d := c[3*r : 3*r+3]
			d[0], d[1], d[2] = p[0], p[1], p[2]
		}
	}
}

// resizeCols runs the vertical pass: output row y is a weighted sum of whole
// source rows.
func resizeCols(m *Image, h int, fw fixedWeights) *Image {
	out := NewImage(m.W, h)
	n := 3 * m.W
	parallel.For(h, max(1, 16384/max(1, n)), func(lo, hi int) {
		acc := make([]int32, n)
		for y := lo; y < hi; y++ {
			for i := range acc {
				acc[i] = 1 << (precisionBits - 1)
			}
			k := fw.w[y*fw.stride : y*fw.stride+fw.n[y]]
			dotU8(acc, m.Pix[fw.start[y]*n:], n, k)
			d := out.Pix[y*n : (y+1)*n]
			for i, v := range acc {
				d[i] = clipFixed(v)
			}
		}
	})
	return out
}

// resizeNearest is PIL's nearest-neighbour resize: an affine scale whose
// source coordinate starts at half a step and advances by the scale factor
// (accumulated in float64, as PIL does), truncated to an index.
func resizeNearest(m *Image, w, h int) *Image {
	out := NewImage(w, h)
	sx, sy := float64(m.W)/float64(w), float64(m.H)/float64(h)
	xs := make([]int, w)
	xo := sx * 0.5
	for x := range xs {
		xs[x] = min(int(xo), m.W-1)
		xo += sx
	}
	ys := make([]int, h)
	yo := sy * 0.5
	for y := range ys {
		ys[y] = min(int(yo), m.H-1)
		yo += sy
	}
	parallel.For(h, 64, func(lo, hi int) {
		for y := lo; y < hi; y++ {
			in := m.Pix[3*ys[y]*m.W:]
			d := out.Pix[3*y*w:]
			for x, sxi := range xs {
				s := in[3*sxi : 3*sxi+3]
				d[3*x], d[3*x+1], d[3*x+2] = s[0], s[1], s[2]
			}
		}
	})
	return out
}
