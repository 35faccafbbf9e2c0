package tensor

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/govlm/govlm/internal/parallel"
)

// randF32 returns n values uniform in [-1, 1) from a fixed seed.
func randF32(seed uint64, n int) []float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]float32, n)
	for i := range out {
		out[i] = r.Float32()*2 - 1
	}
	return out
}

func randT(seed uint64, shape ...int) *Tensor {
	return FromF32(randF32(seed, numel(shape)), shape...)
}

// assertClose fails when |got-want| > atol + rtol·|want| anywhere.
func assertClose(t *testing.T, name string, got, want []float32, atol, rtol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > atol+rtol*math.Abs(w) {
			t.Fatalf("%s: [%d] = %v, want %v (|diff| %.3g)", name, i, g, w, math.Abs(g-w))
		}
	}
}

func assertShape(t *testing.T, name string, x *Tensor, want ...int) {
	t.Helper()
	if !sameShape(x.shape, want) {
		t.Fatalf("%s: shape %v, want %v", name, x.shape, want)
	}
}

// assertBitEqual fails unless got and want are identical bit for bit.
func assertBitEqual(t *testing.T, name string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: [%d] = %v, want %v bit-identical", name, i, got[i], want[i])
		}
	}
}

// withWorkers runs fn with 1, 2 and 7 workers and checks that the results
// are bit-identical.
func withWorkers(t *testing.T, name string, fn func() []float32) {
	t.Helper()
	old := parallel.SetWorkers(1)
	defer parallel.SetWorkers(old)
	ref := append([]float32(nil), fn()...)
	for _, w := range []int{2, 7} {
		parallel.SetWorkers(w)
		assertBitEqual(t, name, fn(), ref)
	}
}

// expectPanic runs fn and checks it panics with an error of type E.
func expectPanic[E error](t *testing.T, name string, fn func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if _, ok := r.(E); !ok {
			t.Fatalf("%s: panic %v (%T), want %T", name, r, r, *new(E))
		}
	}()
	fn()
}

func f32bits(v float32) uint32 { return math.Float32bits(v) }

// f16FromF32 converts a value that is exactly representable, or rounds it
// by truncation; good enough to build test weights.
func f16FromF32(v float32) uint16 {
	b := math.Float32bits(v)
	sign := uint16(b>>16) & 0x8000
	exp := int(b>>23&0xff) - 127 + 15
	if exp <= 0 {
		return sign
	}
	return sign | uint16(exp)<<10 | uint16(b>>13&0x3ff)
}

type testingMem struct{ bytes uint64 }

func (m *testingMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.bytes = s.TotalAlloc
}
