package vlm

import (
	"encoding/json"
	"errors"
	"testing"
)

const qwenFlat = `{
  "min_pixels": 3136, "max_pixels": 12845056, "patch_size": 14, "merge_size": 2,
  "temporal_patch_size": 2, "image_processor_type": "Qwen2VLImageProcessor",
  "processor_class": "Qwen2VLProcessor"
}`

const qwenNested = `{
  "processor_class": "Qwen2VLProcessor",
  "image_processor": {"image_processor_type": "Qwen2VLImageProcessorFast", "patch_size": 14,
    "size": {"shortest_edge": 3136, "longest_edge": 12845056}},
  "video_processor": {"video_processor_type": "Qwen2VLVideoProcessor", "fps": 2.0}
}`

func TestLoadProcessorConfigurationLayouts(t *testing.T) {
	type want struct {
		class, imageType string
		patch            int
		video            bool
	}
	cases := []struct {
		name  string
		files map[string]string
		want  want
	}{
		{"4.x flat", map[string]string{PreprocessorConfigFile: qwenFlat}, want{"Qwen2VLProcessor", "Qwen2VLImageProcessor", 14, false}},
		{"5.x nested", map[string]string{ProcessorConfigFile: qwenNested}, want{"Qwen2VLProcessor", "Qwen2VLImageProcessorFast", 14, true}},
		{"flat without class, class in processor_config", map[string]string{
			PreprocessorConfigFile: `{"image_processor_type": "SiglipImageProcessor", "patch_size": 14}`,
			ProcessorConfigFile:    `{"processor_class": "PaliGemmaProcessor", "image_seq_length": 256}`,
		}, want{"PaliGemmaProcessor", "SiglipImageProcessor", 14, false}},
		{"separate video file", map[string]string{
			PreprocessorConfigFile: qwenFlat,
			VideoPreprocessorFile:  `{"fps": 2.0}`,
		}, want{"Qwen2VLProcessor", "Qwen2VLImageProcessor", 14, true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				writeFile(t, dir, name, content)
			}
			cfg, err := LoadProcessorConfiguration(dir)
			if err != nil {
				t.Fatal(err)
			}
			var img struct {
				PatchSize int `json:"patch_size"`
			}
			if err := json.Unmarshal(cfg.ImageProcessor, &img); err != nil {
				t.Fatal(err)
			}
			got := want{cfg.ProcessorClass, cfg.ImageProcessorType, img.PatchSize, cfg.VideoProcessor != nil}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestLoadProcessorConfigurationAbsentAndMalformed(t *testing.T) {
	cfg, err := LoadProcessorConfiguration(t.TempDir())
	if cfg != nil || err != nil {
		t.Errorf("no files: got %v, %v", cfg, err)
	}
	dir := t.TempDir()
	writeFile(t, dir, ProcessorConfigFile, `{"processor_class": `)
	if _, err := LoadProcessorConfiguration(dir); !errors.Is(err, ErrLoad) {
		t.Errorf("malformed file: got %v", err)
	}
}

func TestParseBaseConfiguration(t *testing.T) {
	cases := []struct {
		src  string
		eos  []int32
		fail bool
	}{
		{`{"model_type": "qwen2_vl", "eos_token_id": 151645}`, []int32{151645}, false},
		{`{"model_type": "gemma3", "eos_token_id": [1, 106]}`, []int32{1, 106}, false},
		{`{"model_type": "gemma3", "text_config": {"eos_token_id": 1}}`, []int32{1}, false},
		{`{"model_type": "x", "eos_token_id": null}`, nil, false},
		{`{"eos_token_id": 1}`, nil, true},
		{`{"model_type": "x", "quantization": {"bits": 3, "group_size": 64}}`, nil, true},
	}
	for _, tc := range cases {
		b, err := ParseBaseConfiguration([]byte(tc.src))
		if tc.fail {
			if !errors.Is(err, ErrLoad) {
				t.Errorf("%s: got %v, want a load error", tc.src, err)
			}
			continue
		}
		if err != nil || len(b.EOSTokenIDs) != len(tc.eos) {
			t.Errorf("%s: %+v, %v", tc.src, b, err)
			continue
		}
		for i := range tc.eos {
			if b.EOSTokenIDs[i] != tc.eos[i] {
				t.Errorf("%s: eos %v", tc.src, b.EOSTokenIDs)
			}
		}
	}
}

func TestParseQuantization(t *testing.T) {
	q, err := ParseQuantization([]byte(`{"model_type": "x", "quantization": {
		"group_size": 64, "bits": 4,
		"language_model.lm_head": false,
		"language_model.model.layers.0.mlp.down_proj": {"group_size": 32, "bits": 8},
		"vision_tower.x": {"bits": 8}
	}}`))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path        string
		bits, group int
		quantized   bool
	}{
		{"language_model.model.layers.1.mlp.down_proj", 4, 64, true},
		{"language_model.lm_head", 0, 0, false},
		{"language_model.model.layers.0.mlp.down_proj", 8, 32, true},
		{"vision_tower.x", 8, 64, true},
	}
	for _, tc := range cases {
		b, g, ok := q.For(tc.path)
		if ok != tc.quantized || (ok && (b != tc.bits || g != tc.group)) {
			t.Errorf("For(%s) = %d, %d, %v", tc.path, b, g, ok)
		}
	}
	// quantization_config written by mlx-vlm is read the same way.
	q2, err := ParseQuantization([]byte(`{"quantization_config": {"group_size": 32, "bits": 8}}`))
	if err != nil || q2.Bits != 8 || q2.GroupSize != 32 {
		t.Errorf("quantization_config: %+v, %v", q2, err)
	}
	if q3, err := ParseQuantization([]byte(`{"model_type": "x"}`)); q3 != nil || err != nil {
		t.Errorf("unquantized: %v, %v", q3, err)
	}
	for _, bad := range []string{
		`{"quantization_config": {"quant_method": "awq", "bits": 4}}`,
		`{"quantization": {"bits": 2, "group_size": 64}}`,
		`{"quantization": {"bits": 4, "group_size": 48}}`,
		`{"quantization": {"bits": 4, "group_size": 64, "mode": "mxfp4"}}`,
		`{"quantization": {"bits": 4, "group_size": 64, "a.b": {"bits": 3}}}`,
	} {
		if _, err := ParseQuantization([]byte(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
