package tensor

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/govlm/govlm/kernels"
)

// Work is split into fixed tiles of the output so that every element is
// computed by one kernel call whose arguments do not depend on the number of
// workers: results are bit-identical for any worker count. A GemmNT call
// packs its activation rows once per tile column and its weight rows once
// per tile row (unless cpuMatMul packs the activation rows once per row
// block for all tiles), so large tiles keep packing (and BF16/Q4/Q8
// conversion) small next to the multiply, while small tiles keep many cores
// busy: mmTiles weighs the two (bench/RESULTS.md).
const (
	mmTileN    = 384 // largest output columns (weight rows) per GemmNT tile
	mmTileM    = 256 // largest activation rows per GemmNT tile
	mmModelW   = 16  // workers mmTiles plans for (a constant: never the actual count)
	mvTileN    = 16  // weight rows per MatVec tile
	mvTileNQ   = 64  // the same for the float path over Q4/Q8 weights
	gemmMinRow = 2   // from this many rows on, GemmNT replaces MatVec
	// mmPackedFloats bounds a row block packed once for all its tiles
	// (mt·k values, 1 MB): larger blocks fall out of cache between tiles,
	// and reading them back cost more than packing them per tile on the
	// build host (512×4864 activations: +9 % CPU).
	mmPackedFloats = 1 << 18
)

// MatMul returns x·wᵀ: x is F32 [..., k] and w is a weight [n, k] of any
// float or quantized dtype (Hugging Face's Linear layout); the result is F32
// [..., n]. One row uses the matrix-vector kernel, more rows the GEMM kernel.
// MatMul panics with a *ShapeError or *DTypeError when the operands do not
// fit (a bug in the calling model).
func MatMul(x, w *Tensor) *Tensor { return matMul("MatMul", x, w, nil) }

// MatMulBias returns x·wᵀ + b with b F32 [n] (nil means no bias). On the
// CPU backend the bias is added to each output tile while it is in cache.
func MatMulBias(x, w, b *Tensor) *Tensor {
	if b == nil {
		return MatMul(x, w)
	}
	bd := b.wantF32("MatMulBias")
	if w.Rank() == 2 && b.Len() != w.shape[0] {
		panic(shapeErr("MatMulBias", fmt.Sprintf("bias must hold %d values", w.shape[0]), x, w, b))
	}
	return matMul("MatMulBias", x, w, bd)
}

// matMul returns x·wᵀ (+ bias when not nil).
func matMul(op string, x, w *Tensor, bias []float32) *Tensor {
	m, k := matmulCheck(op, x, w)
	n := w.shape[0]
	var buf [8]int
	shape := append(buf[:0], x.shape...)
	shape[len(shape)-1] = n
	out := empty(shape...)
	if _, ok := CurrentBackend().(CPU); ok {
		cpuMatMul(out.f32, x.f32[:m*k], m, k, w, bias) // no views to allocate
		return out
	}
	CurrentBackend().MatMul(out.view([]int{m, n}, 0, m*n), x.view([]int{m, k}, 0, m*k), w)
	if bias != nil {
		parFor(m, max(1, actGrain/max(n, 1)), func(r0, r1 int) {
			addRows(out.f32[r0*n:r1*n], bias)
		})
	}
	return out
}

// matmulCheck validates x and w and returns the rows and columns of x seen
// as a matrix [m, k].
func matmulCheck(op string, x, w *Tensor) (m, k int) {
	x.wantF32(op)
	w.live(op)
	if !w.dtype.IsFloat() {
		panic(&DTypeError{Op: op, DType: w.dtype, Reason: "weight must be F32, F16, BF16, Q4 or Q8"})
	}
	if w.Rank() != 2 || x.Rank() < 1 || x.Dim(-1) != w.shape[1] {
		panic(shapeErr(op, "want x [..., k] and w [n, k]", x, w))
	}
	k = w.shape[1]
	m = numel(x.shape[:len(x.shape)-1])
	return m, k
}

// MatMul implements Backend.MatMul.
func (CPU) MatMul(dst, x, w *Tensor) {
	cpuMatMul(dst.f32, x.f32, x.shape[0], x.shape[1], w, nil)
}

// cpuMatMul sets y[m, n] = a[m, k]·wᵀ, plus bias[n] on every row when bias
// is not nil.
func cpuMatMul(y, a []float32, m, k int, w *Tensor, bias []float32) {
	n := w.shape[0]
	mat := w.Mat()
	if k == 0 {
		clear(y)
		if bias != nil {
			addRows(y, bias)
		}
		return
	}
	if m < gemmMinRow && bias != nil {
		defer addRows(y, bias) // one row: n values
	}
	if m < gemmMinRow {
		quant := mat.Format == kernels.FormatQ4 || mat.Format == kernels.FormatQ8
		if quant && integerMatVec.Load() {
			matVecQ(y, mat, a[:k], (n+mvTileN-1)/mvTileN)
			return
		}
		// Every MatVec call on a quantized weight first sums x per group
		// (and currently allocates that scratch), so those get longer tiles.
		tile := mvTileN
		if quant {
			tile = mvTileNQ
		}
		tiles := (n + tile - 1) / tile
		for i := 0; i < m; i++ {
			yi, xi := y[i*n:(i+1)*n], a[i*k:(i+1)*k]
			parFor(tiles, max(1, 4*mvTileN/tile), func(t0, t1 int) {
				for t := t0; t < t1; t++ {
					lo, hi := t*tile, min((t+1)*tile, n)
					kernels.MatVec(yi[lo:hi], mat, lo, hi, xi)
				}
			})
		}
		return
	}
	mt, nt := mmTiles(m, n, k)
	tn := (n + nt - 1) / nt
	tm := (m + mt - 1) / mt
	var packs []kernels.PackedA
	if tn > 1 && mt*k <= mmPackedFloats { // several tiles share each row block: pack it once
		box := packedPool.Get().(*[]kernels.PackedA)
		defer packedPool.Put(box)
		packs = growPacked(box, tm)
		packRowBlocks(packs, a, m, k, mt)
	}
	parTiles(tn*tm, func(t int) { // tiles differ in size at the edges
		i0 := (t / tn) * mt
		i1 := min(i0+mt, m)
		lo := (t % tn) * nt
		hi := min(lo+nt, n)
		if packs != nil {
			kernels.GemmNTPacked(y[i0*n+lo:], n, &packs[t/tn], mat, lo, hi)
		} else {
			kernels.GemmNT(y[i0*n+lo:], n, a[i0*k:], k, i1-i0, mat, lo, hi)
		}
		if bias != nil {
			for i := i0; i < i1; i++ {
				addRows(y[i*n+lo:i*n+hi], bias[lo:hi])
			}
		}
	})
}

// packedPool holds the packed row blocks of one MatMul call.
var packedPool = sync.Pool{New: func() any { return new([]kernels.PackedA) }}

// growPacked returns n packed blocks from box, keeping earlier buffers.
func growPacked(box *[]kernels.PackedA, n int) []kernels.PackedA {
	if cap(*box) < n {
		*box = append((*box)[:cap(*box)], make([]kernels.PackedA, n-cap(*box))...)
	}
	*box = (*box)[:n]
	return *box
}

// packPanels is how many register-row panels one packing job covers.
const packPanels = 4

// packRowBlocks packs the mt-row blocks of a[m, k] into packs, the jobs of
// all blocks spread over the workers. Every panel's values depend only on
// a, so the worker count cannot change them.
func packRowBlocks(packs []kernels.PackedA, a []float32, m, k, mt int) {
	var first [65]int // job index where each block starts; 64 blocks fit without allocating
	starts := first[:0]
	if len(packs)+1 > len(first) {
		starts = make([]int, 0, len(packs)+1)
	}
	jobs := 0
	for b := range packs {
		i0 := b * mt
		panels := packs[b].Init(a[i0*k:], k, min(mt, m-i0), k)
		starts = append(starts, jobs)
		jobs += (panels + packPanels - 1) / packPanels
	}
	starts = append(starts, jobs)
	parTiles(jobs, func(j int) {
		b := 0
		for starts[b+1] <= j {
			b++
		}
		p0 := (j - starts[b]) * packPanels
		packs[b].Pack(p0, p0+packPanels) // Pack clips to the block's panels
	})
}

// mmTiles returns the tile size of an [m, k]·[n, k]ᵀ product, one of
// {256, 128, 64} rows × {384, 192, 96} columns (multiples of every tier's
// register tile but AVX2's 6 rows). It picks the shape with the least
// estimated time on mmModelW workers claiming tiles in order plus the
// total work spread over them, so that a product keeps 16 cores busy
// without costing fewer cores much extra packing. The estimate per tile,
// in cycles per unit of k, is mt·nt/32 for the multiply, 1.5·nt for
// packing (and converting) its weight rows, which every row block repeats
// (BF16 measured about 1.4 cycles a value on the build host), and mt/4 for
// packing its activation rows unless the row block is packed once for all
// its tiles (mt·k ≤ mmPackedFloats, see packRowBlocks). It depends on the
// shape only, never on the worker count.
func mmTiles(m, n, k int) (mt, nt int) {
	best := -1.0
	for _, tm := range [...]int{mmTileM, mmTileM / 2, mmTileM / 4} {
		for _, tn := range [...]int{mmTileN, mmTileN / 2, mmTileN / 4} {
			span, total := mmTileCost(m, n, tm, tn, tm*k > mmPackedFloats)
			if c := span + total/mmModelW; best < 0 || c < best {
				best, mt, nt = c, tm, tn
			}
		}
	}
	return mt, nt
}

// mmTileCost returns the estimated finishing time (span) of mt×nt tiles of
// an [m, n] product claimed in order by mmModelW workers, and their summed
// cost (see mmTiles); packA says whether every tile packs its own
// activation rows.
func mmTileCost(m, n, mt, nt int, packA bool) (span, total float64) {
	var load [mmModelW]float64
	for i := 0; i < m; i += mt {
		a := float64(min(mt, m-i))
		for j := 0; j < n; j += nt {
			b := float64(min(nt, n-j))
			c := a*b/32 + 1.5*b
			if packA {
				c += a / 4
			}
			w := 0 // the first worker to be free claims the next tile
			for x := 1; x < mmModelW; x++ {
				if load[x] < load[w] {
					w = x
				}
			}
			load[w] += c
			total += c
		}
	}
	for _, l := range load {
		span = max(span, l)
	}
	return span, total
}

var integerMatVec atomic.Bool

// SetIntegerMatVec chooses how a one-row MatMul (a decode step) multiplies
// by a Q4 or Q8 weight and returns the previous choice. Off (the default),
// the weight is expanded to float32 on the fly and the product is as exact
// as for float weights. On, the activation row is first rounded to 8 bits
// per block of 32 values and each weight row reduces with integer dot
// products (kernels.MatVecQ): about 2.5× faster on AVX-512 VNNI, at the
// cost of an error up to max|x in block|/254 per activation value (the
// bound in kernels/quant.go). On the tiny random test fixtures of vlm,
// whose logits nearly tie, that is enough to change greedy tokens; it is
// meant for real checkpoints where the weights' own 4- or 8-bit rounding
// dominates. Call it at start-up, not while operations run.
func SetIntegerMatVec(on bool) bool { return integerMatVec.Swap(on) }

// actPool holds activation rows quantized for kernels.MatVecQ.
var actPool = sync.Pool{New: func() any { return new(kernels.ActQ8) }}

// matVecQ computes y = W·x for one activation row and a Q4 or Q8 weight on
// the integer path (see SetIntegerMatVec): x is quantized once, then tiles
// of weight rows reduce in parallel.
func matVecQ(y []float32, w *kernels.Mat, x []float32, tiles int) {
	act := actPool.Get().(*kernels.ActQ8)
	defer actPool.Put(act)
	kernels.QuantizeActQ8(act, x)
	n := w.Rows
	parFor(tiles, 4, func(t0, t1 int) {
		for t := t0; t < t1; t++ {
			lo, hi := t*mvTileN, min((t+1)*mvTileN, n)
			kernels.MatVecQ(y[lo:hi], w, lo, hi, act)
		}
	})
}

// BatchMatMul multiplies F32 matrices over a shared leading batch dimension:
// a [B, M, K] times b [B, K, N] (or b [B, N, K] with transB) gives
// [B, M, N]. It panics with a *ShapeError when the shapes disagree.
func BatchMatMul(a, b *Tensor, transB bool) *Tensor {
	ad, bd := a.wantF32("BatchMatMul"), b.wantF32("BatchMatMul")
	if a.Rank() != 3 || b.Rank() != 3 || a.shape[0] != b.shape[0] {
		panic(shapeErr("BatchMatMul", "want [B, M, K] and [B, K, N] (or [B, N, K] with transB)", a, b))
	}
	B, M, K := a.shape[0], a.shape[1], a.shape[2]
	N, kb := b.shape[2], b.shape[1]
	if transB {
		N, kb = b.shape[1], b.shape[2]
	}
	if kb != K {
		panic(shapeErr("BatchMatMul", "inner dimensions differ", a, b))
	}
	out := empty(B, M, N)
	c := out.f32
	const rowTile = 16
	tiles := (M + rowTile - 1) / rowTile
	parFor(B*tiles, 1, func(t0, t1 int) {
		for t := t0; t < t1; t++ {
			bi := t / tiles
			i0 := (t % tiles) * rowTile
			rows := min(rowTile, M-i0)
			ap := ad[bi*M*K+i0*K:]
			bp := bd[bi*K*N:]
			cp := c[bi*M*N+i0*N:]
			if transB {
				kernels.GemmF32NT(rows, N, K, ap, K, bp, K, cp, N, false)
			} else {
				kernels.GemmF32NN(rows, N, K, ap, K, bp, N, cp, N, false)
			}
		}
	})
	return out
}
