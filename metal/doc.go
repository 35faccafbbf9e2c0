// Package metal documents how an Apple-GPU backend would plug into govlm.
// It contains no code yet: govlm runs on the CPU backend of package tensor.
//
// The seam is tensor.Backend. Operations in package tensor validate their
// operands, allocate the output and then call the current backend's MatMul,
// Attention, RMSNorm, LayerNorm or RoPE with well-formed arguments. A Metal
// backend would implement that interface and be installed once at start-up
// with tensor.SetBackend; model code would not change.
//
// On Apple silicon CPU and GPU share memory, so such a backend need not copy
// tensors: Metal can wrap the same page-aligned buffers (newBufferWithBytesNoCopy)
// that hold memory-mapped weights and pooled activations. The seam is
// therefore about where work runs, not where bytes live. What a real backend
// needs beyond the interface:
//
//   - a way to call Objective-C without cgo (for example purego-style
//     dynamic calls), since govlm builds with CGO_ENABLED=0;
//   - compute pipelines for the five operations, with the same numerics as
//     the CPU backend (float32 accumulation, MLX's affine quantization);
//   - a synchronisation point: operations are eager, so each backend call
//     must complete (or the next CPU read must wait) before it returns;
//   - determinism: the results may differ from the CPU backend by rounding,
//     but must not depend on scheduling, so that the same prompt and seed
//     give the same tokens.
//
// Operations outside the interface (element-wise arithmetic, activations,
// shape changes) keep running on the CPU over the shared memory; moving them
// is a later step that widens the interface one operation at a time.
package metal
