package tensor

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"unsafe"
)

func TestShapeAccessors(t *testing.T) {
	x := New(2, 3, 4)
	if x.Rank() != 3 || x.Len() != 24 || x.Dim(-1) != 4 || x.Dim(0) != 2 || x.DType() != F32 {
		t.Fatalf("accessors wrong: %v", x)
	}
	s := x.Shape()
	s[0] = 99
	if x.Dim(0) != 2 {
		t.Fatal("Shape returned internal slice")
	}
	if got := x.String(); got != "Tensor(F32 [2 3 4])" {
		t.Fatalf("String = %q", got)
	}
	expectPanic[*ShapeError](t, "Dim", func() { x.Dim(3) })
	expectPanic[*ShapeError](t, "New", func() { New(2, -1) })
}

func TestReshapeRowSlice(t *testing.T) {
	d := make([]float32, 24)
	for i := range d {
		d[i] = float32(i)
	}
	x := FromF32(d, 2, 3, 4)
	r := x.Reshape(-1, 4)
	assertShape(t, "reshape", r, 6, 4)
	r.Data()[0] = 100
	if d[0] != 100 {
		t.Fatal("Reshape is not a view")
	}
	d[0] = 0
	assertClose(t, "row", x.Row(1).Data(), d[12:24], 0, 0)
	v := x.Slice(0, 1, 2) // contiguous: view
	v.Data()[0] = -1
	if d[12] != -1 {
		t.Fatal("outer Slice is not a view")
	}
	d[12] = 12
	c := x.Slice(2, 1, 3) // copy
	assertShape(t, "slice", c, 2, 3, 2)
	want := []float32{1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}
	assertClose(t, "slice", c.Data(), want, 0, 0)
	assertClose(t, "slice neg", x.Slice(-2, 2, 3).Data(), []float32{8, 9, 10, 11, 20, 21, 22, 23}, 0, 0)
	expectPanic[*ShapeError](t, "reshape", func() { x.Reshape(5, -1) })
	expectPanic[*ShapeError](t, "slice", func() { x.Slice(1, 2, 4) })
	expectPanic[*ShapeError](t, "row", func() { x.Row(2) })
	expectPanic[*ShapeError](t, "FromF32", func() { FromF32(d, 5) })
}

func TestFromBytes(t *testing.T) {
	vals := []float32{1.5, -2, 3.25}
	backing := make([]uint32, len(vals)+1) // 4-byte aligned storage
	buf := unsafe.Slice((*byte)(unsafe.Pointer(&backing[0])), 4*len(backing))
	for off := 0; off < 2; off++ { // aligned (alias) and misaligned (copy)
		b := buf[off : off+12]
		for i, v := range vals {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		x, err := FromBytes(F32, b, 3)
		if err != nil {
			t.Fatal(err)
		}
		assertClose(t, "f32", x.Data(), vals, 0, 0)
		if aliased := &x.Data()[0] == (*float32)(unsafe.Pointer(&b[0])); aliased != (off == 0 && littleEndian) {
			t.Fatalf("offset %d: aliased %v", off, aliased)
		}
	}
	b := []byte{1, 0, 2, 0, 0xff, 0xff, 0xff, 0xff}
	x, err := FromBytes(I32, b, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Int32s(); got[0] != 0x20001 || got[1] != -1 {
		t.Fatalf("I32 = %v", got)
	}
	h, _ := FromBytes(BF16, []byte{0x80, 0x3f, 0x00, 0xc0}, 2)
	assertClose(t, "bf16", h.ToF32().Data(), []float32{1, -2}, 0, 0)
	f, _ := FromBytes(F16, []byte{0x00, 0x3c, 0x00, 0xb8}, 2)
	assertClose(t, "f16", f.ToF32().Data(), []float32{1, -0.5}, 0, 0)
	i8, _ := FromBytes(I8, []byte{0xff, 7}, 2)
	assertClose(t, "i8", i8.ToF32().Data(), []float32{-1, 7}, 0, 0)

	var se *ShapeError
	if _, err := FromBytes(F32, b, 3); !errors.As(err, &se) {
		t.Fatalf("short buffer: %v, want *ShapeError", err)
	}
	var de *DTypeError
	if _, err := FromBytes(Q4, b, 2); !errors.As(err, &de) {
		t.Fatalf("Q4: %v, want *DTypeError", err)
	}
}

func TestDTypeNames(t *testing.T) {
	for _, d := range []DType{F32, F16, BF16, I8, U8, I32, I64, U32, Bool} {
		got, ok := ParseDType(d.String())
		if !ok || got != d {
			t.Fatalf("ParseDType(%q) = %v, %v", d.String(), got, ok)
		}
	}
	if _, ok := ParseDType("Q4"); ok {
		t.Fatal("Q4 is not a safetensors dtype")
	}
	if Bool.String() != "BOOL" || BF16.Size() != 2 || I64.Size() != 8 {
		t.Fatal("dtype metadata wrong")
	}
}

func TestReleaseAndReuse(t *testing.T) {
	x := New(100)
	x.Data()[3] = 7
	x.Release()
	x.Release() // harmless
	if !x.Released() {
		t.Fatal("not marked released")
	}
	expectPanic[*DTypeError](t, "use after release", func() { x.Data() })
	y := New(100)
	for _, v := range y.Data() {
		if v != 0 {
			t.Fatal("New returned non-zero storage")
		}
	}
	// Views and wrapped data are not owners.
	d := []float32{1, 2, 3, 4}
	w := FromF32(d, 2, 2)
	w.Release()
	if w.Released() || w.Data()[0] != 1 {
		t.Fatal("Release touched user-owned storage")
	}
	v := y.Reshape(10, 10)
	v.Release()
	if v.Released() {
		t.Fatal("Release on a view released it")
	}
	allocs := testing.AllocsPerRun(100, func() {
		z := empty(4096)
		z.Release()
	})
	if allocs > 2 {
		t.Fatalf("pooled New allocates %.0f objects per call", allocs)
	}
}

func TestRecover(t *testing.T) {
	run := func() (err error) {
		defer Recover(&err)
		MatMul(New(2, 3), New(4, 5))
		return nil
	}
	var se *ShapeError
	if err := run(); !errors.As(err, &se) || se.Op != "MatMul" {
		t.Fatalf("Recover gave %v", err)
	}
}

func TestCloneConcatSplitTranspose(t *testing.T) {
	a := randT(1, 2, 3, 4)
	b := randT(2, 2, 5, 4)
	c := Concat(1, a, b)
	assertShape(t, "concat", c, 2, 8, 4)
	for i := 0; i < 2; i++ {
		for j := 0; j < 8; j++ {
			for k := 0; k < 4; k++ {
				var want float32
				if j < 3 {
					want = a.Data()[(i*3+j)*4+k]
				} else {
					want = b.Data()[(i*5+j-3)*4+k]
				}
				if got := c.Data()[(i*8+j)*4+k]; got != want {
					t.Fatalf("concat [%d %d %d] = %v, want %v", i, j, k, got, want)
				}
			}
		}
	}
	parts := Split(c, 1, 3, 5)
	assertClose(t, "split0", parts[0].Data(), a.Data(), 0, 0)
	assertClose(t, "split1", parts[1].Data(), b.Data(), 0, 0)
	expectPanic[*ShapeError](t, "split", func() { Split(c, 1, 3, 3) })
	expectPanic[*ShapeError](t, "concat", func() { Concat(0, a, b) })

	x := randT(3, 2, 3, 5)
	p := Transpose(x, 2, 0, 1)
	assertShape(t, "transpose", p, 5, 2, 3)
	for i := 0; i < 2; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 5; k++ {
				if p.Data()[(k*2+i)*3+j] != x.Data()[(i*3+j)*5+k] {
					t.Fatalf("transpose wrong at %d %d %d", i, j, k)
				}
			}
		}
	}
	assertShape(t, "reverse", Transpose(x), 5, 3, 2)
	expectPanic[*ShapeError](t, "perm", func() { Transpose(x, 0, 0, 1) })
	ints := FromInt32([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	ti := Transpose(ints, 1, 0)
	if got := ti.Int32s(); got[1] != 4 || got[2] != 2 {
		t.Fatalf("int transpose %v", got)
	}
	cl := x.Clone()
	cl.Data()[0] = 42
	if x.Data()[0] == 42 {
		t.Fatal("Clone shares storage")
	}
}
