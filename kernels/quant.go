package kernels

import "math"

// The integer decode path for affine-quantized weights. The activation row x
// is quantized once per matrix-vector product to signed 8-bit values in
// blocks of ActBlock (x ≈ Scale[b]·Q), then each weight group g reduces as
//
//	Σ (s_g·q + b_g)·x  ≈  s_g·Σ_b Scale[b]·Σ q·Q  +  b_g·Σ x
//
// with the inner Σ q·Q an exact integer dot product. Σx uses the unrounded x,
// so the only approximation is the rounding of x: per element at most
// Scale[b]/2 = max|x in block|/254. MatVecQ therefore satisfies
//
//	|MatVecQ − MatVecRef| ≤ Σ_j |s_g·q_j| · max|x in j's block| / 254
//
// plus float32 rounding of the sums; tests check this bound.

// ActBlock is the number of activation values that share one scale in ActQ8.
// Weight group sizes (32, 64, 128) are multiples of it.
const ActBlock = 32

// ActQ8 is an activation row quantized for MatVecQ. Build it with
// QuantizeActQ8; reuse one value across calls to avoid allocation.
type ActQ8 struct {
	// Q holds the quantized values, zero-padded to a whole number of blocks.
	Q []int8
	// Scale[b] is block b's step: x ≈ Scale[b]·Q.
	Scale []float32
	// Sum[b] is the float32 sum of block b's original values.
	Sum []float32
	// QSum[b] is the integer sum of block b's quantized values.
	QSum []int32
	// N is the number of activation values.
	N int

	// Derived layouts for the paired-block assembly reductions (filled by
	// QuantizeActQ8 alongside the fields above; see fillDerived).
	q4    []int8    // per block pair: evens of b, evens of b+1, odds of b, odds of b+1
	s4    []float32 // Scale[b] repeated 4 times
	s8    []float32 // Scale[b] repeated 8 times
	gsum2 []float32 // Σx per 64 values
	gsum4 []float32 // Σx per 128 values
}

// resize makes a hold n values, growing its buffers only when too small.
func (a *ActQ8) resize(n int) {
	nb := (n + ActBlock - 1) / ActBlock
	if cap(a.Q) < nb*ActBlock {
		a.Q = make([]int8, nb*ActBlock)
		a.Scale = make([]float32, nb)
		a.Sum = make([]float32, nb)
		a.QSum = make([]int32, nb)
	}
	a.Q = a.Q[:nb*ActBlock]
	a.Scale = a.Scale[:nb]
	a.Sum = a.Sum[:nb]
	a.QSum = a.QSum[:nb]
	a.N = n
	pairs := (nb + 1) / 2
	if cap(a.q4) < pairs*2*ActBlock {
		a.q4 = make([]int8, pairs*2*ActBlock)
		a.s4 = make([]float32, pairs*8)
		a.s8 = make([]float32, pairs*16)
		a.gsum2 = make([]float32, pairs)
		a.gsum4 = make([]float32, (nb+3)/4)
	}
	a.q4 = a.q4[:pairs*2*ActBlock]
	a.s4 = a.s4[:pairs*8]
	a.s8 = a.s8[:pairs*16]
	a.gsum2 = a.gsum2[:pairs]
	a.gsum4 = a.gsum4[:(nb+3)/4]
}

// fillGroupSums computes Σx per 64 and per 128 values from Sum.
func (a *ActQ8) fillGroupSums() {
	clear(a.gsum2)
	clear(a.gsum4)
	for b, s := range a.Sum {
		a.gsum2[b/2] += s
		a.gsum4[b/4] += s
	}
}

// fillDerived computes the derived layouts from Q, Scale and Sum.
func (a *ActQ8) fillDerived() {
	clear(a.s4)
	clear(a.s8)
	for b, sc := range a.Scale {
		p, h := b/2, b%2
		q := a.Q[b*ActBlock : (b+1)*ActBlock]
		dst := a.q4[p*2*ActBlock:]
		for j := 0; j < ActBlock/2; j++ {
			dst[h*16+j] = q[2*j]
			dst[32+h*16+j] = q[2*j+1]
		}
		for j := 0; j < 4; j++ {
			a.s4[b*4+j] = sc
		}
		for j := 0; j < 8; j++ {
			a.s8[b*8+j] = sc
		}
	}
	if len(a.Scale)%2 == 1 { // zero the missing half of the last pair
		b := len(a.Scale)
		dst := a.q4[(b/2)*2*ActBlock:]
		for j := 0; j < ActBlock/2; j++ {
			dst[16+j] = 0
			dst[48+j] = 0
		}
	}
	a.fillGroupSums()
}

// QuantizeActQ8Ref quantizes x into dst, per block of ActBlock values:
// Scale = max|x|/127, Q = round-half-even(x·127/max|x|) (0 for an all-zero
// block). dst's buffers grow only when they are too small.
func QuantizeActQ8Ref(dst *ActQ8, x []float32) {
	dst.resize(len(x))
	for b := range dst.Scale {
		lo := b * ActBlock
		hi := min(lo+ActBlock, len(x))
		quantizeBlockRef(dst, b, x[lo:hi])
	}
	dst.fillDerived()
}

func quantizeBlockRef(dst *ActQ8, b int, x []float32) {
	var amax, sum float32
	for _, v := range x {
		amax = max(amax, float32(math.Abs(float64(v))))
		sum += v
	}
	q := dst.Q[b*ActBlock : (b+1)*ActBlock]
	clear(q)
	dst.Sum[b] = sum
	dst.QSum[b] = 0
	if amax == 0 {
		dst.Scale[b] = 0
		return
	}
	inv := 127 / amax
	dst.Scale[b] = amax / 127
	var qs int32
	for i, v := range x {
		r := int32(math.RoundToEven(float64(v * inv)))
		q[i] = int8(r)
		qs += r
	}
	dst.QSum[b] = qs
}

// MatVecQRef computes y[r-lo] ≈ Σ_j W[r][j]*x[j] for rows r in [lo, hi) of
// a Q4 or Q8 weight from x quantized in act (see the accuracy bound above).
// w.Cols must equal act.N.
func MatVecQRef(y []float32, w *Mat, lo, hi int, act *ActQ8) {
	bits := w.Bits()
	k := w.Cols
	gpr := k / w.GroupSize
	wpr := k * bits / 32
	for r := lo; r < hi; r++ {
		y[r-lo] = dotQActRef(w.Q[r*wpr:(r+1)*wpr], w.Scales[r*gpr:(r+1)*gpr], w.Biases[r*gpr:(r+1)*gpr], bits, w.GroupSize, act)
	}
}

func dotQActRef(q []uint32, scales, biases []float32, bits, groupSize int, act *ActQ8) float32 {
	per := 32 / bits
	mask := uint32(1)<<bits - 1
	bpg := groupSize / ActBlock
	var s float32
	for g := range scales {
		var qx, sx float32
		for b := g * bpg; b < (g+1)*bpg; b++ {
			var dot int32
			for i := b * ActBlock; i < (b+1)*ActBlock; i++ {
				v := int32(q[i/per] >> (uint(i%per) * uint(bits)) & mask)
				dot += v * int32(act.Q[i])
			}
			qx += act.Scale[b] * float32(dot)
			sx += act.Sum[b]
		}
		s += scales[g]*qx + biases[g]*sx
	}
	return s
}

// qActKernel reduces one quantized row against a quantized activation. It
// is the per-tier seam of MatVecQ; q, scales and biases cover one row.
type qActKernel func(q []uint32, scales, biases []float32, bits, groupSize int, act *ActQ8) float32

var qAct qActKernel = dotQActRef

// matVecQGo is MatVecQ's driver, shared by every tier.
func matVecQGo(y []float32, w *Mat, lo, hi int, act *ActQ8) {
	bits := w.Bits()
	k := w.Cols
	gpr := k / w.GroupSize
	wpr := k * bits / 32
	y = y[:hi-lo]
	for r := lo; r < hi; r++ {
		y[r-lo] = qAct(w.Q[r*wpr:(r+1)*wpr], w.Scales[r*gpr:(r+1)*gpr], w.Biases[r*gpr:(r+1)*gpr], bits, w.GroupSize, act)
	}
}

// quantizeActQ8Go is QuantizeActQ8Ref without float64 round trips: adding
// and subtracting 1.5·2²³ rounds a float32 of magnitude ≤ 2²² to the nearest
// integer, ties to even, exactly as math.RoundToEven does.
func quantizeActQ8Go(dst *ActQ8, x []float32) {
	dst.resize(len(x))
	const magic = float32(1 << 23 * 1.5)
	for b := range dst.Scale {
		lo := b * ActBlock
		xb := x[lo:min(lo+ActBlock, len(x))]
		q := dst.Q[lo : lo+ActBlock]
		var amax, sum float32
		nan := false
		for _, v := range xb {
			// A compare instead of the max builtin (whose NaN and signed
			// zero handling is slow); NaN is tracked to keep max's result.
			a := math.Float32frombits(math.Float32bits(v) & 0x7fffffff)
			if a > amax {
				amax = a
			} else if a != a {
				nan = true
			}
			sum += v
		}
		if nan {
			amax = float32(math.NaN())
		}
		dst.Sum[b] = sum
		clear(q)
		if amax == 0 {
			dst.Scale[b], dst.QSum[b] = 0, 0
			continue
		}
		inv := 127 / amax
		dst.Scale[b] = amax / 127
		var qs int32
		for i, v := range xb {
			t := v * inv
			r := int32((t + magic) - magic)
			q[i] = int8(r)
			qs += r
		}
		dst.QSum[b] = qs
	}
	dst.fillDerived()
}
