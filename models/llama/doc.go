// Package llama is the Llama decoder (config.json model_type "llama"): a
// stack of pre-norm blocks with RMSNorm, grouped-query attention with rotary
// embeddings (any rope_type transformers supports, llama3 included) and a
// SwiGLU MLP, followed by a final RMSNorm and an output head that may be
// tied to the embedding table.
//
// Model is the text-only causal language model; registering it with vlm
// makes "llama" checkpoints (SmolLM2, Llama 3, TinyLlama, …) loadable.
// TextModel is the decoder stack without the head, which vision-language
// models built on Llama (Idefics3, SmolVLM) embed under their own prefix
// and feed with merged image/text embeddings.
//
// The checkpoint layouts of transformers and of mlx-lm use the same tensor
// names for Llama; mlx-community's affine-quantized weights are combined by
// the loader before Sanitize sees them.
package llama
