//go:build arm64 && !purego && gc

package kernels

// dotQ4FNEON and dotQ8FNEON reduce one quantized row against float32 x
// given gsum[g] = Σ_{i in g} x[i] (groupSize a multiple of 16):
//
//	for g := 0; g < ngroups; g++ {
//		s += scales[g]*Σ_{i in g} q[i]*x[i] + biases[g]*gsum[g]
//	}
//
//go:noescape
func dotQ4FNEON(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

//go:noescape
func dotQ8FNEON(x *float32, q *uint32, scales, biases, gsum *float32, ngroups, groupSize int) float32

// dotQNEON adapts dotQ4FNEON/dotQ8FNEON to rowDots.q.
func dotQNEON(x []float32, q []uint32, scales, biases, gsum []float32, bits, groupSize int) float32 {
	ng := len(scales)
	if ng == 0 || groupSize%16 != 0 {
		return dotQGo(x, q, scales, biases, gsum, bits, groupSize)
	}
	_ = biases[ng-1]
	_ = gsum[ng-1]
	_ = x[ng*groupSize-1]
	_ = q[ng*groupSize*bits/32-1]
	if bits == 4 {
		return dotQ4FNEON(&x[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
	}
	return dotQ8FNEON(&x[0], &q[0], &scales[0], &biases[0], &gsum[0], ng, groupSize)
}

// qdotQ4SDOT and qdotQ8SDOT reduce one quantized row against a quantized
// activation as dotQActRef does (one 32-value block per step; qsum is
// ActQ8.QSum, used by the Q8 version):
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
func qdotQ4SDOT(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32, qsum *int32) float32

//go:noescape
func qdotQ8SDOT(q *uint32, scales, biases *float32, ngroups, bpg int, xq *int8, xs, xsum *float32, qsum *int32) float32

// qActSDOT adapts the SDOT row reductions to qActKernel.
func qActSDOT(q []uint32, scales, biases []float32, bits, groupSize int, act *ActQ8) float32 {
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
	_ = act.QSum[nb-1]
	_ = q[nb*ActBlock*bits/32-1]
	f := qdotQ8SDOT
	if bits == 4 {
		f = qdotQ4SDOT
	}
	return f(&q[0], &scales[0], &biases[0], ng, bpg, &act.Q[0], &act.Scale[0], &act.Sum[0], &act.QSum[0])
}

// dequantQ4NEON and dequantQ8NEON expand whole groups (groupSize a multiple
// of 16) of a quantized row, as dequantSpan does per group:
//
//	dst[g*groupSize+i] = scales[g]*float32(q_i) + biases[g]
//
//go:noescape
func dequantQ4NEON(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)

//go:noescape
func dequantQ8NEON(dst *float32, q *uint32, scales, biases *float32, ngroups, groupSize int)

// dequantGroupsNEON adapts the assembly to dequantGroups.
func dequantGroupsNEON(dst []float32, q []uint32, scales, biases []float32, bits, groupSize int) bool {
	ng := len(dst) / groupSize
	if groupSize%16 != 0 || ng == 0 {
		return false
	}
	_ = scales[ng-1]
	_ = biases[ng-1]
	_ = q[ng*groupSize*bits/32-1]
	if bits == 4 {
		dequantQ4NEON(&dst[0], &q[0], &scales[0], &biases[0], ng, groupSize)
	} else {
		dequantQ8NEON(&dst[0], &q[0], &scales[0], &biases[0], ng, groupSize)
	}
	return true
}
