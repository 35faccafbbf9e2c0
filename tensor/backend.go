package tensor

import "sync/atomic"

// Backend runs the heavy operations. The package-level functions (MatMul,
// Attention, RMSNorm, LayerNorm, RoPE) validate their operands, allocate the
// output and then call the current backend, so a backend receives only
// well-formed arguments and writes every element of dst. A backend must give
// the same results for any number of workers.
type Backend interface {
	// Name identifies the backend ("cpu").
	Name() string
	// MatMul sets dst[m, n] = x[m, k]·wᵀ for a weight w [n, k] of any
	// float or quantized dtype; x and dst are F32 and 2-D.
	MatMul(dst, x, w *Tensor)
	// Attention computes scaled dot-product attention; q [Lq, Hq, D],
	// k [Lk, Hkv, D], v [Lk, Hkv, Dv], dst [Lq, Hq, Dv]. opts is complete:
	// Scale is set.
	Attention(dst, q, k, v *Tensor, opts AttentionOptions)
	// RMSNorm normalises each row of x (last dimension) into dst.
	RMSNorm(dst, x, w *Tensor, eps float32, addOne bool)
	// LayerNorm normalises each row of x into dst; w and b may be nil.
	LayerNorm(dst, x, w, b *Tensor, eps float32)
	// RoPE rotates x [seq, heads, dim] into dst with tables cos, sin
	// [seq, rotDim].
	RoPE(dst, x, cos, sin *Tensor, interleaved bool)
}

var current atomic.Pointer[Backend]

func init() {
	var b Backend = CPU{}
	current.Store(&b)
}

// SetBackend makes b the backend of all later operations and returns the
// previous one. It is meant for program start-up and for tests.
func SetBackend(b Backend) Backend {
	old := current.Swap(&b)
	return *old
}

// CurrentBackend returns the backend operations run on.
func CurrentBackend() Backend { return *current.Load() }

// CPU is the default backend: pure Go plus the kernels package, parallel
// over the internal worker pool.
type CPU struct{}

// Name returns "cpu".
func (CPU) Name() string { return "cpu" }

var _ Backend = CPU{}
