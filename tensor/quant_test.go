package tensor

import (
	"errors"
	"math"
	"testing"

	"github.com/govlm/govlm/kernels"
)

// A hand-made 4-bit group: values −4 + 0.5·(i mod 16). The negative end has
// the larger magnitude, so scale = 7.5/15 = 0.5, bias = −4 and q_i = i mod 16,
// packed lowest nibble first.
func TestQuantizeBitPacking4(t *testing.T) {
	w := make([]float32, 32)
	for i := range w {
		w[i] = -4 + 0.5*float32(i%16)
	}
	q, err := Quantize(FromF32(w, 1, 32), 4, 32)
	if err != nil {
		t.Fatal(err)
	}
	bits, gs, words, scales, biases := q.Quant()
	want := []uint32{0x76543210, 0xfedcba98, 0x76543210, 0xfedcba98}
	if bits != 4 || gs != 32 || q.DType() != Q4 {
		t.Fatalf("bits %d group %d dtype %v", bits, gs, q.DType())
	}
	for i := range want {
		if words[i] != want[i] {
			t.Fatalf("word %d = %#08x, want %#08x", i, words[i], want[i])
		}
	}
	if scales[0] != 0.5 || biases[0] != -4 {
		t.Fatalf("scale %v bias %v, want 0.5 -4", scales[0], biases[0])
	}
	assertClose(t, "dequant", Dequantize(q).Data(), w, 0, 0)
}

// A hand-made 8-bit group: −255 + 8i for i < 31 and 0 last: scale 1, bias
// −255, q_i = 8i and 255.
func TestQuantizeBitPacking8(t *testing.T) {
	w := make([]float32, 32)
	for i := range w {
		w[i] = -255 + 8*float32(i)
	}
	w[31] = 0
	q, err := Quantize(FromF32(w, 1, 32), 8, 32)
	if err != nil {
		t.Fatal(err)
	}
	_, _, words, scales, biases := q.Quant()
	if words[0] != 0x18100800 || words[7] != 0xfff0e8e0 {
		t.Fatalf("words %#08x ... %#08x", words[0], words[7])
	}
	if scales[0] != 1 || biases[0] != -255 {
		t.Fatalf("scale %v bias %v", scales[0], biases[0])
	}
	assertClose(t, "dequant", Dequantize(q).Data(), w, 0, 0)
}

// The positive end dominates: the bias is the maximum and the scale is
// negative, so the maximum is exact.
func TestQuantizePositiveEdge(t *testing.T) {
	w := randF32(5, 64)
	for i := range w {
		w[i] = w[i]*0.5 + 0.25
	}
	w[7] = 2
	q, _ := Quantize(FromF32(w, 1, 64), 4, 64)
	_, _, _, scales, biases := q.Quant()
	if biases[0] != 2 || scales[0] >= 0 {
		t.Fatalf("scale %v bias %v, want negative scale and bias 2", scales[0], biases[0])
	}
	if got := Dequantize(q).Data()[7]; got != 2 {
		t.Fatalf("max dequantizes to %v", got)
	}
}

func TestQuantizeErrorBound(t *testing.T) {
	for _, bits := range []int{4, 8} {
		for _, gs := range []int{32, 64, 128} {
			rows, cols := 5, 256
			w := randF32(uint64(bits*gs), rows*cols)
			q, err := Quantize(FromF32(w, rows, cols), bits, gs)
			if err != nil {
				t.Fatal(err)
			}
			_, _, _, scales, biases := q.Quant()
			d := Dequantize(q).Data()
			top := float64(int(1)<<bits - 1)
			for i := range w {
				// Representable range [lo, hi]; values outside it are
				// clipped, values inside round to the nearest step.
				s, b := float64(scales[i/gs]), float64(biases[i/gs])
				lo, hi := min(b, b+top*s), max(b, b+top*s)
				v := float64(w[i])
				clip := max(lo-v, v-hi, 0)
				if e := math.Abs(float64(d[i]) - v); e > math.Abs(s)/2*1.0001+clip+1e-7 {
					t.Fatalf("bits %d group %d: |err| %g > scale/2 %g + clip %g at %d", bits, gs, e, math.Abs(s)/2, clip, i)
				}
				if clip > math.Abs(s) {
					t.Fatalf("bits %d group %d: value %g clipped by %g, more than a step %g", bits, gs, v, clip, s)
				}
			}
			// The Mat view dequantizes the same values.
			row := make([]float32, cols)
			kernels.RowRef(row, q.Mat(), 3)
			assertClose(t, "mat row", row, d[3*cols:4*cols], 0, 0)
		}
	}
}

func TestQuantizeErrors(t *testing.T) {
	var se *ShapeError
	var de *DTypeError
	if _, err := Quantize(New(2, 48), 4, 32); !errors.As(err, &se) {
		t.Fatalf("cols not multiple of group: %v", err)
	}
	if _, err := Quantize(New(2, 64), 3, 32); !errors.As(err, &de) {
		t.Fatalf("3 bits: %v", err)
	}
	if _, err := Quantize(New(64), 4, 32); !errors.As(err, &se) {
		t.Fatalf("1-D: %v", err)
	}
	if _, err := NewQuantized(4, 32, make([]uint32, 3), make([]float32, 2), make([]float32, 2), 2, 32); !errors.As(err, &se) {
		t.Fatalf("short words: %v", err)
	}
	if _, err := NewQuantized(4, 32, make([]uint32, 8), make([]float32, 2), make([]float32, 2), 2, 32); err != nil {
		t.Fatal(err)
	}
}

func TestQuantizedFromParts(t *testing.T) {
	w := randT(9, 3, 64)
	q, _ := Quantize(w, 4, 32)
	bits, gs, words, scales, biases := q.Quant()
	wt := &Tensor{shape: []int{3, 8}, dtype: U32, u32: words}
	st := FromF32(scales, 3, 2)
	bt := FromF32(biases, 3, 2)
	r, err := QuantizedFromParts(wt, st, bt, bits, gs)
	if err != nil {
		t.Fatal(err)
	}
	assertShape(t, "parts", r, 3, 64)
	assertClose(t, "parts", r.ToF32().Data(), q.ToF32().Data(), 0, 0)
	var se *ShapeError
	if _, err := QuantizedFromParts(wt, st, bt, bits, 64); !errors.As(err, &se) {
		t.Fatalf("wrong group: %v", err)
	}
	var de *DTypeError
	if _, err := QuantizedFromParts(st, st, bt, bits, gs); !errors.As(err, &de) {
		t.Fatalf("float words: %v", err)
	}
}

func TestQuantizedRowSlice(t *testing.T) {
	w := randT(4, 6, 64)
	q, _ := Quantize(w, 8, 32)
	rows := q.Slice(0, 2, 5)
	assertShape(t, "rows", rows, 3, 64)
	assertClose(t, "rows", rows.ToF32().Data(), q.ToF32().Data()[2*64:5*64], 0, 0)
	one, _ := Quantize(randT(5, 1, 64), 4, 32)
	expectPanic[*DTypeError](t, "columns", func() { one.Slice(1, 0, 32) })
	expectPanic[*DTypeError](t, "row", func() { q.Row(0) })
	expectPanic[*DTypeError](t, "reshape", func() { q.Reshape(12, 32) })
}
