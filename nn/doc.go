// Package nn holds the layers govlm models are built from, the binder that
// fills their weights from checkpoint tensors, rotary position embeddings and
// the key/value caches of autoregressive decoding.
//
// # Modules are the checkpoint schema
//
// A module is a plain struct whose *tensor.Tensor fields carry `nn` struct
// tags naming the checkpoint tensor they hold:
//
//	type Linear struct {
//		Weight *tensor.Tensor `nn:"weight"`
//		Bias   *tensor.Tensor `nn:"bias,optional"`
//	}
//
// Nested modules (struct values, pointers to structs, slices and arrays of
// either) extend the name with their own tag and a dot, and slice elements
// with their index: a field `Layers []*Block `nn:"layers"“ binds
// "layers.0.…", "layers.1.…". Bind walks a module tree, looks every name up
// in a weight map, checks shapes against what the module's constructor
// declared, and reports every missing, unused or mis-shaped tensor at once in
// a *BindError. See Bind for the full tag syntax.
//
// # Shapes
//
// Activations follow the tensor package: a text activation is [seq, hidden],
// attention queries, keys and values are [seq, heads, headDim]. Every Forward
// states the shapes it takes and returns.
//
// # Caches
//
// Cache is the key/value store of one attention layer. KVCache grows in
// chunks of CacheStep positions; RotatingCache keeps a sliding window (and
// optionally the first few positions: the max-KV-size variant);
// QuantizedCache stores keys and values in the affine 4/8-bit format and
// dequantizes them for attention. Each Update returns the keys and values the
// new queries attend to together with the attention options (causal offset,
// window, mask) that make attention over them exact.
//
// # Scratch memory
//
// Forward methods return fresh tensors drawn from the tensor package's
// scratch pool and release the intermediates they create themselves; the
// caller owns (and should Release) what Forward returns once it is done with
// it. A decode loop that does so does not allocate per token beyond the cache
// growth.
package nn
