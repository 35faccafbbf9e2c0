package tensor

import "testing"

// refBroadcast computes a op b by explicit index arithmetic.
func refBroadcast(a, b *Tensor, f func(x, y float32) float32) ([]int, []float32) {
	shape, _ := BroadcastShape(a.shape, b.shape)
	n := numel(shape)
	out := make([]float32, n)
	idx := make([]int, len(shape))
	at := func(t *Tensor) float32 {
		off, stride := 0, 1
		for i := len(t.shape) - 1; i >= 0; i-- {
			j := len(shape) - len(t.shape) + i
			c := idx[j]
			if t.shape[i] == 1 {
				c = 0
			}
			off += c * stride
			stride *= t.shape[i]
		}
		return t.f32[off]
	}
	for e := 0; e < n; e++ {
		r := e
		for i := len(shape) - 1; i >= 0; i-- {
			idx[i] = r % shape[i]
			r /= shape[i]
		}
		out[e] = f(at(a), at(b))
	}
	return shape, out
}

func TestBroadcastOps(t *testing.T) {
	cases := [][2][]int{
		{{3, 4}, {3, 4}},
		{{3, 4}, {4}},
		{{3, 4}, {3, 1}},
		{{2, 1, 5}, {3, 1}},
		{{1}, {2, 3}},
		{{2, 3, 1}, {1, 1, 7}},
		{{4}, {}},
		// Large enough to split over workers at run boundaries that fall
		// in the middle of every outer dimension.
		{{5, 3001, 7}, {3001, 1}},
		{{40, 31, 50}, {40, 1, 50}},
	}
	ops := []struct {
		name string
		fn   func(a, b *Tensor) *Tensor
		ref  func(x, y float32) float32
	}{
		{"Add", Add, func(x, y float32) float32 { return x + y }},
		{"Sub", Sub, func(x, y float32) float32 { return x - y }},
		{"Mul", Mul, func(x, y float32) float32 { return x * y }},
		{"Div", Div, func(x, y float32) float32 { return x / y }},
	}
	for ci, c := range cases {
		a, b := randT(uint64(ci), c[0]...), randT(uint64(ci+100), c[1]...)
		for _, op := range ops {
			shape, want := refBroadcast(a, b, op.ref)
			got := op.fn(a, b)
			assertShape(t, op.name, got, shape...)
			assertClose(t, op.name, got.Data(), want, 0, 0)
		}
		withWorkers(t, "broadcast", func() []float32 { return Mul(a, b).Data() })
	}
	expectPanic[*ShapeError](t, "no broadcast", func() { Add(New(3, 4), New(3)) })
}

func TestInPlaceAndScalar(t *testing.T) {
	a := randT(1, 3, 4)
	b := randT(2, 4)
	_, want := refBroadcast(a, b, func(x, y float32) float32 { return x * y })
	c := a.Clone()
	MulInPlace(c, b)
	assertClose(t, "MulInPlace", c.Data(), want, 0, 0)
	_, want = refBroadcast(a, b, func(x, y float32) float32 { return x + y })
	c = a.Clone()
	AddInPlace(c, b)
	assertClose(t, "AddInPlace", c.Data(), want, 0, 0)
	expectPanic[*ShapeError](t, "in-place grows dst", func() { AddInPlace(b, a) })
	s := Scale(a, 2)
	p := AddScalar(a, 1)
	for i, v := range a.Data() {
		if s.Data()[i] != 2*v || p.Data()[i] != v+1 {
			t.Fatal("scalar ops wrong")
		}
	}
}
