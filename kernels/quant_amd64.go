//go:build amd64 && !purego && gc

package kernels

// qdotQ4AVX2, qdotQ8AVX2 (VPMADDUBSW / VPMADDWD) and qdotQ4VNNI,
// qdotQ8VNNI (AVX-512 VNNI VPDPBUSD) reduce one quantized row against a
// quantized activation, as dotQActRef does:
//
//	for g := 0; g < ngroups; g++ {
//		var qx, sx float32
//		for b := g*bpg; b < (g+1)*bpg; b++ {
//			qx += xs[b] * float32(Σ_{i in block b} q[i]*xq[i])
//			sx += xsum[b]
//		}
//		s += scales[g]*qx + biases[g]*sx
//	}
//
//go:noescape
func qdotQ4AVX2(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32

//go:noescape
func qdotQ8AVX2(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32

//go:noescape
func qdotQ4VNNI(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32

//go:noescape
func qdotQ8VNNI(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32

// qdotQ4PairAVX2 and qdotQ8PairVNNI compute the same sum two
// blocks per step, for group sizes that are multiples of 64 (ppg = block
// pairs per group), reading ActQ8's derived layouts: xq is q4 (Q4) or Q
// (Q8), xs is s4 (Q4) or s8 (Q8), gsum holds Σx per group.
//
//go:noescape
func qdotQ4PairAVX2(q *uint32, scales, biases *float32, ngroups, ppg int, xq *int8, xs, gsum *float32) float32

//go:noescape
func qdotQ8PairVNNI(q *uint32, scales, biases *float32, ngroups, ppg int, xq *int8, xs, gsum *float32) float32

type qdotFunc func(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32) float32

// qActWith adapts assembly row reductions to qActKernel: q4 and q8 take one
// block per step and serve every group size; q4p and q8p (nil when the tier
// has none) take block pairs and serve group sizes of 64 and 128.
func qActWith(q4, q8, q4p, q8p qdotFunc) qActKernel {
	return func(q []uint32, scales, biases []float32, bits, groupSize int, act *ActQ8) float32 {
		ng := len(scales)
		if ng == 0 {
			return 0
		}
		bpg := groupSize / ActBlock
		nb := ng * bpg
		_ = biases[ng-1]
		_ = act.Q[nb*ActBlock-1]
		_ = act.Scale[nb-1]
		_ = act.Sum[nb-1]
		_ = q[nb*ActBlock*bits/32-1]
		if groupSize == 64 || groupSize == 128 {
			gsum := act.gsum2
			if groupSize == 128 {
				gsum = act.gsum4
			}
			_ = gsum[ng-1]
			if bits == 4 && q4p != nil {
				_ = act.q4[nb*ActBlock-1]
				return q4p(&q[0], &scales[0], &biases[0], ng, bpg/2, &act.q4[0], &act.s4[0], &gsum[0])
			}
			if bits == 8 && q8p != nil {
				_ = act.s8[nb*8-1]
				return q8p(&q[0], &scales[0], &biases[0], ng, bpg/2, &act.Q[0], &act.s8[0], &gsum[0])
			}
		}
		f := q8
		if bits == 4 {
			f = q4
		}
		return f(&q[0], &scales[0], &biases[0], ng, bpg, &act.Q[0], &act.Scale[0], &act.Sum[0])
	}
}

// dotQ4FAVX2 and dotQ8FAVX2 reduce one quantized row against float32 x, as
// dotQGo does (groupSize a multiple of 16), given gsum[g] = Σ_{i in g} x[i]:
//
//	for g := 0; g < ngroups; g++ {
//		s += scales[g]*Σ_{i in g} q[i]*x[i] + biases[g]*gsum[g]
//	}
//
//go:noescape
func dotQ4FAVX2(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

//go:noescape
func dotQ8FAVX2(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

// dotQ8FAVX512 is the sixteen-wide version of dotQ8FAVX2, two
// independent accumulators per group (groupSize a multiple of 32). Q4 rows
// take dotQ4PAVX512 instead.
//
//go:noescape
func dotQ8FAVX512(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

// dotQ4PAVX512 is the sixteen-wide dotQ4FAVX2 against x in pair-split
// order (xp, see permuteQ4X; groupSize a multiple of 32): one widening
// load and no weight permute per 32 values.
//
//go:noescape
func dotQ4PAVX512(xp *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

// dotQ4PairAVX512 adapts dotQ4PAVX512 to rowDots.q4p.
func dotQ4PairAVX512(xp []float32, q []uint32, scales, biases, gsum []float32, groupSize int) float32 {
	ng := len(scales)
	if ng == 0 {
		return 0
	}
	_ = biases[ng-1]
	_ = gsum[ng-1]
	_ = xp[ng*groupSize-1]
	_ = q[ng*groupSize/8-1]
	return dotQ4PAVX512(&xp[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
}

// dotQAVX512 adapts dotQ8FAVX512 to rowDots.q. MatVec reduces Q4 rows
// with whole 32-value blocks through rowDots.q4p; the rest go to AVX2.
func dotQAVX512(x []float32, q []uint32, scales, biases, gsum []float32, bits, groupSize int) float32 {
	ng := len(scales)
	if ng == 0 || groupSize%32 != 0 || bits == 4 {
		return dotQAVX2(x, q, scales, biases, gsum, bits, groupSize)
	}
	_ = biases[ng-1]
	_ = gsum[ng-1]
	_ = x[ng*groupSize-1]
	_ = q[ng*groupSize*bits/32-1]
	return dotQ8FAVX512(&x[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
}

// dotQAVX2 adapts dotQ4FAVX2/dotQ8FAVX2 to rowDots.q.
func dotQAVX2(x []float32, q []uint32, scales, biases, gsum []float32, bits, groupSize int) float32 {
	ng := len(scales)
	if ng == 0 || groupSize%16 != 0 {
		return dotQGo(x, q, scales, biases, gsum, bits, groupSize)
	}
	_ = biases[ng-1]
	_ = gsum[ng-1]
	_ = x[ng*groupSize-1]
	_ = q[ng*groupSize*bits/32-1]
	if bits == 4 {
		return dotQ4FAVX2(&x[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
	}
	return dotQ8FAVX2(&x[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
}

// quantBlocksAVX512 quantizes whole 32-value blocks of x as
// QuantizeActQ8Ref does, writing Q, Scale, Sum (summed in another order,
// so equal up to float32 rounding), QSum and the derived q4, s4 and s8
// layouts. It stops before the first block that holds a NaN or an infinity
// and returns the number of blocks done.
//
//go:noescape
func quantBlocksAVX512(x *float32, nblocks int, q, q4 *int8, scale, sum *float32, qsum *int32, s4, s8 *float32) int

// quantizeActQ8AVX512 runs whole blocks in assembly and anything else (a
// ragged last block, a block with NaN and all after it) through the Go path.
func quantizeActQ8AVX512(dst *ActQ8, x []float32) {
	full := len(x) / ActBlock
	done := 0
	if full > 0 {
		dst.resize(len(x))
		done = quantBlocksAVX512(&x[0], full, &dst.Q[0], &dst.q4[0], &dst.Scale[0], &dst.Sum[0], &dst.QSum[0], &dst.s4[0], &dst.s8[0])
	}
	if done < len(dst.Scale) || full == 0 {
		quantizeActQ8Go(dst, x)
		return
	}
	if full%2 == 1 { // zero the missing half of the last pair
		p := dst.q4[(full/2)*2*ActBlock:]
		clear(p[16:32])
		clear(p[48:64])
	}
	dst.fillGroupSums()
}

// dequantQ4AVX2 and dequantQ8AVX2 expand whole groups (groupSize a multiple
// of 8) of a quantized row, as dequantSpan does per group:
//
//	dst[g*groupSize+i] = scales[g]*float32(q_i) + biases[g]
//
//go:noescape
func dequantQ4AVX2(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)

//go:noescape
func dequantQ8AVX2(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)

// dequantGroupsAVX2 adapts the assembly to dequantGroups; q, scales and
// biases start at the first group.
func dequantGroupsAVX2(dst []float32, q []uint32, scales, biases []float32, bits, groupSize int) bool {
	ng := len(dst) / groupSize
	if groupSize%8 != 0 || ng == 0 {
		return false
	}
	_ = scales[ng-1]
	_ = biases[ng-1]
	_ = q[ng*groupSize*bits/32-1]
	if bits == 4 {
		dequantQ4AVX2(&dst[0], &q[0], &scales[0], &biases[0], ng, groupSize)
	} else {
		dequantQ8AVX2(&dst[0], &q[0], &scales[0], &biases[0], ng, groupSize)
	}
	return true
}
