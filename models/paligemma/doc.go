// Package paligemma is PaliGemma (config.json model_type "paligemma",
// processor class PaliGemmaProcessor, e.g. google/paligemma-3b-mix-224): a
// SigLIP tower (models/siglip) whose patch features a Linear projects to
// the width of a Gemma decoder (models/gemma).
//
// # Prompt layout
//
// PaliGemma has no chat template. The processor builds
//
//	<image>×image_seq_length <bos> prompt \n
//
// (the mix checkpoints expect task prompts such as "caption en" or
// "answer en what is this?"). The image features, divided by √hidden,
// replace the <image> embeddings; the Gemma decoder multiplies all input
// embeddings by √hidden. The whole prompt (image and prefix) attends
// bidirectionally; generated tokens are causal. Prepare therefore runs the
// prompt in one pass whatever the prefill step size.
//
// # Checkpoint layouts
//
// Hub checkpoints and mlx-community ones name the parts
// language_model.model.*, vision_tower.vision_model.* and
// multi_modal_projector.linear.*; transformers 5.x saves the tower as
// vision_tower.*; the unused SigLIP attention-pooling head
// (vision_tower….head.*) is dropped.
package paligemma
