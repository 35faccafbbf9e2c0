package nn

import "github.com/govlm/govlm/tensor"

// Rotary applies rotary position embeddings with frequencies from
// RopeParams. Types whose frequencies depend on the sequence length (dynamic,
// longrope) recompute them when a table reaches past the length they were
// computed for.
type Rotary struct {
	// Params decides the frequencies.
	Params RopeParams
	// Interleaved pairs features 2i and 2i+1 (GPT-J / mlx "traditional")
	// instead of i and i+Dim/2 (transformers' rotate_half).
	Interleaved bool

	invFreq []float32
	attn    float32
	seqLen  int // length the frequencies were computed for (length-dependent types)
}

// NewRotary computes the frequencies of p and returns a *RopeError when p
// cannot be computed.
func NewRotary(p RopeParams, interleaved bool) (*Rotary, error) {
	inv, attn, err := p.InvFreq(0)
	if err != nil {
		return nil, err
	}
	return &Rotary{Params: p, Interleaved: interleaved, invFreq: inv, attn: attn}, nil
}

// Dim returns the number of rotated features per head.
func (r *Rotary) Dim() int { return 2 * len(r.invFreq) }

// InvFreq returns the inverse frequencies (Dim()/2 values; read-only).
func (r *Rotary) InvFreq() []float32 { return r.invFreq }

// AttentionFactor returns the factor that scales cos and sin (yarn's mscale,
// longrope's attention factor; 1 for most types).
func (r *Rotary) AttentionFactor() float32 { return r.attn }

func (r *Rotary) lengthDependent() bool {
	t := r.Params.Type()
	return t == "dynamic" || t == "longrope"
}

// refresh recomputes length-dependent frequencies for positions < seqLen.
func (r *Rotary) refresh(seqLen int) {
	if !r.lengthDependent() {
		return
	}
	switch r.Params.Type() {
	case "dynamic":
		// transformers grows the base past max_position_embeddings for
		// every longer sequence, and goes back to the original
		// frequencies when a sequence fits again (a new request).
		maxPos := r.Params.MaxPositionEmbeddings
		switch {
		case seqLen > maxPos && seqLen > r.seqLen:
		case seqLen <= maxPos && r.seqLen > maxPos:
			seqLen = 0
		default:
			return
		}
	case "longrope":
		orig := r.Params.originalMax(r.Params.Scaling)
		if (seqLen > orig) == (r.seqLen > orig) {
			return
		}
	}
	inv, attn, err := r.Params.InvFreq(seqLen)
	if err != nil {
		return // the parameters were validated by NewRotary
	}
	r.invFreq, r.attn, r.seqLen = inv, attn, seqLen
}

// Tables returns the cos and sin tables [n, Dim()] of the positions
// offset … offset+n-1. The caller releases them.
func (r *Rotary) Tables(offset, n int) (cos, sin *tensor.Tensor) {
	return r.TablesAt(span(offset, n))
}

// TablesAt returns the cos and sin tables [len(positions), Dim()] of
// arbitrary positions. The caller releases them.
func (r *Rotary) TablesAt(positions []int) (cos, sin *tensor.Tensor) {
	end := 0
	for _, p := range positions {
		end = max(end, p+1)
	}
	r.refresh(end)
	return tensor.RopeTables(positions, r.invFreq, r.attn)
}

// Apply rotates x [seq, heads, headDim] with tables from Tables and returns
// a new tensor; features past Dim() are copied unchanged (partial rotary).
func (r *Rotary) Apply(x, cos, sin *tensor.Tensor) *tensor.Tensor {
	return tensor.RoPE(x, cos, sin, r.Interleaved)
}
