//go:build (amd64 || arm64) && !purego && gc

package kernels

import "math"

// Slice adapters of the assembly row operations (rowops_amd64.s,
// rowops_arm64.s). The routines take n a positive multiple of 8; the last
// n%8 values go through the same routine in a padded stack buffer.

func softmaxSIMD(x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	n8 := n &^ 7
	m := float32(math.Inf(-1))
	if n8 > 0 {
		m = rowMax(&x[0], n8)
	}
	for _, v := range x[n8:] {
		m = max(m, v)
	}
	var sum float32
	if n8 > 0 {
		sum = rowExpSubSum(&x[0], n8, m)
	}
	if t := n - n8; t > 0 {
		var buf [8]float32
		copy(buf[:], x[n8:])
		rowExpSubSum(&buf[0], 8, m)
		for _, e := range buf[:t] {
			sum += e
		}
		copy(x[n8:], buf[:t])
	}
	inv := 1 / sum
	if n8 > 0 {
		rowScale(&x[0], n8, inv)
	}
	for i := n8; i < n; i++ {
		x[i] *= inv
	}
}

func rmsNormSIMD(dst, x, w []float32, eps float32) {
	n := len(x)
	if n == 0 {
		return
	}
	_, _ = dst[n-1], w[n-1]
	ss := DotF32(x, x)
	inv := float32(1 / math.Sqrt(float64(ss/float32(n)+eps)))
	n8 := n &^ 7
	if n8 > 0 {
		rowMulScale(&dst[0], &x[0], &w[0], n8, inv)
	}
	for i := n8; i < n; i++ {
		dst[i] = x[i] * inv * w[i]
	}
}

func siluSIMD(dst, x []float32) { swishRows(dst, x, nil) }

func siluMulSIMD(dst, gate, up []float32) { swishRows(dst, gate, up) }

// swishRows runs rowSwish over whole blocks of 8 and the tail in a buffer.
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
		rowSwish(&dst[0], &x[0], mp, n8)
	}
	if t := n - n8; t > 0 {
		var in, m, out [8]float32
		copy(in[:], x[n8:])
		var tp *float32
		if mul != nil {
			copy(m[:], mul[n8:])
			tp = &m[0]
		}
		rowSwish(&out[0], &in[0], tp, 8)
		copy(dst[n8:n], out[:t])
	}
}

func geluTanhSIMD(dst, x []float32) {
	n := len(x)
	if n == 0 {
		return
	}
	_ = dst[n-1]
	n8 := n &^ 7
	if n8 > 0 {
		rowGELUTanh(&dst[0], &x[0], n8)
	}
	if t := n - n8; t > 0 {
		var in, out [8]float32
		copy(in[:], x[n8:])
		rowGELUTanh(&out[0], &in[0], 8)
		copy(dst[n8:n], out[:t])
	}
}
