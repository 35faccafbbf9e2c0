//go:build amd64 && !purego && gc

package kernels

import "math"

// Vectorised row operations (AVX2 + FMA). Each assembly routine takes n a
// positive multiple of 8; the adapters below pass the last n%8 values
// through the same routine in a padded stack buffer.

// maxAVX2 returns max(x[:n]).
//
//go:noescape
func maxAVX2(x *float32, n int) float32

// expSubSumAVX2 sets x[i] = exp(x[i]-sub) and returns Σ x[i].
//
//go:noescape
func expSubSumAVX2(x *float32, n int, sub float32) float32

// scaleAVX2 sets x[i] *= s.
//
//go:noescape
func scaleAVX2(x *float32, n int, s float32)

// mulScaleAVX2 sets dst[i] = x[i]·s·w[i].
//
//go:noescape
func mulScaleAVX2(dst, x, w *float32, n int, s float32)

// swishAVX2 sets dst[i] = x[i] / (1 + exp(-x[i])), times mul[i] when mul is
// not nil.
//
//go:noescape
func swishAVX2(dst, x, mul *float32, n int)

// geluTanhAVX2 sets dst[i] = x[i] / (1 + exp(-2·√(2/π)·(x[i] + 0.044715·x[i]³))).
//
//go:noescape
func geluTanhAVX2(dst, x *float32, n int)

func softmaxAVX2(x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	n8 := n &^ 7
	m := float32(math.Inf(-1))
	if n8 > 0 {
		m = maxAVX2(&x[0], n8)
	}
	for _, v := range x[n8:] {
		m = max(m, v)
	}
	var sum float32
	if n8 > 0 {
		sum = expSubSumAVX2(&x[0], n8, m)
	}
	if t := n - n8; t > 0 {
		var buf [8]float32
		copy(buf[:], x[n8:])
		expSubSumAVX2(&buf[0], 8, m)
		for _, e := range buf[:t] {
			sum += e
		}
		copy(x[n8:], buf[:t])
	}
	inv := 1 / sum
	if n8 > 0 {
		scaleAVX2(&x[0], n8, inv)
	}
	for i := n8; i < n; i++ {
		x[i] *= inv
	}
}

func rmsNormAVX2(dst, x, w []float32, eps float32) {
	n := len(x)
	if n == 0 {
		return
	}
	_, _ = dst[n-1], w[n-1]
	ss := DotF32(x, x)
	inv := float32(1 / math.Sqrt(float64(ss/float32(n)+eps)))
	n8 := n &^ 7
	if n8 > 0 {
		mulScaleAVX2(&dst[0], &x[0], &w[0], n8, inv)
	}
	for i := n8; i < n; i++ {
		dst[i] = x[i] * inv * w[i]
	}
}

func siluAVX2(dst, x []float32) { swishRows(dst, x, nil) }

func siluMulAVX2(dst, gate, up []float32) { swishRows(dst, gate, up) }

// swishRows runs swishAVX2 over whole blocks of 8 and the tail in a buffer.
func swishRows(dst, x, mul []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	_ = dst[n-1]
	var mp *float32
	if mul != nil {
		_ = mul[n-1]
		mp = &mul[0]
	}
	n8 := n &^ 7
	if n8 > 0 {
		swishAVX2(&dst[0], &x[0], mp, n8)
	}
	if t := n - n8; t > 0 {
		var in, m, out [8]float32
		copy(in[:], x[n8:])
		var tp *float32
		if mul != nil {
			copy(m[:], mul[n8:])
			tp = &m[0]
		}
		swishAVX2(&out[0], &in[0], tp, 8)
		copy(dst[n8:n], out[:t])
	}
}

func geluTanhRowsAVX2(dst, x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	_ = dst[n-1]
	n8 := n &^ 7
	if n8 > 0 {
		geluTanhAVX2(&dst[0], &x[0], n8)
	}
	if t := n - n8; t > 0 {
		var in, out [8]float32
		copy(in[:], x[n8:])
		geluTanhAVX2(&out[0], &in[0], 8)
		copy(dst[n8:n], out[:t])
	}
}
