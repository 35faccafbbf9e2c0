package nn

import (
	"math"

	"github.com/govlm/govlm/tensor"
)

// Attention is the self-attention block of a decoder layer: q/k/v/o
// projections (biases optional), optional per-head q/k RMSNorms, rotary
// embeddings, a KV cache update and grouped-query attention.
type Attention struct {
	Q     *Linear  `nn:"q_proj"`
	K     *Linear  `nn:"k_proj"`
	V     *Linear  `nn:"v_proj"`
	O     *Linear  `nn:"o_proj"`
	QNorm *RMSNorm `nn:"q_norm,optional"`
	KNorm *RMSNorm `nn:"k_norm,optional"`

	// Heads and KVHeads are the query and key/value head counts; HeadDim
	// the size of one head.
	Heads, KVHeads, HeadDim int
	// Scale multiplies q·k; 0 means 1/√HeadDim.
	Scale float32
	// Softcap, when positive, caps attention scores (Gemma 2).
	Softcap float32
	// RopeInterleaved selects the interleaved rotary pairing.
	RopeInterleaved bool
}

// AttentionConfig describes an Attention block for NewAttention.
type AttentionConfig struct {
	Hidden, Heads, KVHeads, HeadDim int
	// QKVBias and OBias add biases to the q/k/v and the output projections.
	QKVBias, OBias bool
	// QKNorm adds per-head RMSNorms on queries and keys (eps NormEps;
	// Gemma's (1+w) form when GemmaNorm).
	QKNorm    bool
	NormEps   float32
	GemmaNorm bool
	Scale     float32
	Softcap   float32
}

// NewAttention returns an Attention whose projections expect the shapes of
// cfg.
func NewAttention(cfg AttentionConfig) *Attention {
	a := &Attention{
		Q:       NewLinear(cfg.Hidden, cfg.Heads*cfg.HeadDim, cfg.QKVBias),
		K:       NewLinear(cfg.Hidden, cfg.KVHeads*cfg.HeadDim, cfg.QKVBias),
		V:       NewLinear(cfg.Hidden, cfg.KVHeads*cfg.HeadDim, cfg.QKVBias),
		O:       NewLinear(cfg.Heads*cfg.HeadDim, cfg.Hidden, cfg.OBias),
		Heads:   cfg.Heads,
		KVHeads: cfg.KVHeads,
		HeadDim: cfg.HeadDim,
		Scale:   cfg.Scale,
		Softcap: cfg.Softcap,
	}
	if cfg.QKNorm {
		if cfg.GemmaNorm {
			a.QNorm, a.KNorm = NewGemmaRMSNorm(cfg.HeadDim, cfg.NormEps), NewGemmaRMSNorm(cfg.HeadDim, cfg.NormEps)
		} else {
			a.QNorm, a.KNorm = NewRMSNorm(cfg.HeadDim, cfg.NormEps), NewRMSNorm(cfg.HeadDim, cfg.NormEps)
		}
	}
	return a
}

// MaskFunc decides whether the query at absolute position q may attend to
// the key at absolute position k. When given to Forward it replaces the
// causal/window rule of the cache entirely, so it must include causality
// (and any sliding window) itself. Forward materialises it as an
// [n, keys] mask, so pass one only where the cache's own rule is not enough
// (prefix-LM or bidirectional image spans during prefill), and nil for
// ordinary decoding steps.
type MaskFunc func(q, k int) bool

// Forward runs attention for x [n, hidden] at the cache's offset and returns
// [n, hidden]. cos and sin are rotary tables [n, rotDim] for the n positions
// (nil for no rotary embedding); cache may be nil for a stateless pass over
// x alone (vision towers, no causal mask unless mask says so). mask, when
// non-nil, decides visibility between absolute positions.
func (a *Attention) Forward(x, cos, sin *tensor.Tensor, cache Cache, mask MaskFunc) *tensor.Tensor {
	n := x.Dim(0)
	qOwner, q := a.project(a.Q, a.QNorm, x, n, a.Heads, cos, sin)
	kOwner, k := a.project(a.K, a.KNorm, x, n, a.KVHeads, cos, sin)
	vp := a.V.Forward(x)
	v := vp.Reshape(n, a.KVHeads, vp.Dim(-1)/a.KVHeads)

	var opts tensor.AttentionOptions
	keys, values := k, v
	var qStart int
	var keyPos []int
	if cache != nil {
		qStart = cache.Offset()
		keys, values, opts = cache.Update(k, v)
		if mask != nil {
			keyPos = cache.KeyPositions()
		}
	} else if mask != nil {
		keyPos = span(0, n)
	}
	if mask != nil {
		opts = tensor.AttentionOptions{Mask: BuildMask(qStart, n, keyPos, mask)}
	}
	opts.Scale, opts.Softcap = a.Scale, a.Softcap
	out := tensor.Attention(q, keys, values, opts)
	if opts.Mask != nil && mask != nil {
		opts.Mask.Release()
	}
	qOwner.Release()
	kOwner.Release()
	vp.Release()
	y := a.O.Forward(out.Reshape(n, a.Heads*out.Dim(-1)))
	out.Release()
	return y
}

// project computes one of q/k as [n, heads, headDim], normalised and
// rotated. It returns the pooled owner of the storage and the shaped view.
func (a *Attention) project(l *Linear, norm *RMSNorm, x *tensor.Tensor, n, heads int, cos, sin *tensor.Tensor) (owner, view *tensor.Tensor) {
	owner = l.Forward(x)
	view = owner.Reshape(n, heads, owner.Dim(-1)/heads)
	if norm != nil {
		normed := norm.Forward(view)
		owner.Release()
		owner, view = normed, normed
	}
	if cos != nil {
		tensor.RoPEInPlace(view, cos, sin, a.RopeInterleaved)
	}
	return owner, view
}

// BuildMask returns the additive F32 mask [n, len(keyPos)] for queries at
// positions qStart … qStart+n-1 over keys at keyPos: 0 where allow says
// visible, −∞ elsewhere.
func BuildMask(qStart, n int, keyPos []int, allow MaskFunc) *tensor.Tensor {
	m := tensor.New(n, len(keyPos))
	d := m.Data()
	inf := float32(math.Inf(-1))
	for i := range n {
		row := d[i*len(keyPos) : (i+1)*len(keyPos)]
		for j, p := range keyPos {
			if !allow(qStart+i, p) {
				row[j] = inf
			}
		}
	}
	return m
}

// CausalMask is the MaskFunc of plain causal attention.
func CausalMask(q, k int) bool { return k <= q }

// SlidingMask returns the MaskFunc of causal attention limited to a window
// of the given size (q − k < window).
func SlidingMask(window int) MaskFunc {
	return func(q, k int) bool { return k <= q && q-k < window }
}
