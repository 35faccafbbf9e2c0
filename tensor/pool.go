package tensor

import (
	"math/bits"
	"sync"
	"sync/atomic"

	ipar "github.com/govlm/govlm/internal/parallel"
)

// The scratch pool: float32 backing arrays in power-of-two size classes.
// sync.Pool lets the garbage collector reclaim idle arrays, so a burst of
// large prefill activations does not pin memory forever.

const minClass = 6 // smallest pooled array: 64 elements

var scratch [48]sync.Pool

func sizeClass(n int) int {
	if n <= 1<<minClass {
		return minClass
	}
	return bits.Len(uint(n - 1))
}

// getScratch returns a slice of length n and the box that owns its backing
// array. Contents are arbitrary.
func getScratch(n int) ([]float32, *[]float32) {
	c := sizeClass(n)
	if b, ok := scratch[c].Get().(*[]float32); ok {
		return (*b)[:n], b
	}
	s := make([]float32, 1<<c)
	return s[:n], &s
}

// Release returns t's storage to the scratch pool when t owns pooled storage
// (it was made by New or returned by an operation). It is a no-op for views,
// for wrapped user or memory-mapped data and on a second call. After Release
// t must not be used, nor any view of it.
func (t *Tensor) Release() {
	if t == nil || t.box == nil {
		return
	}
	b := t.box
	t.box, t.f32, t.released = nil, nil, true
	t.mat.Store(nil)
	scratch[sizeClass(cap(*b))].Put(b)
}

// Released reports whether Release has returned t's storage.
func (t *Tensor) Released() bool { return t.released }

// parallel runs fn over [0, n) on the worker pool.
func parFor(n, grain int, fn func(lo, hi int)) { ipar.For(n, grain, fn) }

// putScratch returns a box obtained from getScratch.
func putScratch(b *[]float32) { scratch[sizeClass(cap(*b))].Put(b) }

// parTiles calls fn(t) once for every tile t in [0, n). Workers take the
// next unclaimed tile from a shared counter, so tiles of uneven cost (or a
// core lost to another process) do not leave the other workers idle. Which
// worker runs a tile never changes its result.
func parTiles(n int, fn func(t int)) {
	w := min(ipar.Workers(), n)
	if w <= 1 {
		for t := 0; t < n; t++ {
			fn(t)
		}
		return
	}
	var next atomic.Int64
	ipar.For(w, 1, func(_, _ int) { // one call per worker
		for {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			fn(t)
		}
	})
}
