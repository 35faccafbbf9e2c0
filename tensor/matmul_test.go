package tensor

import (
	"fmt"
	"math"
	"testing"
)

// refMatMul computes x·wᵀ in float64 from w's float32 values.
func refMatMul(x []float32, w []float32, m, n, k int) []float32 {
	out := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(x[i*k+p]) * float64(w[j*k+p])
			}
			out[i*n+j] = float32(s)
		}
	}
	return out
}

// weightAs converts an F32 [n, k] weight to dtype dt.
func weightAs(t testing.TB, w *Tensor, dt DType) *Tensor {
	t.Helper()
	switch dt {
	case F32:
		return w
	case F16, BF16:
		u := make([]uint16, w.Len())
		for i, v := range w.Data() {
			if dt == BF16 {
				u[i] = uint16(f32bits(v) >> 16) // truncation is fine for a test weight
			} else {
				u[i] = f16FromF32(v)
			}
		}
		return FromU16(dt, u, w.Shape()...)
	case Q4, Q8:
		bits := 4
		if dt == Q8 {
			bits = 8
		}
		q, err := Quantize(w, bits, 32)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	t.Fatalf("dtype %v", dt)
	return nil
}

func TestMatMul(t *testing.T) {
	for _, dt := range []DType{F32, F16, BF16, Q4, Q8} {
		for _, sz := range [][3]int{{1, 1, 32}, {1, 70, 64}, {2, 3, 32}, {5, 130, 96}, {200, 67, 64}, {263, 397, 64}, {300, 450, 64}, {3, 17, 0}} {
			m, n, k := sz[0], sz[1], sz[2]
			if dt != F32 && k == 0 {
				continue
			}
			t.Run(fmt.Sprintf("%v/%dx%dx%d", dt, m, n, k), func(t *testing.T) {
				x := randT(uint64(m*n+k), m, k)
				w := weightAs(t, randT(uint64(n), n, k), dt)
				wf := w.ToF32().Data() // the exact values the kernel sees
				want := refMatMul(x.Data(), wf, m, n, k)
				got := MatMul(x, w)
				assertShape(t, "out", got, m, n)
				assertClose(t, "matmul", got.Data(), want, 1e-5, 1e-5)
				withWorkers(t, "matmul", func() []float32 { return MatMul(x, w).Data() })
				b := randT(uint64(n+7), n)
				wantB := append([]float32(nil), want...)
				for i := range wantB {
					wantB[i] += b.Data()[i%max(n, 1)]
				}
				assertClose(t, "matmul+bias", MatMulBias(x, w, b).Data(), wantB, 1e-5, 1e-5)
				if m != 1 || (dt != Q4 && dt != Q8) {
					return
				}
				defer SetIntegerMatVec(SetIntegerMatVec(true))
				got = MatMul(x, w)
				assertWithinQ8Bound(t, got.Data(), want, x.Data(), w)
				withWorkers(t, "integer matvec", func() []float32 { return MatMul(x, w).Data() })
			})
		}
	}
}

// assertWithinQ8Bound checks one row of a quantized MatMul against the
// float64 reference with the integer path's error bound (kernels/quant.go):
// the activation is rounded to 8 bits per block of 32, so row j may be off
// by Σ_p |s_g·q_jp| · max|x in p's block| / 254, plus float32 rounding.
func assertWithinQ8Bound(t *testing.T, got, want, x []float32, w *Tensor) {
	t.Helper()
	k := len(x)
	wf := w.ToF32().Data()
	gpr := k / w.group
	for j := range want {
		var bound float64
		for p := 0; p < k; p++ {
			var amax float64
			for _, v := range x[p/32*32 : min(p/32*32+32, k)] {
				amax = max(amax, math.Abs(float64(v)))
			}
			sq := float64(wf[j*k+p]) - float64(w.biases[j*gpr+p/w.group])
			bound += math.Abs(sq) * amax / 254
		}
		bound += 1e-5 * (1 + math.Abs(float64(want[j])))
		if d := math.Abs(float64(got[j]) - float64(want[j])); d > bound {
			t.Fatalf("row %d: got %v, want %v (|Δ| %.3g > bound %.3g)", j, got[j], want[j], d, bound)
		}
	}
}

func TestMatMulLeadingDimsAndBias(t *testing.T) {
	x := randT(1, 2, 3, 32)
	w := randT(2, 5, 32)
	b := randT(3, 5)
	got := MatMulBias(x, w, b)
	assertShape(t, "out", got, 2, 3, 5)
	want := refMatMul(x.Data(), w.Data(), 6, 5, 32)
	for i := range want {
		want[i] += b.Data()[i%5]
	}
	assertClose(t, "bias", got.Data(), want, 1e-5, 1e-5)
	expectPanic[*ShapeError](t, "k mismatch", func() { MatMul(randT(1, 2, 31), w) })
	expectPanic[*DTypeError](t, "int weight", func() { MatMul(x, FromInt32(make([]int32, 64), 2, 32)) })
	expectPanic[*ShapeError](t, "bias", func() { MatMulBias(x, w, New(4)) })
}

func TestBatchMatMul(t *testing.T) {
	B, M, K, N := 3, 37, 19, 21
	a := randT(1, B, M, K)
	bn := randT(2, B, K, N)
	bt := Transpose(bn, 0, 2, 1)
	for _, tr := range []bool{false, true} {
		b := bn
		if tr {
			b = bt
		}
		got := BatchMatMul(a, b, tr)
		assertShape(t, "out", got, B, M, N)
		for bi := 0; bi < B; bi++ {
			// reference with the [N, K] layout
			wt := Transpose(bn.Row(bi), 1, 0)
			want := refMatMul(a.Row(bi).Data(), wt.Data(), M, N, K)
			assertClose(t, "bmm", got.Row(bi).Data(), want, 1e-5, 1e-5)
		}
		withWorkers(t, "bmm", func() []float32 { return BatchMatMul(a, b, tr).Data() })
	}
	expectPanic[*ShapeError](t, "inner", func() { BatchMatMul(a, bn, true) })
}

func TestEmbedding(t *testing.T) {
	w := randT(4, 10, 64)
	for _, dt := range []DType{F32, BF16, Q8} {
		wt := weightAs(t, w, dt)
		ref := wt.ToF32().Data()
		got := Embedding(wt, []int32{3, 0, 9, 3})
		assertShape(t, "embed", got, 4, 64)
		for i, id := range []int{3, 0, 9, 3} {
			assertClose(t, "row", got.Row(i).Data(), ref[id*64:(id+1)*64], 0, 0)
		}
	}
	expectPanic[*ShapeError](t, "oob", func() { Embedding(w, []int32{10}) })
}

// TestMMTiles checks the tile chooser: shapes from the candidate set, the
// whole product covered, enough tiles for 16 cores where the product allows
// it, and the largest tiles for a product that already has plenty of them.
func TestMMTiles(t *testing.T) {
	cases := []struct {
		m, n, k  int
		minTiles int // at least this many tiles
		mt, nt   int // expected shape when not 0
	}{
		{512, 128, 896, 16, 0, 0},     // Qwen2-0.5B K/V projection: 4 tiles before
		{512, 896, 896, 32, 0, 0},     // its Q/O projections: 20 tiles before
		{1024, 1024, 1024, 32, 0, 0},  // 24 tiles before
		{512, 4864, 896, 64, 256, 96}, // gate/up: packed once, 26 tiles before
		{512, 896, 4864, 10, 0, 0},    // down: k too long to pack once
		{2048, 2048, 2048, 48, 0, 0},
		{1024, 3072, 768, 32, 256, 384},
		{2, 4864, 896, 13, 0, 0},
		{3, 17, 5, 1, 0, 0},
	}
	for _, c := range cases {
		mt, nt := mmTiles(c.m, c.n, c.k)
		t.Logf("%dx%dx%d: %dx%d", c.m, c.k, c.n, mt, nt)
		if (mt != 256 && mt != 128 && mt != 64) || (nt != 384 && nt != 192 && nt != 96) {
			t.Errorf("%dx%d: tile %dx%d is not a candidate shape", c.m, c.n, mt, nt)
		}
		if tiles := ((c.m + mt - 1) / mt) * ((c.n + nt - 1) / nt); tiles < c.minTiles {
			t.Errorf("%dx%d: %d tiles of %dx%d, want at least %d", c.m, c.n, tiles, mt, nt, c.minTiles)
		}
		if c.mt != 0 && (mt != c.mt || nt != c.nt) {
			t.Errorf("%dx%d: tile %dx%d, want %dx%d", c.m, c.n, mt, nt, c.mt, c.nt)
		}
	}
}
