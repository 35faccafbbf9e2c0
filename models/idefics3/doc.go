// Package idefics3 is Idefics3 and SmolVLM (config.json model_type
// "idefics3" and "smolvlm"; processors Idefics3Processor and
// SmolVLMProcessor), the architecture of govlm's default model
// HuggingFaceTB/SmolVLM-256M-Instruct.
//
// # Architecture
//
// Images are split into square tiles of max_image_size (plus the whole
// image squeezed into one tile, the "global" image). Each tile runs through
// a SigLIP vision transformer (patch convolution, learned position
// embeddings, pre-norm encoder layers, post layer norm); the connector
// pixel-shuffles every scale×scale block of patch features into one token
// and projects it to the text width. The projected rows replace the <image>
// placeholders of the prompt, in order, before a Llama decoder
// (models/llama) runs over the merged embeddings.
//
// # Prompt layout
//
// Every <image> of the chat template becomes, for an image split into R×C
// tiles,
//
//	<fake_token_around_image><row_1_col_1><image>×N … <row_1_col_C><image>×N\n
//	…
//	\n<fake_token_around_image><global-img><image>×N<fake_token_around_image>
//
// and for an unsplit image <fake_token_around_image><global-img><image>×N
// <fake_token_around_image>, with N = image_seq_len. SmolVLM2 videos become
// a short introduction and one such unsplit image per sampled frame,
// prefixed with "Frame from mm:ss:".
//
// # Checkpoint layouts
//
// Hugging Face checkpoints (transformers 4.x and 5.x alike) name the parts
// model.text_model.*, model.vision_model.*, model.connector.* and lm_head.*;
// mlx-community (mlx-vlm) checkpoints name them language_model.*
// (language_model.lm_head.*), vision_model.* and connector.* and store the
// patch convolution channels-last. Sanitize maps both to the module names.
package idefics3
