// Package tensor is govlm's tensor type and the eager operations models are
// built from.
//
// # Dimension order
//
// Shapes are written outermost first and stored row-major: the last
// dimension is contiguous in memory, so element (i, j) of a [rows, cols]
// tensor sits at i*cols+j. Model activations are float32 and describe a
// single sequence; there is no batch dimension. A text activation is
// [seq, hidden]; attention queries, keys and values are [seq, heads,
// headDim]; an image is [channels, height, width]. Linear weights keep the
// Hugging Face layout [out, in], and MatMul multiplies by their transpose.
//
// # Storage
//
// A Tensor owns or borrows one flat slice: []float32 for F32, []uint16 for
// F16 and BF16, packed uint32 words plus float32 scales and biases for the
// affine-quantized Q4 and Q8 (logical shape [rows, cols]), []int32, []int64,
// []uint32 or raw bytes for the integer and boolean dtypes. Storage may alias
// memory-mapped checkpoint bytes; such weights are read-only and must never
// be written.
//
// # Errors
//
// Functions that take data from outside the program (FromBytes,
// NewQuantized, Quantize, the table builders fed by configs) return a typed
// error: a *ShapeError or a *DTypeError that callers inspect with errors.As.
// Operations whose operands are produced by model code (MatMul, Add,
// Attention, ...) panic with a *ShapeError or *DTypeError when their shapes or
// dtypes disagree: that is a bug in the calling model, never a property of
// the user's input. Recover converts such a panic back into an error at an
// API boundary.
//
// # Scratch memory and ownership
//
// New and every operation that returns a fresh tensor draw float32 storage
// from size-classed free lists. A tensor's owner may call Release once it is
// done with it; the storage then goes back to the free lists and the next New
// of a similar size reuses it, so a decode loop that releases its
// intermediates does not allocate per token. The rules:
//
//   - Only F32 tensors created by New or returned by an operation own pooled
//     storage. Views (Reshape, Row, a contiguous Slice, the pieces of Split)
//     borrow their parent's storage; Release on a view, on a tensor made by
//     FromF32/FromU16/FromBytes (user-owned or memory-mapped storage) or on
//     a weight is a no-op. Release the owner, not the view.
//   - Release the owner only after the last use of the owner and of all views
//     of it.
//   - Releasing twice is harmless: the second call does nothing. A released
//     tensor has no data; using it panics with a *DTypeError that names the
//     release.
//
// # Parallelism and determinism
//
// Heavy operations split their work with internal/parallel so that every
// output element is computed by exactly one worker in a fixed order: results
// are bit-identical for any number of workers.
//
// Big products are cut into tiles of a size chosen from the shape alone
// (MatMul: 64 to 256 rows × 96 to 384 outputs, picked for 16 workers by a
// cost model; attention prefill: up to 128 query rows and heads of one
// key/value head); workers claim tiles from a shared counter, so uneven
// tiles or a core taken by another process do not leave the other workers
// idle. MatMul packs each row block of activations once for all its tiles
// while the block fits 1 MB.
//
// # Quantized decode
//
// A one-row MatMul on Q4 or Q8 weights expands the weights to float32 on
// the fly by default. SetIntegerMatVec(true) switches it to the kernels'
// integer path (the activation rounded to 8 bits per block of 32), which
// is several times faster and adds a small, bounded error.
//
// # Backends
//
// MatMul, Attention, RMSNorm, LayerNorm and RoPE validate their operands and
// then run on the current Backend (the CPU backend unless SetBackend chose
// another). The package metal describes how an accelerator backend plugs in.
package tensor
