package tensor

import "testing"

// Every parallel operation gives bit-identical results for 1, 2 and 7
// workers (MatMul, BatchMatMul, Attention, Softmax, RMSNorm and Conv3D are
// checked in their own tests).
func TestWorkerCountDeterminism(t *testing.T) {
	x := randT(1, 3, 40, 50)
	big := randT(2, 300, 130)
	w, b := randT(3, 130), randT(4, 130)
	cos, sin := RopeTables([]int{0, 5, 9}, InvFreq(50, 10000), 1)
	cases := map[string]func() []float32{
		"Interpolate2D": func() []float32 { return Interpolate2D(x, 77, 31, Bicubic, false).Data() },
		"AvgPool2D":     func() []float32 { return AvgPool2D(x, 3, 2).Data() },
		"GELU":          func() []float32 { return GELU(big).Data() },
		"SwiGLU":        func() []float32 { return SwiGLU(big, big).Data() },
		"Add":           func() []float32 { return Add(big, big).Data() },
		"LayerNorm":     func() []float32 { return LayerNorm(big, w, b, 1e-5).Data() },
		"RoPE":          func() []float32 { return RoPE(x, cos, sin, false).Data() },
		"Quantize": func() []float32 {
			q, _ := Quantize(big.Slice(1, 0, 128), 4, 32)
			return q.ToF32().Data()
		},
	}
	for name, fn := range cases {
		withWorkers(t, name, fn)
	}
}
