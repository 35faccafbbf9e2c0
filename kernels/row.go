package kernels

// rowRange expands columns [p0, p0+len(dst)) of weight row r into dst as
// float32, using the installed conversion kernels.
func rowRange(dst []float32, w *Mat, r, p0 int) {
	n := len(dst)
	off := r*w.Cols + p0
	switch w.Format {
	case FormatF32:
		copy(dst, w.F32[off:off+n])
	case FormatF16:
		F16ToF32(dst, w.U16[off:off+n])
	case FormatBF16:
		BF16ToF32(dst, w.U16[off:off+n])
	case FormatQ4, FormatQ8:
		bits := w.Bits()
		gs := w.GroupSize
		gpr := w.Cols / gs
		wpr := w.Cols * bits / 32
		q := w.Q[r*wpr : (r+1)*wpr]
		sc := w.Scales[r*gpr : (r+1)*gpr]
		bi := w.Biases[r*gpr : (r+1)*gpr]
		if dequantGroups != nil && p0%gs == 0 && n%gs == 0 {
			g0 := p0 / gs
			if dequantGroups(dst, q[p0*bits/32:], sc[g0:], bi[g0:], bits, gs) {
				return
			}
		}
		for i := 0; i < n; {
			col := p0 + i
			g := col / gs
			end := min(n, (g+1)*gs-p0)
			dequantSpan(dst[i:end], q, col, bits, sc[g], bi[g])
			i = end
		}
	}
}

// dequantGroups, when set, expands whole groups of a quantized row into
// dst (len a multiple of groupSize; q, scales and biases start at the first
// group) and reports whether it could.
var dequantGroups func(dst []float32, q []uint32, scales, biases []float32, bits, groupSize int) bool

// dequantSpan writes scale*q[col+i] + bias for i in [0, len(dst)), where q
// holds packed bits-wide values.
func dequantSpan(dst []float32, q []uint32, col, bits int, scale, bias float32) {
	per := 32 / bits
	mask := uint32(1)<<bits - 1
	for i := range dst {
		c := col + i
		v := q[c/per] >> (uint(c%per) * uint(bits)) & mask
		dst[i] = scale*float32(v) + bias
	}
}
