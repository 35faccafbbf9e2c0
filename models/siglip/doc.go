// Package siglip is the SigLIP vision transformer shared by the Gemma
// family's vision-language models (PaliGemma, Gemma 3): a patch
// convolution with learned position embeddings, pre-norm encoder layers
// with bidirectional multi-head attention and a GELU MLP, and a final
// layer norm. The attention-pooling head of the contrastive model is not
// part of it (the VLMs read the patch features).
//
// Checkpoints name the tower "vision_tower.vision_model.*" (transformers
// 4.x and mlx-vlm) or "vision_tower.*" (transformers 5.x saves); the
// models that embed the tower map both onto one module path, and
// SanitizePatchEmbedding turns mlx's channels-last patch convolution back
// into [out, in, kh, kw].
package siglip
