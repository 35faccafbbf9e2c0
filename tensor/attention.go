package tensor

import (
	"math"

	"github.com/govlm/govlm/kernels"
)

// AttentionOptions configures Attention. The zero value is plain
// bidirectional attention scaled by 1/√D.
type AttentionOptions struct {
	// Scale multiplies q·k; 0 means 1/√D.
	Scale float32
	// Causal hides keys after the query's position. Query i sits at
	// absolute position QueryOffset+i; keys sit at 0..Lk-1.
	Causal      bool
	QueryOffset int
	// Window, when positive, is a sliding window: key j is visible to the
	// query at position p iff p-Window < j <= p (it implies Causal).
	Window int
	// Mask, when set, is [Lq, Lk] or [Hq, Lq, Lk]: BOOL (true = may
	// attend) or F32 (added to the scaled scores).
	Mask *Tensor
	// Softcap, when positive, squashes scores to cap·tanh(s/cap) before
	// masking (Gemma 2 style).
	Softcap float32
}

// Attention computes softmax(q·kᵀ·scale + mask)·v for q [Lq, Hq, D],
// k [Lk, Hkv, D] and v [Lk, Hkv, Dv], giving [Lq, Hq, Dv]. Query heads are
// grouped over key/value heads (Hq a multiple of Hkv; head h reads kv head
// h/(Hq/Hkv)). The softmax subtracts each row's maximum; a query that may
// see no key gets zeros. Prefill never materialises the scores of the whole
// problem: a worker holds one tile of at most 128 (query row, head) pairs ×
// the visible keys. Decode (fewer than 4 query rows) keeps every head's
// scores over all keys, Hq·Lk values per query row. Attention panics with a
// *ShapeError when the shapes disagree.
func Attention(q, k, v *Tensor, opts AttentionOptions) *Tensor {
	q.wantF32("Attention")
	k.wantF32("Attention")
	v.wantF32("Attention")
	if q.Rank() != 3 || k.Rank() != 3 || v.Rank() != 3 ||
		k.shape[0] != v.shape[0] || k.shape[1] != v.shape[1] || q.shape[2] != k.shape[2] ||
		k.shape[1] == 0 || q.shape[1]%k.shape[1] != 0 {
		panic(shapeErr("Attention", "want q [Lq, Hq, D], k [Lk, Hkv, D], v [Lk, Hkv, Dv] with Hq a multiple of Hkv", q, k, v))
	}
	lq, hq := q.shape[0], q.shape[1]
	lk := k.shape[0]
	if m := opts.Mask; m != nil {
		m.live("Attention")
		ok := (m.Rank() == 2 && m.shape[0] == lq && m.shape[1] == lk) ||
			(m.Rank() == 3 && m.shape[0] == hq && m.shape[1] == lq && m.shape[2] == lk)
		if !ok {
			panic(shapeErr("Attention", "mask must be [Lq, Lk] or [Hq, Lq, Lk]", q, k, m))
		}
		if m.dtype != Bool && m.dtype != F32 {
			panic(&DTypeError{Op: "Attention", DType: m.dtype, Reason: "mask must be BOOL or F32"})
		}
	}
	if opts.Scale == 0 {
		opts.Scale = float32(1 / math.Sqrt(float64(q.shape[2])))
	}
	out := empty(lq, hq, v.shape[2])
	CurrentBackend().Attention(out, q, k, v, opts)
	return out
}

// The CPU attention works on units that never depend on the worker count,
// so results are bit-identical for any number of workers:
//
//   - prefill (Lq >= attnPrefillRows): a unit is a tile of query rows and
//     one key/value head; its GEMM rows are every (query row, query head of
//     the group) pair, about attnTileM of them, so each K and V slice is
//     packed once for the whole group. Scores come from one GEMM (q is
//     scaled as it is copied into the unit's buffer) against the union of
//     the rows' visible keys, a row-wise softmax follows (the vectorised
//     kernels.SoftmaxF32 over the visible range unless a mask or softcap
//     needs the general path), and a second GEMM multiplies the normalised
//     weights by V, as outᵀ = Vᵀ·Pᵀ with V transposed once per call. Units
//     are claimed dynamically (causal rows see uneven numbers of keys).
//   - decode: a unit is one query row, the query heads that share one
//     key/value head (as GEMM rows) and one fixed chunk of attnKeyChunk keys,
//     so long contexts still spread over all cores. Units write their scores
//     into one row per (query, head); each whole row then goes through the
//     vectorised softmax; the units multiply their chunk of weights by V;
//     and the chunks' partial outputs are summed in key order.
const (
	attnPrefillRows = 4
	attnTileM       = 128
	attnKeyChunk    = 256
)

// attnCtx holds the operands of one Attention call.
type attnCtx struct {
	o                  AttentionOptions
	lq, hq, d, lk, hkv int
	dv, group          int
	qd, kd, vd, od     []float32
	maskB              []byte
	maskF              []float32
	maskPerHead        bool
}

// keys returns the visible key range [j0, j1) of query row i.
func (c *attnCtx) keys(i int) (int, int) {
	j0, j1 := 0, c.lk
	p := c.o.QueryOffset + i
	if c.o.Causal || c.o.Window > 0 {
		j1 = min(c.lk, p+1)
	}
	if c.o.Window > 0 {
		j0 = max(0, p-c.o.Window+1)
	}
	if j1 < j0 {
		j1 = j0
	}
	return j0, j1
}

// scoreRow turns dot products s (keys J0..J0+len(s)) of query row i and
// head h, multiplied by scale, into masked, soft-capped scores in place and
// returns their maximum (-Inf when no key is visible).
func (c *attnCtx) scoreRow(s []float32, i, h, J0 int, scale float32) float32 {
	j0, j1 := c.keys(i)
	ninf := float32(math.Inf(-1))
	if c.maskB == nil && c.maskF == nil && c.o.Softcap <= 0 {
		// Fast path: only the visible range [j0, j1) and the scale.
		lo, hi := min(max(j0-J0, 0), len(s)), min(max(j1-J0, 0), len(s))
		for x := range s[:lo] {
			s[x] = ninf
		}
		for x := range s[hi:] {
			s[hi+x] = ninf
		}
		m := ninf
		mid := s[lo:max(lo, hi)]
		for x, v := range mid {
			v *= scale
			mid[x] = v
			m = max(m, v)
		}
		return m
	}
	moff := i * c.lk
	if c.maskPerHead {
		moff += h * c.lq * c.lk
	}
	m := ninf
	for x := range s {
		j := J0 + x
		if j < j0 || j >= j1 {
			s[x] = ninf
			continue
		}
		v := s[x] * scale
		if c.o.Softcap > 0 {
			v = c.o.Softcap * float32(math.Tanh(float64(v/c.o.Softcap)))
		}
		switch {
		case c.maskB != nil && c.maskB[moff+j] == 0:
			v = ninf
		case c.maskF != nil:
			v += c.maskF[moff+j]
		}
		s[x] = v
		m = max(m, v)
	}
	return m
}

// Attention implements Backend.Attention.
func (CPU) Attention(dst, q, k, v *Tensor, o AttentionOptions) {
	c := &attnCtx{o: o, lq: q.shape[0], hq: q.shape[1], d: q.shape[2], lk: k.shape[0], hkv: k.shape[1], dv: v.shape[2],
		qd: q.f32, kd: k.f32, vd: v.f32, od: dst.f32}
	c.group = c.hq / c.hkv
	if o.Mask != nil {
		c.maskB, c.maskF = o.Mask.bytes, o.Mask.f32
		c.maskPerHead = o.Mask.Rank() == 3
	}
	clear(c.od)
	if c.lk == 0 || c.lq == 0 {
		return
	}
	if c.lq >= attnPrefillRows {
		c.prefill()
	} else {
		c.decode()
	}
}

func (c *attnCtx) prefill() {
	g := c.group
	rows := max(1, attnTileM/g) // query rows per unit; the GEMMs see rows·g
	tiles := (c.lq + rows - 1) / rows
	fast := c.maskB == nil && c.maskF == nil && c.o.Softcap <= 0
	// V transposed per key/value head, [hkv, dv, lk]: the second product
	// is computed as outᵀ = Vᵀ·Pᵀ, whose operands both pack with the fast
	// transposes and whose dv rows fill the micro-kernel's row blocks.
	vt, vbox := getScratch(c.hkv * c.dv * c.lk)
	defer putScratch(vbox)
	parFor(c.hkv*c.dv, 8, func(r0, r1 int) {
		for r := r0; r < r1; r++ {
			kh, e := r/c.dv, r%c.dv
			row := vt[r*c.lk : (r+1)*c.lk]
			for j := range row {
				row[j] = c.vd[(j*c.hkv+kh)*c.dv+e]
			}
		}
	})
	parTiles(tiles*c.hkv, func(u int) {
		var sc attnScratch
		defer sc.release()
		kh := u % c.hkv
		i0 := (u / c.hkv) * rows
		n := min(rows, c.lq-i0)
		J0, J1 := c.lk, 0
		for r := 0; r < n; r++ {
			if a, b := c.keys(i0 + r); a < b {
				J0, J1 = min(J0, a), max(J1, b)
			}
		}
		w := J1 - J0
		if w <= 0 {
			return
		}
		m := n * g // GEMM rows: (query row r, head kh·g+j) at r·g+j
		qb, s, ob := sc.get(m*c.d, m*w, m*c.dv)
		// The scale is folded into the copy of q, so the scores come
		// out of the first GEMM already scaled.
		for r := 0; r < n; r++ {
			src := c.qd[((i0+r)*c.hq+kh*g)*c.d:][:g*c.d]
			dst := qb[r*g*c.d : (r+1)*g*c.d]
			for e, v := range src {
				dst[e] = v * c.o.Scale
			}
		}
		kernels.GemmF32NT(m, w, c.d, qb, c.d, c.kd[(J0*c.hkv+kh)*c.d:], c.hkv*c.d, s, w, false)
		for ρ := 0; ρ < m; ρ++ {
			row := s[ρ*w : (ρ+1)*w]
			if fast {
				c.softmaxVisible(row, i0+ρ/g, J0)
				continue
			}
			if mx := c.scoreRow(row, i0+ρ/g, kh*g+ρ%g, J0, 1); math.IsInf(float64(mx), -1) {
				clear(row)
				continue
			}
			softmaxMasked(row)
		}
		// The weights are normalised, so outᵀ's columns are the outputs.
		kernels.GemmF32NT(c.dv, m, w, vt[kh*c.dv*c.lk+J0:], c.lk, s, w, ob, m, false)
		for ρ := 0; ρ < m; ρ++ {
			dst := c.od[((i0+ρ/g)*c.hq+kh*g+ρ%g)*c.dv:][:c.dv]
			for e := range dst {
				dst[e] = ob[e*m+ρ]
			}
		}
	})
}

// softmaxVisible turns the scaled scores s (keys J0..J0+len(s)) of query
// row i into attention weights when only the causal or window range hides
// keys: the visible range goes through the vectorised softmax, the rest
// becomes 0 (all of it when no key is visible).
func (c *attnCtx) softmaxVisible(s []float32, i, J0 int) {
	j0, j1 := c.keys(i)
	lo, hi := min(max(j0-J0, 0), len(s)), min(max(j1-J0, 0), len(s))
	if hi <= lo {
		clear(s)
		return
	}
	clear(s[:lo])
	clear(s[hi:])
	kernels.SoftmaxF32(s[lo:hi])
}

// softmaxMasked replaces the scores s, some of them −Inf, by their softmax.
// The kernel returns exact zeros for −Inf and for scores far below the
// maximum (kernels.SoftmaxF32), never subnormals, which would slow the next
// GEMM about tenfold.
func softmaxMasked(s []float32) { kernels.SoftmaxF32(s) }

// attnScratch holds one worker's pooled buffers, grown on demand.
type attnScratch struct {
	buf []float32
	box *[]float32
}

// get returns three disjoint slices of the given lengths.
func (a *attnScratch) get(n1, n2, n3 int) ([]float32, []float32, []float32) {
	if need := n1 + n2 + n3; cap(a.buf) < need {
		a.release()
		a.buf, a.box = getScratch(need)
	}
	b := a.buf[:cap(a.buf)]
	return b[:n1], b[n1 : n1+n2], b[n1+n2 : n1+n2+n3]
}

func (a *attnScratch) release() {
	if a.box != nil {
		putScratch(a.box)
		a.box, a.buf = nil, nil
	}
}

func (c *attnCtx) decode() {
	chunks := (c.lk + attnKeyChunk - 1) / attnKeyChunk
	g := c.group
	units := c.lq * c.hkv * chunks
	fast := c.maskB == nil && c.maskF == nil && c.o.Softcap <= 0
	// Scratch: q scaled ([lq, hq, d]), the scores of every (query row,
	// head) over all keys ([lq, hq, lk]) and one partial output per unit
	// and head of its group ([units, g, dv]).
	nq, ns := c.lq*c.hq*c.d, c.lq*c.hq*c.lk
	buf, box := getScratch(nq + ns + units*g*c.dv)
	defer putScratch(box)
	qs, sc, part := buf[:nq], buf[nq:nq+ns], buf[nq+ns:]
	for x, v := range c.qd[:nq] {
		qs[x] = v * c.o.Scale
	}
	// unit splits a unit index into query row, key/value head and the
	// chunk's visible keys [J0, J1).
	unit := func(u int) (i, kh, J0, J1 int) {
		ch := u % chunks
		kh = (u / chunks) % c.hkv
		i = u / (chunks * c.hkv)
		j0, j1 := c.keys(i)
		return i, kh, max(j0, ch*attnKeyChunk), min(j1, (ch+1)*attnKeyChunk)
	}
	// 1. Scaled scores, chunk by chunk.
	parFor(units, 1, func(u0, u1 int) {
		for u := u0; u < u1; u++ {
			i, kh, J0, J1 := unit(u)
			if J0 >= J1 {
				continue
			}
			row := (i*c.hq + kh*g) * c.lk
			kernels.GemmF32NT(g, J1-J0, c.d, qs[(i*c.hq+kh*g)*c.d:], c.d, c.kd[(J0*c.hkv+kh)*c.d:], c.hkv*c.d, sc[row+J0:], c.lk, false)
		}
	})
	// 2. Softmax over each whole row; keys no unit computed (outside the
	// visible range) become 0.
	parFor(c.lq*c.hq, 4, func(r0, r1 int) {
		for rr := r0; rr < r1; rr++ {
			i, h := rr/c.hq, rr%c.hq
			row := sc[rr*c.lk : (rr+1)*c.lk]
			if fast {
				c.softmaxVisible(row, i, 0)
				continue
			}
			j0, j1 := c.keys(i)
			if j1 <= j0 {
				clear(row)
				continue
			}
			clear(row[:j0])
			clear(row[j1:])
			if mx := c.scoreRow(row[j0:j1], i, h, j0, 1); math.IsInf(float64(mx), -1) {
				clear(row)
				continue
			}
			softmaxMasked(row[j0:j1])
		}
	})
	// 3. Each chunk's weights times its values.
	parFor(units, 1, func(u0, u1 int) {
		for u := u0; u < u1; u++ {
			i, kh, J0, J1 := unit(u)
			out := part[u*g*c.dv : (u+1)*g*c.dv]
			if J0 >= J1 {
				clear(out)
				continue
			}
			row := (i*c.hq + kh*g) * c.lk
			kernels.GemmF32NN(g, c.dv, J1-J0, sc[row+J0:], c.lk, c.vd[(J0*c.hkv+kh)*c.dv:], c.hkv*c.dv, out, c.dv, false)
		}
	})
	// 4. The chunks' partial outputs summed in key order.
	parFor(c.lq*c.hq, 8, func(r0, r1 int) {
		for rr := r0; rr < r1; rr++ {
			i, h := rr/c.hq, rr%c.hq
			kh, r := h/g, h%g
			out := c.od[rr*c.dv : (rr+1)*c.dv]
			for ch := 0; ch < chunks; ch++ {
				u := (i*c.hkv+kh)*chunks + ch
				p := part[(u*g+r)*c.dv : (u*g+r+1)*c.dv]
				for e, v := range p {
					out[e] += v
				}
			}
		}
	})
}
