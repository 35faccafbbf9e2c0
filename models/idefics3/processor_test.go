package idefics3

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestTileGrid checks the resize and split arithmetic against values
// worked out from transformers' Idefics3ImageProcessor formulas.
func TestTileGrid(t *testing.T) {
	cases := []struct {
		name             string
		w, h             int
		size, tile       int
		wantW, wantH     int // after the longest-edge resize
		rows, cols, imgs int
	}{
		{"fixture square", 80, 80, 64, 32, 64, 64, 2, 2, 5},
		{"fixture landscape", 64, 48, 64, 32, 64, 48, 2, 2, 5},
		{"fixture portrait, odd width rounded up", 33, 71, 64, 32, 30, 64, 2, 1, 3},
		{"small image is one tile", 10, 10, 32, 32, 32, 32, 0, 0, 1},
		{"SmolVLM 1080p", 1920, 1080, 2048, 512, 2048, 1152, 3, 4, 13},
		{"SmolVLM square", 640, 640, 2048, 512, 2048, 2048, 4, 4, 17},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, w := rescaleToMaxLen(c.h, c.w, c.size)
			h, w = scaleBelow(h, w, maxImageSide)
			if w != c.wantW || h != c.wantH {
				t.Fatalf("resized to %dx%d, want %dx%d", w, h, c.wantW, c.wantH)
			}
			cfg := DefaultImageConfig()
			cfg.Size.LongestEdge, cfg.MaxImageSize.LongestEdge = c.size, c.tile
			tiles, err := cfg.Preprocess(media.NewImage(c.w, c.h))
			if err != nil {
				t.Fatal(err)
			}
			if tiles.Rows != c.rows || tiles.Cols != c.cols || len(tiles.Images) != c.imgs {
				t.Errorf("grid %dx%d with %d tiles, want %dx%d with %d", tiles.Rows, tiles.Cols, len(tiles.Images), c.rows, c.cols, c.imgs)
			}
			for i, m := range tiles.Images {
				if m.W != c.tile || m.H != c.tile {
					t.Errorf("tile %d is %dx%d", i, m.W, m.H)
				}
			}
		})
	}
}

func TestImageLayout(t *testing.T) {
	p := &Processor{ImageSeqLen: 2, FakeImageToken: "<F>", ImageToken: "<I>", GlobalImageToken: "<G>"}
	if got, want := p.imageLayout(0, 0), "<F><G><I><I><F>"; got != want {
		t.Errorf("single: %q, want %q", got, want)
	}
	want := "<F><row_1_col_1><I><I><F><row_1_col_2><I><I>\n<F><row_2_col_1><I><I><F><row_2_col_2><I><I>\n\n<F><G><I><I><F>"
	if got := p.imageLayout(2, 2); got != want {
		t.Errorf("split: %q, want %q", got, want)
	}
	if got := expand("a<I>b<I>c", "<I>", []string{"X", "Y"}); got != "aXbYc" {
		t.Errorf("expand: %q", got)
	}
}

func TestNumberWordsAndDuration(t *testing.T) {
	words := map[int]string{0: "zero", 4: "four", 13: "thirteen", 20: "twenty", 21: "twenty-one", 64: "sixty-four",
		100: "one hundred", 105: "one hundred and five", 1000: "one thousand", 1010: "one thousand and ten",
		2345: "two thousand, three hundred and forty-five"}
	for n, want := range words {
		if got := numberWords(n); got != want {
			t.Errorf("numberWords(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "0:00:00", 4: "0:00:04", 75: "0:01:15", 3725: "1:02:05"} {
		if got := hms(n); got != want {
			t.Errorf("hms(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestMediaErrors checks the typed errors of wrong media.
func TestMediaErrors(t *testing.T) {
	idefics := reftest.Load(t, "idefics3").Dir
	smol := reftest.Load(t, "smolvlm").Dir
	img := filepath.Join(reftest.RepoRoot(t), "testdata", "images", "chelsea_80x80.png")
	frames := []*media.Image{media.NewImage(8, 8)}
	cases := []struct {
		name, dir string
		in        vlm.UserInput
		want      error
	}{
		{"video to Idefics3", idefics, vlm.UserInput{Prompt: "hi", Videos: []vlm.VideoSource{{Frames: frames}}}, vlm.ErrVideoProcessing},
		{"image and video to SmolVLM", smol, vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Path: img}},
			Videos: []vlm.VideoSource{{Frames: frames}}}, vlm.ErrSingleMediaTypeAllowed},
		{"two videos to SmolVLM", smol, vlm.UserInput{Prompt: "hi", Videos: []vlm.VideoSource{{Frames: frames}, {Frames: frames}}}, vlm.ErrSingleVideoAllowed},
		{"video without a template branch", smol, vlm.UserInput{Prompt: "hi", Videos: []vlm.VideoSource{{Frames: frames}}}, vlm.ErrProcessing},
		{"missing image file", idefics, vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Path: filepath.Join(t.TempDir(), "none.png")}}}, vlm.ErrImageProcessing},
		{"undecodable image", idefics, vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Bytes: []byte("not an image")}}}, vlm.ErrImageProcessing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mc := reftest.LoadModel(t, c.dir, endOfUtterance)
			_, err := mc.Processor.Prepare(context.Background(), c.in)
			var ve *vlm.Error
			if !errors.Is(err, c.want) || !errors.As(err, &ve) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	t.Run("image tokens without pixels", func(t *testing.T) {
		mc := reftest.LoadModel(t, idefics, endOfUtterance)
		in, err := mc.Processor.Prepare(context.Background(), vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Path: img}}})
		if err != nil {
			t.Fatal(err)
		}
		in.Image = nil
		_, err = mc.Model.Prepare(context.Background(), in, mc.Model.NewCaches(vlm.GenerateParameters{}), 0)
		if !errors.Is(err, vlm.ErrImageRequired) {
			t.Fatalf("got %v, want ErrImageRequired", err)
		}
	})
}

// TestLayout4x loads the fixtures with the transformers 4.x processor files
// (flat preprocessor_config.json, chat_template.json, 4.x
// tokenizer_config.json) and checks ids and pixels of the image cases.
func TestLayout4x(t *testing.T) {
	for _, name := range []string{"idefics3", "smolvlm"} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, name)
			mc := reftest.LoadModel(t, f.Layout4x(t), endOfUtterance)
			for _, c := range f.Cases {
				in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
				if err != nil {
					t.Fatal(err)
				}
				reftest.CheckIDs(t, in.Tokens, c.InputIDs)
				if in.Image != nil {
					reftest.CheckMaxAbs(t, c.Name+": pixel values", in.Image.Pixels.Data(), f.Tensor(t, c.Name+".pixel_values").Data(), 1e-5)
				}
			}
		})
	}
}

// smolVLM2Template is the SmolVLM2 chat template (with its video branch).
const smolVLM2Template = "<|im_start|>{% for message in messages %}{{message['role'] | capitalize}}{% if message['content'][0]['type'] == 'image' %}{{':'}}{% else %}{{': '}}{% endif %}{% for line in message['content'] %}{% if line['type'] == 'text' %}{{line['text']}}{% elif line['type'] == 'image' %}{{ '<image>' }}{% elif line['type'] == 'video' %}{{ '<video>' }}{% endif %}{% endfor %}<end_of_utterance>\n{% endfor %}{% if add_generation_prompt %}{{ 'Assistant:' }}{% endif %}"

// TestVideoPrompt runs a three-frame video through the SmolVLM fixture
// with the SmolVLM2 template: the prompt must be the SmolVLM2 video layout
// (intro, one timestamped global image per frame, outro), the pixels one
// tile per frame, and generation must run. transformers has no PIL video
// backend, so there is no reference tensor to compare with.
func TestVideoPrompt(t *testing.T) {
	dir := reftest.Load(t, "smolvlm").Copy(t)
	if err := os.WriteFile(filepath.Join(dir, "chat_template.jinja"), []byte(smolVLM2Template), 0o644); err != nil {
		t.Fatal(err)
	}
	// The fixture's video processor keeps SmolVLMVideoProcessor's default
	// 364-pixel frames; the tiny tower takes 32-pixel tiles.
	setVideoTile(t, dir, 32)
	mc := reftest.LoadModel(t, dir, endOfUtterance)
	var frames []*media.Image
	root := reftest.RepoRoot(t)
	for i := range 3 {
		img, err := media.DecodeFile(filepath.Join(root, "testdata", "images", fmt.Sprintf("video_frame_%d.png", i)), media.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, img)
	}
	in := vlm.UserInput{Messages: []vlm.Message{{Role: vlm.RoleUser, Content: []vlm.Part{
		{Video: &vlm.VideoSource{Frames: frames, FrameTimes: []float64{0, 1.5, 61}}},
		{Text: "What happens?"},
	}}}}
	prepared, err := mc.Processor.Prepare(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	frame := "<fake_token_around_image><global-img>" + strings.Repeat("<image>", 4) + "<fake_token_around_image>"
	want := "<|im_start|>User: You are provided the following series of three frames from a 0:01:01 [H:MM:SS] video.\n" +
		"\nFrame from 00:00:" + frame + "\nFrame from 00:01:" + frame + "\nFrame from 01:01:" + frame +
		"\n\nWhat happens?<end_of_utterance>\nAssistant:"
	if got := mc.Tokenizer.Decode(prepared.Tokens, false); got != want {
		t.Errorf("prompt\n%q\nwant\n%q", got, want)
	}
	if !slices.Equal(prepared.Tokens, mc.Tokenizer.Encode(want, false)) {
		t.Error("prompt ids differ from the tokenized layout")
	}
	if got := prepared.Image.Pixels.Shape(); !slices.Equal(got, []int{3, 3, 32, 32}) {
		t.Fatalf("pixels %v", got)
	}
	n := 0
	for _, err := range vlm.Tokens(context.Background(), mc.Model, prepared, vlm.GenerateParameters{MaxTokens: 5}, nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 {
		t.Errorf("generated %d tokens", n)
	}
}

// setVideoTile rewrites the video processor of a 5.x processor_config.json
// to frames of tile×tile pixels.
func setVideoTile(t *testing.T, dir string, tile int) {
	t.Helper()
	path := filepath.Join(dir, "processor_config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pc map[string]any
	if err := json.Unmarshal(b, &pc); err != nil {
		t.Fatal(err)
	}
	vp := pc["video_processor"].(map[string]any)
	vp["max_image_size"] = map[string]any{"longest_edge": tile}
	vp["size"] = map[string]any{"longest_edge": 2 * tile}
	if b, err = json.Marshal(pc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestParseVideoConfig(t *testing.T) {
	// preprocessor_config.json of HuggingFaceTB/SmolVLM2-256M-Video-Instruct.
	smolVLM2 := `{"do_convert_rgb": true, "do_image_splitting": true, "do_normalize": true, "do_pad": true,
		"do_rescale": true, "do_resize": true, "image_mean": [0.5, 0.5, 0.5], "image_processor_type": "SmolVLMImageProcessor",
		"image_std": [0.5, 0.5, 0.5], "max_image_size": {"longest_edge": 512}, "processor_class": "SmolVLMProcessor",
		"resample": 1, "rescale_factor": 0.00392156862745098, "size": {"longest_edge": 2048},
		"video_sampling": {"fps": 1, "max_frames": 64, "video_size": {"longest_edge": 512}}}`
	if !hasVideoSampling([]byte(smolVLM2)) || hasVideoSampling([]byte(`{"size": {"longest_edge": 2048}}`)) {
		t.Fatal("hasVideoSampling")
	}
	v, err := ParseVideoConfig([]byte(smolVLM2))
	if err != nil {
		t.Fatal(err)
	}
	if v.FPS != 1 || v.MaxFrames != 64 || v.Image.Size.LongestEdge != 2048 || v.Image.MaxImageSize.LongestEdge != 512 || v.Image.DoImageSplitting {
		t.Errorf("SmolVLM2 video config %+v", v)
	}
	v, err = ParseVideoConfig([]byte(`{"video_sampling": {"fps": 2, "max_frames": 8, "video_size": {"longest_edge": 384}}, "max_image_size": {"longest_edge": 384}}`))
	if err != nil {
		t.Fatal(err)
	}
	if v.FPS != 2 || v.MaxFrames != 8 || v.Image.Size.LongestEdge != 384 {
		t.Errorf("video_size without size: %+v", v)
	}
	if _, err := ParseVideoConfig([]byte(`{"max_image_size": {"longest_edge": 0}}`)); err == nil {
		t.Error("a zero tile size was accepted")
	}
}

// TestPlainPromptWithoutTemplate removes the chat template: a plain prompt
// then gets one image layout per image in front of it and the tokenizer's
// own special tokens, and chat messages are a processing error.
func TestPlainPromptWithoutTemplate(t *testing.T) {
	dir := reftest.Load(t, "idefics3").Copy(t)
	if err := os.Remove(filepath.Join(dir, "chat_template.jinja")); err != nil {
		t.Fatal(err)
	}
	mc := reftest.LoadModel(t, dir, endOfUtterance)
	img := filepath.Join(reftest.RepoRoot(t), "testdata", "images", "chelsea_80x80.png")
	in, err := mc.Processor.Prepare(context.Background(), vlm.UserInput{Prompt: "a cat", Images: []vlm.ImageSource{{Path: img}}})
	if err != nil {
		t.Fatal(err)
	}
	p := mc.Processor.(*Processor)
	if want := mc.Tokenizer.Encode(p.imageLayout(2, 2)+"a cat", true); !slices.Equal(in.Tokens, want) {
		t.Errorf("tokens\n%v\nwant\n%v", in.Tokens, want)
	}
	_, err = mc.Processor.Prepare(context.Background(), vlm.UserInput{Messages: []vlm.Message{vlm.Text(vlm.RoleUser, "hi")}})
	if !errors.Is(err, vlm.ErrProcessing) {
		t.Errorf("messages without a template: %v", err)
	}
}
