// Package gemma3 is Gemma 3: the text decoder (config.json model_type
// "gemma3_text", e.g. gemma-3-1b-it) and the vision-language model
// (model_type "gemma3", processor class Gemma3Processor, e.g.
// gemma-3-4b-it).
//
// # Decoder
//
// Gemma 3 blocks have sandwich norms (RMSNorm (1 + w) before and after
// attention and MLP), per-head q/k RMSNorms, a GeGLU MLP with the tanh
// GELU, and attention scaled by query_pre_attn_scalar^-½. Layers alternate
// between sliding-window attention (local rotary base
// rope_local_base_freq, a RotatingCache of sliding_window positions) and
// global attention (rope_theta with rope_scaling), following layer_types or
// sliding_window_pattern. Embeddings are multiplied by √hidden rounded to
// the table's dtype; logits are soft-capped when
// final_logit_softcapping is set.
//
// # Vision
//
// A SigLIP tower (models/siglip) encodes each image at image_size; the
// projector average-pools the patch grid to mm_tokens_per_image tokens,
// normalises and projects them. The processor turns each <start_of_image>
// of the chat template into
//
//	\n\n<start_of_image><image_soft_token>×mm_tokens_per_image<end_of_image>\n\n
//
// and the soft tokens of one image attend to each other bidirectionally.
// With pan-and-scan (ImageConfig.DoPanAndScan), long images also get crops,
// introduced by "Here is the original image … and here are some crops to
// help you see better …".
//
// # Checkpoint layouts
//
// Hub checkpoints and mlx-community ones (mlx-vlm) name the parts
// language_model.model.*, vision_tower.vision_model.* and
// multi_modal_projector.*; transformers 5.x saves the tower as
// vision_tower.*. Sanitize maps all of them (and the 5.x module names
// model.language_model.* …) onto one layout.
package gemma3
