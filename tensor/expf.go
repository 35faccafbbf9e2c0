package tensor

import "math"

// expf returns e^x in float32 to within 2 ulp (Cody–Waite range reduction
// and a degree-6 polynomial on [-ln2/2, ln2/2], Cephes' constants). It is
// the exponential of the softmax, SiLU and GELU loops, several times faster
// than going through float64 math.Exp.
func expf(x float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375
		ln2Lo = -2.12194440e-4
	)
	switch {
	case x != x:
		return x
	case x > 88.72283:
		return float32(math.Inf(1))
	case x < -103.97208:
		return 0
	}
	// Round x·log2(e) to the nearest integer without a branch: adding
	// 1.5·2^23 leaves the integer in the low mantissa bits.
	const magic = 0x1.8p23
	f := x*log2e + magic
	n := int32(math.Float32bits(f)) - 0x4b400000
	fn := f - magic
	r := x - fn*ln2Hi - fn*ln2Lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	y := p*r*r + r + 1
	// y·2^n, in two steps when 2^n alone is not a normal float32.
	if n < -126 {
		y *= math.Float32frombits(uint32(n+126+127) << 23)
		return y * 0x1p-126
	}
	if n > 127 {
		return y * 2 * math.Float32frombits(uint32(n-1+127)<<23)
	}
	return y * math.Float32frombits(uint32(n+127)<<23)
}

// expShiftSum replaces every x of row by e^(x−m) and returns the sum, in
// index order. m is the row maximum, so every exponent is ≤ 0. It is
// expf's algorithm inlined into the loop, except that results below about
// 2^-127 (x−m ≲ −87.7) are flushed to zero instead of becoming subnormal,
// which a softmax cannot notice.
func expShiftSum(row []float32, m float32) float32 {
	const (
		log2e = 1.44269504088896341
		ln2Hi = 0.693359375
		ln2Lo = -2.12194440e-4
		magic = 0x1.8p23
	)
	var sum float32
	for i, v := range row {
		x := v - m
		if !(x >= -88) { // also catches −Inf and NaN
			x = -88 // 2^-127 below: the scale factor's bits are 0
		}
		f := x*log2e + magic
		n := int32(math.Float32bits(f)) - 0x4b400000
		fn := f - magic
		r := x - fn*ln2Hi - fn*ln2Lo
		p := float32(1.9875691500e-4)
		p = p*r + 1.3981999507e-3
		p = p*r + 8.3334519073e-3
		p = p*r + 4.1665795894e-2
		p = p*r + 1.6666665459e-1
		p = p*r + 5.0000001201e-1
		y := p*r*r + r + 1
		e := y * math.Float32frombits(uint32(n+127)<<23)
		row[i] = e
		sum += e
	}
	return sum
}
