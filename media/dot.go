package media

// dotU8 adds weighted columns of 8-bit samples into 32-bit accumulators:
//
//	for i := range dst {
//		for j, k := range taps {
//			dst[i] += int32(src[j*stride+i]) * k
//		}
//	}
//
// It is the inner loop of both resampling passes (the horizontal pass runs
// it on transposed blocks). Arithmetic is exact int32, the same as PIL's, so
// the order of accumulation does not matter. It panics if src is too short.
func dotU8(dst []int32, src []uint8, stride int, taps []int32) {
	if len(taps) == 0 || len(dst) == 0 {
		return
	}
	if stride < 0 || len(src) < (len(taps)-1)*stride+len(dst) {
		panic("media: dotU8 source too short")
	}
	n8 := len(dst) &^ 7
	if n8 > 0 && useAVX2 {
		dotU8AVX2(dst[:n8], src, stride, taps)
	} else {
		n8 = 0
	}
	if n8 < len(dst) {
		dotU8Generic(dst[n8:], src[n8:], stride, taps)
	}
}

// dotU8Generic is the reference loop of dotU8.
func dotU8Generic(dst []int32, src []uint8, stride int, taps []int32) {
	for j, k := range taps {
		row := src[j*stride : j*stride+len(dst)]
		for i, v := range row {
			dst[i] += int32(v) * k
		}
	}
}
