package tensor

import (
	"container/heap"
	"sort"
)

// Argmax returns the index of the largest value of x (the first one on
// ties; NaNs are skipped), or -1 for an empty or all-NaN slice.
func Argmax(x []float32) int {
	best := -1
	for i, v := range x {
		if v != v {
			continue
		}
		if best < 0 || v > x[best] {
			best = i
		}
	}
	return best
}

// TopK returns the k largest values of x and their indices, largest first;
// equal values keep index order. k is clamped to [0, len(x)]; NaNs are
// skipped.
func TopK(x []float32, k int) (idx []int, vals []float32) {
	k = min(max(k, 0), len(x))
	h := make(minHeap, 0, k)
	for i, v := range x {
		if v != v || k == 0 {
			continue
		}
		e := entry{v, i}
		if len(h) < k {
			heap.Push(&h, e)
		} else if e.better(h[0]) {
			h[0] = e
			heap.Fix(&h, 0)
		}
	}
	sort.Slice(h, func(a, b int) bool { return h[a].better(h[b]) })
	idx = make([]int, len(h))
	vals = make([]float32, len(h))
	for i, e := range h {
		idx[i], vals[i] = e.i, e.v
	}
	return idx, vals
}

type entry struct {
	v float32
	i int
}

// better orders by value descending, then index ascending.
func (e entry) better(o entry) bool { return e.v > o.v || (e.v == o.v && e.i < o.i) }

// minHeap keeps the worst retained entry at the root.
type minHeap []entry

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(a, b int) bool { return h[b].better(h[a]) }
func (h minHeap) Swap(a, b int)      { h[a], h[b] = h[b], h[a] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *minHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
