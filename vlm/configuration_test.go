package vlm

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// TestProcessorConfigurationFixtures reads the processor configuration of
// every VLM fixture in its 5.x layout and in the 4.x layout (the layout_4x
// files overlaid, the nested processor_config.json dropped) and checks that
// both give the same class and image processor settings.
func TestProcessorConfigurationFixtures(t *testing.T) {
	for _, name := range []string{"qwen2_vl", "qwen2_5_vl", "idefics3", "smolvlm", "gemma3", "paligemma"} {
		t.Run(name, func(t *testing.T) {
			dir := fixtureDir(t, name)
			v5, err := LoadProcessorConfiguration(dir)
			if err != nil {
				t.Fatal(err)
			}
			old := t.TempDir()
			for _, src := range []string{dir, filepath.Join(dir, "layout_4x")} {
				entries, err := os.ReadDir(src)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
						continue
					}
					if src == dir && e.Name() == ProcessorConfigFile {
						continue
					}
					b, err := os.ReadFile(filepath.Join(src, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					writeFile(t, old, e.Name(), string(b))
				}
			}
			v4, err := LoadProcessorConfiguration(old)
			if err != nil {
				t.Fatal(err)
			}
			if v5.ProcessorClass == "" || v4.ProcessorClass != v5.ProcessorClass {
				t.Errorf("processor class %q (5.x) vs %q (4.x)", v5.ProcessorClass, v4.ProcessorClass)
			}
			type common struct {
				Mean []float64 `json:"image_mean"`
				Std  []float64 `json:"image_std"`
			}
			var a, b common
			if err := json.Unmarshal(v5.ImageProcessor, &a); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(v4.ImageProcessor, &b); err != nil {
				t.Fatal(err)
			}
			if len(a.Mean) != 3 || !slices.Equal(a.Mean, b.Mean) || !slices.Equal(a.Std, b.Std) {
				t.Errorf("image_mean/std %v %v (5.x) vs %v %v (4.x)", a.Mean, a.Std, b.Mean, b.Std)
			}
			if (v5.VideoProcessor != nil) != (v4.VideoProcessor != nil) {
				t.Errorf("video processor present: 5.x %v, 4.x %v", v5.VideoProcessor != nil, v4.VideoProcessor != nil)
			}
		})
	}
}
