package all_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// vlmFixtures are the reference checkpoints that take images.
var vlmFixtures = []string{"smolvlm", "idefics3", "qwen2_vl", "qwen2_5_vl", "paligemma", "gemma3"}

// awkwardImage is an image file that a processor may find hard, with the
// outcome every model must give it.
type awkwardImage struct {
	// file is relative to testdata/images/robustness (local) or to the
	// shared images folder (shared).
	file   string
	shared bool
	// bad: the file is not a whole image, so every model must fail with
	// a KindImageProcessing error naming it.
	bad bool
	// qwenRejects: the aspect ratio exceeds 200, which Qwen2-VL's
	// smart_resize refuses (as transformers does); other models take it.
	qwenRejects bool
}

var awkwardImages = []awkwardImage{
	// Tiny copies kept in the repository, so the core always runs.
	{file: "tiny_1x1.png"},
	{file: "tiny_17x3.png"},
	{file: "wide_402x2.png", qwenRejects: true},
	{file: "truncated_48x32.jpg", bad: true},
	{file: "not_an_image.png", bad: true},
	// The shared test images (skipped when absent).
	{file: "coffee_wide_2000x40.png", shared: true},
	{file: "coffee_tall_31x1200.png", shared: true},
	{file: "astronaut_cmyk.jpg", shared: true},
	{file: "astronaut_exif_rot6.jpg", shared: true},
	{file: "astronaut_gray16.png", shared: true},
	{file: "astronaut_palette.png", shared: true},
	{file: "transparent_gradient_96x64.png", shared: true},
	{file: "astronaut.webp", shared: true},
	{file: "astronaut_lossless.webp", shared: true},
	{file: "astronaut.gif", shared: true},
	{file: "astronaut.bmp", shared: true},
	{file: "astronaut.tiff", shared: true},
	{file: "astronaut_progressive.jpg", shared: true},
	{file: "bad_truncated.jpg", shared: true, bad: true},
	{file: "bad_not_an_image.png", shared: true, bad: true},
}

// sharedImages returns ../shared/testdata/images next to the repository,
// or "" when it is absent.
func sharedImages(t *testing.T) string {
	dir := filepath.Join(reftest.RepoRoot(t), "..", "shared", "testdata", "images")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// catch runs f and turns a panic into an error carrying its stack, so
// that one bad case fails alone.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	return f()
}

// errPanic marks a recovered panic.
func isPanic(err error) bool { return err != nil && strings.HasPrefix(err.Error(), "panic: ") }

// generate prepares in and generates at most two tokens, returning how
// many came and the first error.
func generate(mc *vlm.ModelContext, in vlm.UserInput, p vlm.GenerateParameters) (int, error) {
	n := 0
	err := catch(func() error {
		ctx := context.Background()
		lm, err := mc.Processor.Prepare(ctx, in)
		if err != nil {
			return err
		}
		defer lm.Release()
		for c, err := range vlm.Generate(ctx, mc, lm, p) {
			if err != nil {
				return err
			}
			n += len(c.Tokens)
		}
		return nil
	})
	return n, err
}

// TestAwkwardImages runs every image model's processor and a two-token
// generation on images of odd sizes, formats and encodings: each must
// give tokens, or a *vlm.Error of kind KindImageProcessing that names the
// file — never a panic or an untyped error.
func TestAwkwardImages(t *testing.T) {
	root := reftest.RepoRoot(t)
	shared := sharedImages(t)
	if shared == "" {
		t.Log("../shared/testdata/images absent: only the images of testdata/images/robustness run")
	}
	for _, name := range vlmFixtures {
		t.Run(name, func(t *testing.T) {
			mc := reftest.Load(t, name).LoadModel(t)
			qwen := strings.HasPrefix(name, "qwen")
			for _, im := range awkwardImages {
				t.Run(im.file, func(t *testing.T) {
					path := filepath.Join(root, "testdata", "images", "robustness", im.file)
					if im.shared {
						if shared == "" || testing.Short() {
							t.Skip("shared image (absent, or -short)")
						}
						path = filepath.Join(shared, im.file)
					}
					in := vlm.UserInput{Prompt: "What is this?", Images: []vlm.ImageSource{{Path: path}}}
					n, err := generate(mc, in, vlm.GenerateParameters{MaxTokens: 2})
					wantErr := im.bad || (qwen && im.qwenRejects)
					switch {
					case isPanic(err):
						t.Fatal(err)
					case err == nil && wantErr:
						t.Fatalf("%d tokens, want a KindImageProcessing error", n)
					case err == nil && n == 0:
						t.Fatal("no tokens and no error")
					case err == nil:
						return
					case !wantErr:
						t.Fatalf("want tokens, got %v", err)
					}
					var ve *vlm.Error
					if !errors.As(err, &ve) || ve.Kind != vlm.KindImageProcessing {
						t.Fatalf("error %v (%T), want a *vlm.Error of kind %v", err, err, vlm.KindImageProcessing)
					}
					if !strings.Contains(err.Error(), im.file) {
						t.Errorf("error %q does not name %s", err, im.file)
					}
					t.Logf("%v", err)
				})
			}
		})
	}
}

// TestAwkwardRequests sends every image model requests it cannot serve as
// given — wrong media for the model, an image placeholder without an image,
// invalid generation parameters — and checks each fails with the expected
// typed error, never a panic. Requests a model can serve (an empty prompt
// through a chat template, roles the template accepts) must give tokens.
func TestAwkwardRequests(t *testing.T) {
	root := reftest.RepoRoot(t)
	image := vlm.ImageSource{Path: filepath.Join(root, "testdata", "images", "chelsea_80x80.png")}
	video := framesVideo(t, root)
	one := []vlm.ImageSource{image}
	// want maps a fixture to the error kind it must give; a fixture not
	// named must give tokens. all applies to every fixture.
	type want map[string]*vlm.Error
	all := func(e *vlm.Error) want {
		w := want{}
		for _, f := range vlmFixtures {
			w[f] = e
		}
		return w
	}
	cases := []struct {
		name string
		in   func(fixture string) vlm.UserInput
		p    vlm.GenerateParameters
		want want
	}{
		{"two images", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Compare.", Images: []vlm.ImageSource{image, image}}
		}, vlm.GenerateParameters{}, want{"paligemma": vlm.ErrSingleImageAllowed}},
		// The smolvlm fixture's chat template has no video part (SmolVLM
		// 1), so the video has no placeholder to go to.
		{"video", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "What happens?", Videos: []vlm.VideoSource{video}}
		}, vlm.GenerateParameters{}, want{"smolvlm": vlm.ErrProcessing, "idefics3": vlm.ErrVideoProcessing,
			"paligemma": vlm.ErrVideoProcessing, "gemma3": vlm.ErrVideoProcessing}},
		{"image and video", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Compare.", Images: one, Videos: []vlm.VideoSource{video}}
		}, vlm.GenerateParameters{}, want{"smolvlm": vlm.ErrSingleMediaTypeAllowed, "idefics3": vlm.ErrSingleMediaTypeAllowed,
			"paligemma": vlm.ErrSingleMediaTypeAllowed, "gemma3": vlm.ErrSingleMediaTypeAllowed}},
		{"placeholder without image", func(f string) vlm.UserInput {
			return vlm.UserInput{Prompt: placeholder[f] + " What is this?"}
		}, vlm.GenerateParameters{}, func() want {
			w := all(vlm.ErrProcessing)
			w["paligemma"] = vlm.ErrImageRequired
			return w
		}()},
		// An empty prompt through a chat template is an empty user turn,
		// as in transformers; PaliGemma's empty prefix needs its image.
		{"empty prompt", func(string) vlm.UserInput { return vlm.UserInput{} },
			vlm.GenerateParameters{}, want{"paligemma": vlm.ErrImageRequired}},
		{"empty prompt with image", func(string) vlm.UserInput { return vlm.UserInput{Images: one} },
			vlm.GenerateParameters{}, want{}},
		{"empty message", func(string) vlm.UserInput {
			return vlm.UserInput{Messages: []vlm.Message{{Role: vlm.RoleUser}}}
		}, vlm.GenerateParameters{}, want{"paligemma": vlm.ErrImageRequired}},
		// Roles are the chat template's business, as in transformers:
		// Gemma 3's raises on one it does not know.
		{"unknown role", func(string) vlm.UserInput {
			return vlm.UserInput{Messages: []vlm.Message{{Role: "wizard", Content: []vlm.Part{{Image: &image}, {Text: "Hi"}}}}}
		}, vlm.GenerateParameters{}, want{"paligemma": vlm.ErrProcessing, "gemma3": vlm.ErrProcessing}},
		{"negative MaxTokens", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{MaxTokens: -1}, all(vlm.ErrGeneration)},
		{"KVBits 3", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{KVBits: 3}, all(vlm.ErrGeneration)},
		{"negative temperature", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{Temperature: -1}, all(vlm.ErrGeneration)},
		{"TopP above 1", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{Temperature: 1, TopP: 1.5}, all(vlm.ErrGeneration)},
	}
	for _, name := range vlmFixtures {
		t.Run(name, func(t *testing.T) {
			mc := reftest.Load(t, name).LoadModel(t)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					p := c.p
					if p.MaxTokens == 0 {
						p.MaxTokens = 2
					}
					n, err := generate(mc, c.in(name), p)
					wantErr := c.want[name]
					switch {
					case isPanic(err):
						t.Fatal(err)
					case wantErr == nil && err != nil:
						t.Fatalf("want tokens, got %v", err)
					case wantErr == nil && (n == 0 || n > p.MaxTokens):
						t.Fatalf("%d tokens, want 1…%d", n, p.MaxTokens)
					case wantErr != nil && !errors.Is(err, wantErr):
						t.Fatalf("got %v (%d tokens), want a *vlm.Error of kind %v", err, n, wantErr.Kind)
					case err != nil:
						t.Log(err)
					}
				})
			}
		})
	}
}

// placeholder is each fixture's image placeholder in a raw prompt.
var placeholder = map[string]string{
	"smolvlm": "<image>", "idefics3": "<image>", "paligemma": "<image>",
	"qwen2_vl": "<|vision_start|><|image_pad|><|vision_end|>", "qwen2_5_vl": "<|vision_start|><|image_pad|><|vision_end|>",
	"gemma3": "<start_of_image>",
}

// framesVideo is a four-frame video from testdata/images/video_frame_*.png.
func framesVideo(t *testing.T, root string) vlm.VideoSource {
	t.Helper()
	var v vlm.VideoSource
	for i := range 4 {
		img, err := media.DecodeFile(filepath.Join(root, "testdata", "images", fmt.Sprintf("video_frame_%d.png", i)), media.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		v.Frames = append(v.Frames, img)
	}
	return v
}
