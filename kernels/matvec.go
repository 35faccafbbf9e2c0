package kernels

import "sync"

// Matrix-vector products for decode: every weight row is streamed once and
// reduced against x. The per-format row reductions are tier-specific
// (dotRows); matVecGo is the driver every tier uses.

// rowDots holds one tier's row-reduction kernels. Each returns Σ W[r][j]*x[j]
// over one whole row.
type rowDots struct {
	f16  func(x []float32, h []uint16) float32
	bf16 func(x []float32, h []uint16) float32
	// q also takes gsum[g] = Σ of x over group g, computed once per call.
	q func(x []float32, q []uint32, scales, biases, gsum []float32, bits, groupSize int) float32
	// q4p, when set, reduces a 4-bit row with a group size that is a
	// multiple of 32 against xp = x in pair-split order (permuteQ4X),
	// prepared once per call.
	q4p func(xp []float32, q []uint32, scales, biases, gsum []float32, groupSize int) float32
}

var dots = rowDotsGo

var rowDotsGo = rowDots{f16: dotF16Go, bf16: dotBF16Go, q: dotQGo}

// matVecGo computes y[r-lo] = Σ_j W[r][j]*x[j] for r in [lo, hi) without
// allocating.
func matVecGo(y []float32, w *Mat, lo, hi int, x []float32) {
	k := w.Cols
	x = x[:k]
	y = y[:hi-lo]
	switch w.Format {
	case FormatF32:
		for r := lo; r < hi; r++ {
			y[r-lo] = DotF32(x, w.F32[r*k:(r+1)*k])
		}
	case FormatF16:
		for r := lo; r < hi; r++ {
			y[r-lo] = dots.f16(x, w.U16[r*k:(r+1)*k])
		}
	case FormatBF16:
		for r := lo; r < hi; r++ {
			y[r-lo] = dots.bf16(x, w.U16[r*k:(r+1)*k])
		}
	case FormatQ4, FormatQ8:
		bits := w.Bits()
		gs := w.GroupSize
		gpr := k / gs
		wpr := k * bits / 32
		// The per-group sums go to a pooled buffer: a stack array would
		// escape to the heap anyway, through the dots.q function value.
		bp := gsumPool.Get().(*[]float32)
		defer gsumPool.Put(bp)
		pair := bits == 4 && gs%32 == 0 && dots.q4p != nil
		need := gpr
		if pair {
			need += k // room for x in pair-split order
		}
		if cap(*bp) < need {
			*bp = make([]float32, need)
		}
		gsum := (*bp)[:gpr]
		for g := range gsum {
			var s float32
			for _, v := range x[g*gs : (g+1)*gs] {
				s += v
			}
			gsum[g] = s
		}
		if pair {
			xp := (*bp)[gpr : gpr+k]
			permuteQ4X(xp, x)
			for r := lo; r < hi; r++ {
				y[r-lo] = dots.q4p(xp, w.Q[r*wpr:(r+1)*wpr], w.Scales[r*gpr:(r+1)*gpr], w.Biases[r*gpr:(r+1)*gpr], gsum, gs)
			}
			return
		}
		for r := lo; r < hi; r++ {
			y[r-lo] = dots.q(x, w.Q[r*wpr:(r+1)*wpr], w.Scales[r*gpr:(r+1)*gpr], w.Biases[r*gpr:(r+1)*gpr], gsum, bits, gs)
		}
	}
}

// permuteQ4X writes x (a multiple of 32 long) to dst in pair-split order:
// within each block of 32, the sixteen even-index values, then the sixteen
// odd-index ones. A 4-bit weight byte holds the values 2j and 2j+1, so
// against this order its low nibbles meet the first half and its high
// nibbles the second without any lane shuffling.
func permuteQ4X(dst, x []float32) {
	dst = dst[:len(x)]
	for b := 0; b+32 <= len(x); b += 32 {
		blk := x[b : b+32]
		d := dst[b : b+32]
		for i := range 16 {
			d[i] = blk[2*i]
			d[16+i] = blk[2*i+1]
		}
	}
}

// gsumPool holds the per-group sums of x of quantized MatVec calls, so a
// decode step does not allocate them for every weight tile.
var gsumPool = sync.Pool{New: func() any { b := make([]float32, 0, 1024); return &b }}

// convChunk is the stack buffer size of the portable row reductions.
const convChunk = 128

func dotF16Go(x []float32, h []uint16) float32 {
	var buf [convChunk]float32
	var s float32
	for i := 0; i < len(h); i += convChunk {
		n := min(convChunk, len(h)-i)
		F16ToF32Ref(buf[:n], h[i:i+n]) // static calls keep buf on the stack
		s += DotF32Ref(buf[:n], x[i:i+n])
	}
	return s
}

func dotBF16Go(x []float32, h []uint16) float32 {
	var buf [convChunk]float32
	var s float32
	for i := 0; i < len(h); i += convChunk {
		n := min(convChunk, len(h)-i)
		BF16ToF32Ref(buf[:n], h[i:i+n])
		s += DotF32Ref(buf[:n], x[i:i+n])
	}
	return s
}

// dotQGo reduces one affine-quantized row: per group, scale·Σq·x +
// bias·gsum.
func dotQGo(x []float32, q []uint32, scales, biases, gsum []float32, bits, groupSize int) float32 {
	per := 32 / bits
	mask := uint32(1)<<bits - 1
	var s float32
	for g := range scales {
		var qx float32
		base := g * groupSize
		for i := base; i < base+groupSize; i++ {
			v := float32(q[i/per] >> (uint(i%per) * uint(bits)) & mask)
			qx += v * x[i]
		}
		s += scales[g]*qx + biases[g]*gsum[g]
	}
	return s
}
