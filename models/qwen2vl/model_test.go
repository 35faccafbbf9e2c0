package qwen2vl

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// qwen2VL2BConfig is Qwen/Qwen2-VL-2B-Instruct's config.json (transformers
// 4.x layout: text fields at the top level, rope_scaling "mrope").
const qwen2VL2BConfig = `{
  "architectures": ["Qwen2VLForConditionalGeneration"], "attention_dropout": 0.0, "bos_token_id": 151643,
  "eos_token_id": 151645, "vision_start_token_id": 151652, "vision_end_token_id": 151653,
  "vision_token_id": 151654, "image_token_id": 151655, "video_token_id": 151656, "hidden_act": "silu",
  "hidden_size": 1536, "initializer_range": 0.02, "intermediate_size": 8960, "max_position_embeddings": 32768,
  "max_window_layers": 28, "model_type": "qwen2_vl", "num_attention_heads": 12, "num_hidden_layers": 28,
  "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768,
  "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.41.2", "use_cache": true,
  "use_sliding_window": false,
  "vision_config": {"depth": 32, "embed_dim": 1280, "mlp_ratio": 4, "num_heads": 16, "in_chans": 3,
    "hidden_size": 1536, "patch_size": 14, "spatial_merge_size": 2, "spatial_patch_size": 14,
    "temporal_patch_size": 2},
  "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
  "vocab_size": 151936
}`

// qwen25VL3BConfig is Qwen/Qwen2.5-VL-3B-Instruct's config.json.
const qwen25VL3BConfig = `{
  "architectures": ["Qwen2_5_VLForConditionalGeneration"], "attention_dropout": 0.0, "bos_token_id": 151643,
  "eos_token_id": 151645, "vision_start_token_id": 151652, "vision_end_token_id": 151653,
  "vision_token_id": 151654, "image_token_id": 151655, "video_token_id": 151656, "hidden_act": "silu",
  "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 11008, "max_position_embeddings": 128000,
  "max_window_layers": 70, "model_type": "qwen2_5_vl", "num_attention_heads": 16, "num_hidden_layers": 36,
  "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768,
  "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.41.2", "use_cache": true,
  "use_sliding_window": false,
  "vision_config": {"depth": 32, "hidden_act": "silu", "hidden_size": 1280, "intermediate_size": 3420,
    "num_heads": 16, "in_chans": 3, "out_hidden_size": 2048, "patch_size": 14, "spatial_merge_size": 2,
    "spatial_patch_size": 14, "window_size": 112, "fullatt_block_indexes": [7, 15, 23, 31],
    "tokens_per_second": 2, "temporal_patch_size": 2},
  "rope_scaling": {"type": "mrope", "mrope_section": [16, 24, 24]},
  "vocab_size": 151936
}`

func TestParseConfigHubCheckpoints(t *testing.T) {
	c, err := ParseConfig([]byte(qwen2VL2BConfig))
	if err != nil {
		t.Fatal(err)
	}
	v := c.Vision
	if c.Text.HiddenSize != 1536 || c.Text.HeadDim != 128 || c.Text.NumKeyValueHeads != 2 || c.Text.RopeTheta != 1e6 ||
		c.MRopeSection != [3]int{16, 24, 24} || c.ImageTokenID != 151655 || c.VideoTokenID != 151656 {
		t.Errorf("text config %+v", c)
	}
	if v.Gated || v.Width != 1280 || v.Out != 1536 || v.MLPHidden != 5120 || v.HiddenAct != "quick_gelu" || v.HeadDim() != 80 || v.PatchDim() != 1176 {
		t.Errorf("Qwen2-VL vision config %+v", v)
	}
	c, err = ParseConfig([]byte(qwen25VL3BConfig))
	if err != nil {
		t.Fatal(err)
	}
	v = c.Vision
	if !v.Gated || v.Width != 1280 || v.Out != 2048 || v.MLPHidden != 3420 || v.WindowSize != 112 ||
		!slices.Equal(v.FullAttBlockIndexes, []int{7, 15, 23, 31}) || v.TokensPerSecond != 2 || v.RopeTheta != 10000 {
		t.Errorf("Qwen2.5-VL vision config %+v", v)
	}
	if c.Text.NumHiddenLayers != 36 || c.Text.HiddenSize != 2048 || !c.Text.TieWordEmbeddings {
		t.Errorf("Qwen2.5-VL text config %+v", c.Text)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, field string }{
		{"model type", `{"model_type": "llava"}`, "model_type"},
		{"no mrope", `{"model_type": "qwen2_vl", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
			"intermediate_size": 8, "num_hidden_layers": 1}`, "rope_scaling.mrope_section"},
		{"mrope sum", `{"model_type": "qwen2_vl", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
			"intermediate_size": 8, "num_hidden_layers": 1, "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 4]}}`, "rope_scaling.mrope_section"},
		{"window", `{"model_type": "qwen2_5_vl", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
			"intermediate_size": 8, "num_hidden_layers": 1, "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]},
			"vision_config": {"window_size": 30}}`, "vision_config.window_size"},
		{"heads", `{"model_type": "qwen2_vl", "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 10,
			"intermediate_size": 8, "num_hidden_layers": 1, "rope_scaling": {"type": "mrope", "mrope_section": [2, 3, 3]},
			"vision_config": {"embed_dim": 30, "num_heads": 4}}`, "vision_config.num_heads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tc.json))
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Fatalf("got %v, want a ConfigError on %s", err, tc.field)
			}
		})
	}
}

func TestParseImageConfigLayouts(t *testing.T) {
	for _, tc := range []struct {
		name     string
		json     string
		video    bool
		min, max int
	}{
		{"defaults", ``, false, 3136, 1003520},
		{"video defaults", ``, true, 100352, 602112},
		{"5.x size", `{"size": {"shortest_edge": 3136, "longest_edge": 6272}}`, false, 3136, 6272},
		{"4.x flat wins", `{"size": {"shortest_edge": 1, "longest_edge": 2}, "min_pixels": 200704, "max_pixels": 1003520}`, false, 200704, 1003520},
		{"4.x size min/max", `{"size": {"min_pixels": 3136, "max_pixels": 12845056}}`, false, 3136, 12845056},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseImageConfig([]byte(tc.json), tc.video)
			if err != nil {
				t.Fatal(err)
			}
			if c.MinPixels != tc.min || c.MaxPixels != tc.max || c.Factor() != 28 || c.Resample != media.Bicubic {
				t.Errorf("got %+v, want min %d max %d", c, tc.min, tc.max)
			}
		})
	}
	_, err := ParseImageConfig([]byte(`{"min_pixels": 100, "max_pixels": 10}`), false)
	var pe *ProcessorConfigError
	if !errors.As(err, &pe) {
		t.Errorf("min > max: got %v, want a ProcessorConfigError", err)
	}
}

// TestSmartResize checks sizes computed with transformers' smart_resize
// (Python's round-half-to-even included: 42 and 70 pixels round to 2
// factors).
func TestSmartResize(t *testing.T) {
	const lo, hi = 56 * 56, 28 * 28 * 1280
	for _, tc := range []struct{ h, w, min, max, rh, rw int }{
		{1080, 1920, lo, hi, 728, 1316},
		{480, 640, lo, hi, 476, 644},
		{42, 42, lo, hi, 56, 56},
		{14, 70, lo, hi, 28, 140},
		{2000, 3000, lo, hi, 812, 1204},
		{70, 70, lo, hi, 56, 56},
		{71, 33, 3136, 6272, 84, 56},
		{80, 80, 3136, 6272, 56, 56},
	} {
		rh, rw, err := SmartResize(tc.h, tc.w, 28, tc.min, tc.max)
		if err != nil || rh != tc.rh || rw != tc.rw {
			t.Errorf("SmartResize(%d, %d) = %d, %d, %v; want %d, %d", tc.h, tc.w, rh, rw, err, tc.rh, tc.rw)
		}
	}
	var se *media.SizeError
	if _, _, err := SmartResize(10, 2100, 28, lo, hi); !errors.As(err, &se) {
		t.Errorf("aspect ratio 210: got %v, want a *media.SizeError", err)
	}
	if _, _, err := SmartResize(80, 80, 28, 1<<40, 1<<40); !errors.As(err, &se) {
		t.Errorf("min pixels 2^40: got %v, want a *media.SizeError", err)
	}
}

func TestPatchifyOrder(t *testing.T) {
	// A 3×4×4 image with patch 2, merge 2, temporal 2: the value at
	// channel c, row y, column x is 100c + 10y + x.
	c := ImageConfig{PatchSize: 2, MergeSize: 2, TemporalPatches: 2}
	img := make([]float32, 3*4*4)
	for ch := range 3 {
		for y := range 4 {
			for x := range 4 {
				img[ch*16+y*4+x] = float32(100*ch + 10*y + x)
			}
		}
	}
	rows, grid := c.Patchify([][]float32{img, img}, 4, 4)
	if grid != [3]int{1, 2, 2} || len(rows) != 4*24 {
		t.Fatalf("grid %v, %d values", grid, len(rows))
	}
	// Row 1 is the patch at block row 0, block column 0, inner (0, 1):
	// pixels y 0–1, x 2–3; its values are (channel, frame, y, x).
	want := []float32{2, 3, 12, 13, 2, 3, 12, 13, 102, 103, 112, 113, 102, 103, 112, 113, 202, 203, 212, 213, 202, 203, 212, 213}
	if got := rows[24:48]; !slices.Equal(got, want) {
		t.Errorf("row 1 = %v, want %v", got, want)
	}
}

func TestRopeIndex(t *testing.T) {
	c, err := ParseConfig([]byte(qwen25VL3BConfig))
	if err != nil {
		t.Fatal(err)
	}
	im, vd := c.ImageTokenID, c.VideoTokenID
	// text ×2, an image of 2×4 patches (1×2 merged), text, a video of
	// 3 temporal steps × 2×2 patches (one merged cell each), text.
	tokens := []int32{1, 2, im, im, 3, vd, vd, vd, 4}
	pos, delta, err := RopeIndex(tokens, c, []vlm.THW{{T: 1, H: 2, W: 4}}, []vlm.THW{{T: 3, H: 2, W: 2}}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	// Video steps are 1 s apart at 2 tokens per second: t = 0, 2, 4.
	want := Positions{
		{0, 1, 2, 2, 4, 5, 7, 9, 10},
		{0, 1, 2, 2, 4, 5, 5, 5, 10},
		{0, 1, 2, 3, 4, 5, 5, 5, 10},
	}
	for k := range 3 {
		if !slices.Equal(pos[k], want[k]) {
			t.Errorf("stream %d = %v, want %v", k, pos[k], want[k])
		}
	}
	if delta != 11-9 {
		t.Errorf("delta %d, want 2", delta)
	}
	c.ModelType = TypeQwen2VL // plain temporal index
	pos, _, err = RopeIndex(tokens, c, []vlm.THW{{T: 1, H: 2, W: 4}}, []vlm.THW{{T: 3, H: 2, W: 2}}, nil)
	if err != nil || !slices.Equal(pos[0][5:8], []int{5, 6, 7}) {
		t.Errorf("Qwen2-VL video t = %v, %v; want 5 6 7", pos[0][5:8], err)
	}
	for _, tc := range []struct {
		name   string
		tokens []int32
		images []vlm.THW
	}{
		{"short run", []int32{1, im, 2}, []vlm.THW{{T: 1, H: 2, W: 4}}},
		{"no grid", []int32{1, im, im}, nil},
		{"unused grid", []int32{1, 2}, []vlm.THW{{T: 1, H: 2, W: 4}}},
	} {
		if _, _, err := RopeIndex(tc.tokens, c, tc.images, nil, nil); !errors.Is(err, vlm.ErrProcessing) {
			t.Errorf("%s: got %v, want a processing error", tc.name, err)
		}
	}
}

func TestWindowIndex(t *testing.T) {
	// Merged grid 3×3 with 2×2 windows: windows (0,1,3,4), (2,5), (6,7), (8).
	v := &VisionConfig{WindowSize: 56, SpatialMergeSize: 2, PatchSize: 14}
	order, windows, err := windowIndex([]vlm.THW{{T: 1, H: 6, W: 6}}, v)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 3, 4, 2, 5, 6, 7, 8}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if want := [][2]int{{0, 16}, {16, 24}, {24, 32}, {32, 36}}; !slices.Equal(windows, want) {
		t.Errorf("windows %v, want %v", windows, want)
	}
}

func TestSanitizeLayouts(t *testing.T) {
	c, err := ParseConfig([]byte(qwen2VL2BConfig))
	if err != nil {
		t.Fatal(err)
	}
	m := &Model{cfg: *c}
	names := func(ns ...string) map[string]*tensor.Tensor {
		w := map[string]*tensor.Tensor{}
		for _, n := range ns {
			w[n] = tensor.New(1)
		}
		return w
	}
	for _, tc := range []struct {
		name string
		in   map[string]*tensor.Tensor
		want []string
	}{
		{"hub (4.x)", names("model.layers.0.self_attn.q_proj.bias", "visual.blocks.0.attn.qkv.weight", "visual.merger.mlp.0.weight", "lm_head.weight"),
			[]string{"lm_head.weight", "model.layers.0.self_attn.q_proj.bias", "visual.blocks.0.attn.qkv.weight", "visual.merger.mlp.0.weight"}},
		{"transformers >= 4.52", names("model.language_model.layers.0.mlp.up_proj.weight", "model.language_model.embed_tokens.weight", "model.visual.blocks.31.mlp.fc2.bias", "lm_head.weight"),
			[]string{"lm_head.weight", "model.embed_tokens.weight", "model.layers.0.mlp.up_proj.weight", "visual.blocks.31.mlp.fc2.bias"}},
		{"mlx-vlm", names("language_model.model.layers.27.input_layernorm.weight", "language_model.lm_head.weight", "vision_tower.merger.ln_q.bias", "vision_tower.blocks.0.norm1.weight"),
			[]string{"lm_head.weight", "model.layers.27.input_layernorm.weight", "visual.blocks.0.norm1.weight", "visual.merger.ln_q.bias"}},
		{"rotary buffers", names("model.layers.0.self_attn.rotary_emb.inv_freq", "model.norm.weight"),
			[]string{"model.norm.weight"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := m.Sanitize(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for n := range out {
				got = append(got, n)
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	// mlx's channels-last patch embedding [out, T, P, P, C] goes back to
	// [out, C, T, P, P].
	const out, tp, p, ch = 2, 2, 3, 3
	data := make([]float32, out*tp*p*p*ch)
	for i := range data {
		data[i] = float32(i)
	}
	w, err := m.Sanitize(map[string]*tensor.Tensor{"vision_tower.patch_embed.proj.weight": tensor.FromF32(data, out, tp, p, p, ch)})
	if err != nil {
		t.Fatal(err)
	}
	got := w["visual.patch_embed.proj.weight"]
	if !slices.Equal(got.Shape(), []int{out, ch, tp, p, p}) {
		t.Fatalf("shape %v", got.Shape())
	}
	// Element (o=1, c=2, t=1, y=0, x=2) comes from (1, 1, 0, 2, 2).
	src := (((1*tp+1)*p+0)*p+2)*ch + 2
	dst := (((1*ch+2)*tp+1)*p+0)*p + 2
	if got.Data()[dst] != data[src] {
		t.Errorf("transposed value %v, want %v", got.Data()[dst], data[src])
	}
}

// TestTypedErrors checks that bad requests give the typed vlm errors.
func TestTypedErrors(t *testing.T) {
	mc := reftest.Load(t, "qwen2_vl").LoadModel(t)
	m := mc.Model.(*Model)
	ctx := context.Background()
	pad := mc.Processor.(*Processor).ImagePad

	// A placeholder typed into the prompt without an image.
	_, err := mc.Processor.Prepare(ctx, vlm.UserInput{Prompt: "look " + pad})
	if !errors.Is(err, vlm.ErrProcessing) {
		t.Errorf("stray placeholder: got %v, want a processing error", err)
	}
	// An image no smart resize accepts (aspect ratio above 200).
	_, err = mc.Processor.Prepare(ctx, vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Image: media.NewImage(300, 1)}}})
	var se *media.SizeError
	if !errors.Is(err, vlm.ErrImageProcessing) || !errors.As(err, &se) {
		t.Errorf("300×1 image: got %v, want an image-processing error wrapping *media.SizeError", err)
	}
	// Image tokens without pixels.
	tokens := []int32{1, m.cfg.ImageTokenID, m.cfg.ImageTokenID, m.cfg.ImageTokenID, m.cfg.ImageTokenID, 2}
	in := &vlm.LMInput{Tokens: tokens, Image: &vlm.ProcessedImage{Grids: []vlm.THW{{T: 1, H: 4, W: 4}}}}
	_, err = m.Prepare(ctx, in, m.NewCaches(vlm.GenerateParameters{}), 0)
	if !errors.Is(err, vlm.ErrImageRequired) {
		t.Errorf("no pixels: got %v, want ErrImageRequired", err)
	}
	// Pixels that do not match their grid.
	in.Image.Pixels = tensor.New(15, 1176)
	_, err = m.Prepare(ctx, in, m.NewCaches(vlm.GenerateParameters{}), 0)
	if !errors.Is(err, vlm.ErrImageProcessing) {
		t.Errorf("mis-shaped pixels: got %v, want an image-processing error", err)
	}
	// An id outside the vocabulary.
	_, err = m.Forward([]int32{1 << 20}, m.NewCaches(vlm.GenerateParameters{}))
	if !errors.Is(err, vlm.ErrGeneration) {
		t.Errorf("bad id: got %v, want a generation error", err)
	}
}

// TestGenerateEndToEnd runs the full path on the Qwen2.5-VL fixture:
// vlm.Load of the folder, the processor on an image request given as a
// plain prompt, and vlm.Generate, whose tokens must be transformers'
// greedy continuation.
func TestGenerateEndToEnd(t *testing.T) {
	f := reftest.Load(t, "qwen2_5_vl")
	var c reftest.Case
	for _, rc := range f.Cases {
		if rc.Name == "image" {
			c = rc
		}
	}
	mc := f.LoadModel(t)
	in, err := mc.Processor.Prepare(context.Background(), vlm.UserInput{
		Prompt: "Describe this image in one sentence.",
		Images: []vlm.ImageSource{{Path: filepath.Join(f.Root, "testdata", "images", "rocket_96x60.png")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	reftest.CheckIDs(t, in.Tokens, c.InputIDs)
	var got []int32
	var info *vlm.CompletionInfo
	for chunk, err := range vlm.Generate(context.Background(), mc, in, vlm.GenerateParameters{MaxTokens: len(c.Greedy)}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, chunk.Tokens...)
		if chunk.Info != nil {
			info = chunk.Info
		}
	}
	if !slices.Equal(got, c.Greedy) {
		t.Errorf("generated\n%v\nwant\n%v", got, c.Greedy)
	}
	if info == nil || info.PromptTokens != len(c.InputIDs) || info.StopReason != vlm.StopLength {
		t.Errorf("completion info %v", info)
	}
}
