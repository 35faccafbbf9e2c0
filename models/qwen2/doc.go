// Package qwen2 is the Qwen2 decoder (config.json model_type "qwen2"): the
// decoder of Qwen2, Qwen2.5 and of the Qwen2-VL / Qwen2.5-VL language
// models. Its blocks are pre-norm with RMSNorm, grouped-query attention with
// biases on the query, key and value projections (none on the output) and
// rotary embeddings, and a SwiGLU MLP; a final RMSNorm and an output head
// that may be tied to the embedding table follow.
//
// The stack is models/llama's, built with Qwen2's variant (q/k/v biases
// only, optional sliding-window layers); this package owns Qwen2's config,
// its defaults and its registration.
//
// Model is the text-only causal language model registered with vlm.
// TextModel is the decoder stack without the head; the vision-language
// models in models/qwen2vl embed it and drive it with their own
// multimodal rotary tables through ForwardWithTables.
//
// transformers (4.x and 5.x) and mlx-lm name Qwen2 tensors alike
// ("model.…", "lm_head.…"); mlx-community's affine-quantized weights are
// combined by the loader before Sanitize sees them.
package qwen2
