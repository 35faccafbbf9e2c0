package nn

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govlm/govlm/tensor"
)

func randTensor(r *rand.Rand, shape ...int) *tensor.Tensor {
	n := 1
	for _, d := range shape {
		n *= d
	}
	d := make([]float32, n)
	for i := range d {
		d[i] = float32(r.NormFloat64())
	}
	return tensor.FromF32(d, shape...)
}

func maxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i]-b[i])))
	}
	return m
}

// rows returns rows [lo, hi) of a [seq, heads, dim] tensor as a new tensor.
func rows(t *tensor.Tensor, lo, hi int) *tensor.Tensor {
	h, d := t.Dim(1), t.Dim(2)
	return tensor.FromF32(append([]float32(nil), t.Data()[lo*h*d:hi*h*d]...), hi-lo, h, d)
}

// cacheCase feeds a random sequence through a cache in chunks and compares
// the attention of every chunk with attention over the whole sequence under
// the reference visibility rule.
func runCacheCase(t *testing.T, c Cache, chunks []int, allow MaskFunc, tol float64) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	total := 0
	for _, n := range chunks {
		total += n
	}
	const hq, hkv, d = 4, 2, 32
	q := randTensor(r, total, hq, d)
	k := randTensor(r, total, hkv, d)
	v := randTensor(r, total, hkv, d)
	ref := tensor.Attention(q, k, v, tensor.AttentionOptions{Mask: BuildMask(0, total, span(0, total), allow)})
	refD := ref.Data()
	pos := 0
	for ci, n := range chunks {
		keys, values, opts := c.Update(rows(k, pos, pos+n), rows(v, pos, pos+n))
		got := tensor.Attention(rows(q, pos, pos+n), keys, values, opts)
		want := refD[pos*hq*d : (pos+n)*hq*d]
		if diff := maxAbsDiff(got.Data(), want); diff > tol {
			t.Fatalf("chunk %d (positions %d..%d): max |Δ| = %g > %g", ci, pos, pos+n-1, diff, tol)
		}
		// KeyPositions must describe the returned keys: recompute with an
		// explicit mask over them.
		kp := c.KeyPositions()
		if len(kp) != keys.Dim(0) {
			t.Fatalf("chunk %d: %d key positions for %d keys", ci, len(kp), keys.Dim(0))
		}
		got2 := tensor.Attention(rows(q, pos, pos+n), keys, values, tensor.AttentionOptions{Mask: BuildMask(pos, n, kp, allow)})
		if diff := maxAbsDiff(got2.Data(), want); diff > tol {
			t.Fatalf("chunk %d: attention with KeyPositions mask differs by %g", ci, diff)
		}
		pos += n
		if c.Offset() != pos {
			t.Fatalf("Offset() = %d after %d positions", c.Offset(), pos)
		}
	}
}

var chunkPlans = [][]int{
	{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
	{7, 1, 1, 1, 1, 1},
	{3, 5, 1, 9, 1, 1, 4, 1},
	{20, 1, 1},
	{300, 1, 1}, // crosses a CacheStep boundary
}

func TestKVCacheMatchesFullAttention(t *testing.T) {
	for _, plan := range chunkPlans {
		t.Run(fmt.Sprint(plan), func(t *testing.T) {
			runCacheCase(t, NewKVCache(), plan, CausalMask, 1e-5)
		})
	}
}

func TestRotatingCacheMatchesWindowedAttention(t *testing.T) {
	for _, window := range []int{1, 4, 6} {
		for _, plan := range chunkPlans[:4] {
			t.Run(fmt.Sprintf("window%d/%v", window, plan), func(t *testing.T) {
				c, err := NewRotatingCache(window)
				if err != nil {
					t.Fatal(err)
				}
				runCacheCase(t, c, plan, SlidingMask(window), 1e-5)
			})
		}
	}
}

func TestMaxKVCacheKeepsSinks(t *testing.T) {
	for _, tc := range []struct{ size, keep int }{{6, 2}, {8, 4}, {5, 1}} {
		for _, plan := range chunkPlans[:4] {
			t.Run(fmt.Sprintf("size%d-keep%d/%v", tc.size, tc.keep, plan), func(t *testing.T) {
				c, err := NewMaxKVCache(tc.size, tc.keep)
				if err != nil {
					t.Fatal(err)
				}
				ring := tc.size - tc.keep
				allow := func(q, k int) bool { return k <= q && (k < tc.keep || k > q-ring) }
				runCacheCase(t, c, plan, allow, 1e-5)
			})
		}
	}
}

func TestQuantizedCacheCloseToFullAttention(t *testing.T) {
	for _, tc := range []struct {
		bits, group int
		tol         float64
	}{{8, 32, 0.05}, {4, 32, 0.5}} {
		t.Run(fmt.Sprintf("q%d-g%d", tc.bits, tc.group), func(t *testing.T) {
			c, err := NewQuantizedCache(tc.bits, tc.group)
			if err != nil {
				t.Fatal(err)
			}
			runCacheCase(t, c, []int{5, 1, 1, 3, 1}, CausalMask, tc.tol)
		})
	}
}

func TestCacheConstructorsRejectBadArguments(t *testing.T) {
	if _, err := NewRotatingCache(0); err == nil {
		t.Error("window 0 accepted")
	}
	if _, err := NewMaxKVCache(4, 4); err == nil {
		t.Error("keep = size accepted")
	}
	if _, err := NewQuantizedCache(3, 32); err == nil {
		t.Error("3 bits accepted")
	}
	if _, err := NewQuantizedCache(8, 48); err == nil {
		t.Error("group 48 accepted")
	}
}

// TestCacheCopyAndTrim checks that a copy is independent and that trimming
// then re-feeding gives the same state as never having fed the trimmed
// positions.
func TestCacheCopyAndTrim(t *testing.T) {
	mk := map[string]func() Cache{
		"kv":       func() Cache { return NewKVCache() },
		"rotating": func() Cache { c, _ := NewRotatingCache(16); return c },
		"q8":       func() Cache { c, _ := NewQuantizedCache(8, 32); return c },
	}
	for name, newCache := range mk {
		t.Run(name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			k := randTensor(r, 10, 2, 32)
			v := randTensor(r, 10, 2, 32)
			a := newCache()
			a.Update(rows(k, 0, 6), rows(v, 0, 6))
			b := a.Copy()
			a.Update(rows(k, 6, 10), rows(v, 6, 10))
			if b.Offset() != 6 {
				t.Fatalf("copy offset %d changed by the original's update", b.Offset())
			}
			if n := a.Trim(4); n != 4 || a.Offset() != 6 {
				t.Fatalf("Trim(4) = %d, offset %d", n, a.Offset())
			}
			ka, va := a.State()
			kb, vb := b.State()
			if maxAbsDiff(ka.Data(), kb.Data()) != 0 || maxAbsDiff(va.Data(), vb.Data()) != 0 {
				t.Fatal("trimmed cache differs from the copy taken at the same offset")
			}
			if ka.Dim(0) != 6 {
				t.Fatalf("state holds %d positions, want 6", ka.Dim(0))
			}
		})
	}
}

func TestRotatingCacheTrimAfterEviction(t *testing.T) {
	c, _ := NewRotatingCache(4)
	r := rand.New(rand.NewPCG(5, 6))
	k := randTensor(r, 6, 1, 8)
	c.Update(k, k)
	if n := c.Trim(1); n != 0 {
		t.Fatalf("Trim after eviction removed %d positions", n)
	}
	ks, _ := c.State()
	if ks.Dim(0) != 4 || maxAbsDiff(ks.Data(), rows(k, 2, 6).Data()) != 0 {
		t.Fatal("state is not the last 4 positions in order")
	}
}

func TestKVCacheToQuantized(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	k := randTensor(r, 5, 2, 64)
	c := NewKVCache()
	c.Update(k, k)
	q, err := c.ToQuantized(8, 64)
	if err != nil {
		t.Fatal(err)
	}
	if q.Offset() != 5 {
		t.Fatalf("offset %d", q.Offset())
	}
	ks, _ := q.State()
	if d := maxAbsDiff(ks.Data(), k.Data()); d > 0.05 {
		t.Fatalf("8-bit round trip error %g", d)
	}
	// Groups run along a position's heads×headDim row: 2×64 fits groups of
	// 128 (each spanning both heads), 2×48 does not.
	if _, err := c.ToQuantized(8, 128); err != nil {
		t.Fatalf("2 heads of 64 with group 128: %v", err)
	}
	odd := NewKVCache()
	odd.Update(randTensor(r, 3, 2, 48), randTensor(r, 3, 2, 48))
	if _, err := odd.ToQuantized(8, 64); err == nil {
		t.Fatal("2 heads of 48 with group 64 accepted")
	}
}

func BenchmarkKVCacheDecodeStep(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const hkv, d = 2, 64
	prompt := randTensor(r, 1024, hkv, d)
	k := randTensor(r, 1, hkv, d)
	q := randTensor(r, 1, 14, d)
	for _, name := range []string{"kv", "rotating512", "q8"} {
		b.Run(name, func(b *testing.B) {
			var c Cache
			switch name {
			case "kv":
				c = NewKVCache()
			case "rotating512":
				c, _ = NewRotatingCache(512)
			case "q8":
				c, _ = NewQuantizedCache(8, 64)
			}
			c.Update(prompt, prompt)
			b.ResetTimer()
			for range b.N {
				keys, values, opts := c.Update(k, k)
				out := tensor.Attention(q, keys, values, opts)
				out.Release()
				c.Trim(1)
			}
		})
	}
}

func TestCacheShapeErrorsAreRecoverable(t *testing.T) {
	for name, c := range map[string]Cache{
		"kv":       NewKVCache(),
		"rotating": func() Cache { c, _ := NewRotatingCache(4); return c }(),
		"q8":       func() Cache { c, _ := NewQuantizedCache(8, 32); return c }(),
	} {
		err := func() (err error) {
			defer tensor.Recover(&err)
			c.Update(tensor.New(1, 2, 32), tensor.New(1, 2, 32))
			c.Update(tensor.New(1, 3, 32), tensor.New(1, 3, 32)) // head count changed
			return nil
		}()
		var se *tensor.ShapeError
		if !errors.As(err, &se) {
			t.Errorf("%s: got %v, want a *tensor.ShapeError", name, err)
		}
	}
}
