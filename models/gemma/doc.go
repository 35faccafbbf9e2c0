// Package gemma is the Gemma decoder (config.json model_type "gemma"), the
// text side of PaliGemma: pre-norm blocks whose RMSNorms scale by (1 + w),
// grouped-query attention with rotary embeddings, a GeGLU MLP with the tanh
// GELU, token embeddings multiplied by √hidden and an output head tied to
// the embedding table.
//
// TextModel is the decoder stack, which PaliGemma embeds under
// "language_model.model" and feeds with merged image/text embeddings;
// Model is the text-only causal language model (GemmaForCausalLM).
//
// Checkpoints of transformers (4.x and 5.x) and of mlx-lm share the names
// "model.…" (and an optional "lm_head.…"); mlx-community's affine-quantized
// weights are combined by the loader before Sanitize sees them.
package gemma
