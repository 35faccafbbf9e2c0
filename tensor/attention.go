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
// h/(Hq/Hkv)). Rows are computed one at a time with a fused, max-subtracted
// softmax; a query that may see no key gets zeros. Attention panics with a
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

// Attention implements Backend.Attention.
func (CPU) Attention(dst, q, k, v *Tensor, o AttentionOptions) {
	lq, hq, d := q.shape[0], q.shape[1], q.shape[2]
	lk, hkv, dv := k.shape[0], k.shape[1], v.shape[2]
	group := hq / hkv
	qd, kd, vd, od := q.f32, k.f32, v.f32, dst.f32
	var maskB []byte
	var maskF []float32
	maskPerHead := false
	if o.Mask != nil {
		maskB, maskF = o.Mask.bytes, o.Mask.f32
		maskPerHead = o.Mask.Rank() == 3
	}
	parFor(lq*hq, 4, func(lo, hi int) {
		buf, box := getScratch(lk)
		defer putScratch(box)
		for r := lo; r < hi; r++ {
			i, h := r/hq, r%hq
			kh := h / group
			out := od[r*dv : (r+1)*dv]
			clear(out)
			j0, j1 := 0, lk
			p := o.QueryOffset + i
			if o.Causal || o.Window > 0 {
				j1 = min(lk, p+1)
			}
			if o.Window > 0 {
				j0 = max(0, p-o.Window+1)
			}
			if j0 >= j1 {
				continue
			}
			qr := qd[r*d : (r+1)*d]
			moff := i * lk
			if maskPerHead {
				moff += h * lq * lk
			}
			s := buf[j0:j1]
			m := float32(math.Inf(-1))
			for j := j0; j < j1; j++ {
				x := kernels.DotF32(qr, kd[(j*hkv+kh)*d:(j*hkv+kh+1)*d]) * o.Scale
				if o.Softcap > 0 {
					x = o.Softcap * float32(math.Tanh(float64(x/o.Softcap)))
				}
				switch {
				case maskB != nil && maskB[moff+j] == 0:
					x = float32(math.Inf(-1))
				case maskF != nil:
					x += maskF[moff+j]
				}
				s[j-j0] = x
				m = max(m, x)
			}
			if math.IsInf(float64(m), -1) {
				continue
			}
			var sum float32
			for j, x := range s {
				e := exp32(x - m)
				s[j] = e
				sum += e
			}
			inv := 1 / sum
			for j, w := range s {
				if w != 0 {
					kernels.AxpyF32(w*inv, vd[((j0+j)*hkv+kh)*dv:((j0+j)*hkv+kh+1)*dv], out)
				}
			}
		}
	})
}
