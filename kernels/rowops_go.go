package kernels

import "math"

// Portable row operations: the references' structure with a float32
// polynomial exp (the same one the assembly uses) instead of math.Exp in
// float64, several times faster. They serve the generic tier.

// Constants of expf (Cephes' expf): clamps keep 2^n a normal float32.
const (
	expHi    = 88.3762626647949
	expLo    = -87.3365478515625
	expLog2e = 1.44269504088896341
	expLn2Hi = 0.693359375
	expLn2Lo = -2.12194440e-4
	expMagic = 1 << 23 * 1.5 // adding and subtracting rounds to an integer
)

// expf returns e^x to a few float32 ulps for x in [expLo, expHi] and the
// clamped value outside it (NaN gives NaN).
func expf(x float32) float32 {
	if x > expHi {
		x = expHi
	} else if x < expLo {
		x = expLo
	}
	n := (x*expLog2e + expMagic) - expMagic
	r := x - n*expLn2Hi
	r -= n * expLn2Lo
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r + 1
	p = p*r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

func softmaxGo(x []float32) {
	if len(x) == 0 {
		return
	}
	m := x[0]
	for _, v := range x[1:] {
		m = max(m, v)
	}
	var sum float32
	for i, v := range x {
		var e float32
		if d := v - m; !(d < softmaxCut) {
			e = expf(d)
		}
		x[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range x {
		x[i] *= inv
	}
}

func siluGo(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = v / (1 + expf(-v))
	}
}

func siluMulGo(dst, gate, up []float32) {
	dst = dst[:len(gate)]
	up = up[:len(gate)]
	for i, v := range gate {
		dst[i] = v / (1 + expf(-v)) * up[i]
	}
}

func geluTanhGo(dst, x []float32) {
	const c = -2 * 0.7978845608028654
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = v / (1 + expf(c*(v+0.044715*v*v*v)))
	}
}
