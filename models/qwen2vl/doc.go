// Package qwen2vl is Qwen2-VL (config.json model_type "qwen2_vl") and
// Qwen2.5-VL ("qwen2_5_vl"), with their processors (Qwen2VLProcessor,
// Qwen2_5_VLProcessor).
//
// # Preprocessing
//
// An image is resized (PIL bicubic) to the smart size: both sides
// multiples of patch_size × merge_size (28) with the area inside
// [min_pixels, max_pixels], read from either on-disk layout (4.x flat
// min_pixels / max_pixels, 5.x size {shortest_edge, longest_edge}). It is
// rescaled and normalised, repeated to temporal_patch_size frames and cut
// into patches flattened as the image processor does (see
// ImageConfig.Patchify). Videos (frames) are processed alike, two frames
// per temporal patch. Every <|image_pad|> (<|video_pad|>) of the rendered
// chat template becomes T·H·W / merge² placeholders.
//
// # Model
//
// The vision tower embeds patches with the Conv3d patch projection (a
// matrix product over flattened patches), adds 2-D rotary embeddings
// (row and column angles) in its attention, and attends within each
// temporal frame. Qwen2-VL's blocks use LayerNorm and a quick-GELU MLP;
// Qwen2.5-VL's use RMSNorm and a SwiGLU MLP, and attend within windows of
// window_size pixels except in the fullatt_block_indexes blocks, the
// patches being permuted into window order and back around the tower. The
// merger concatenates merge² neighbouring patches and projects them to
// the text width. The features replace the placeholder embeddings of a
// models/qwen2 decoder driven by multimodal rotary positions (RopeIndex,
// transformers' get_rope_index, time-aligned for Qwen2.5-VL videos).
//
// # Checkpoints
//
// Sanitize accepts the hub names of transformers 4.x ("model.",
// "visual.", "lm_head."), the in-memory names of newer transformers
// ("model.language_model.", "model.visual.") and mlx-vlm's
// ("language_model.", "vision_tower.", channels-last patch embedding).
package qwen2vl
