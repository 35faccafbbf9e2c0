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
