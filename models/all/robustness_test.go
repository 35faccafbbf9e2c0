package all_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/safetensors"
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

// panicError is a recovered panic with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("panic: %v\n%s", e.value, e.stack) }

// catch runs f and turns a panic into a *panicError, so that one bad case
// fails alone.
func catch(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{value: r, stack: debug.Stack()}
		}
	}()
	return f()
}

// isPanic reports whether err is a recovered panic.
func isPanic(err error) bool {
	var pe *panicError
	return errors.As(err, &pe)
}

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
		// Decoded images and frames built by hand whose pixels do not fill
		// their size.
		{"image with short pixels", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Images: []vlm.ImageSource{{Image: &media.Image{W: 10, H: 10, Pix: make([]uint8, 5)}}}}
		}, vlm.GenerateParameters{}, all(vlm.ErrImageProcessing)},
		{"image without pixels", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Images: []vlm.ImageSource{{Image: &media.Image{W: 10, H: 10}}}}
		}, vlm.GenerateParameters{}, all(vlm.ErrImageProcessing)},
		{"nil video frame", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Videos: []vlm.VideoSource{{Frames: []*media.Image{video.Frames[0], nil}}}}
		}, vlm.GenerateParameters{}, want{"smolvlm": vlm.ErrProcessing, "idefics3": vlm.ErrVideoProcessing, "qwen2_vl": vlm.ErrVideoProcessing,
			"qwen2_5_vl": vlm.ErrVideoProcessing, "paligemma": vlm.ErrVideoProcessing, "gemma3": vlm.ErrVideoProcessing}},
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
		// A resize hint that would make a 10-gigapixel image.
		{"huge resize hint", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Images: one, Processing: vlm.Processing{ResizeWidth: 100_000, ResizeHeight: 100_000}}
		}, vlm.GenerateParameters{}, all(vlm.ErrImageProcessing)},
		// Only Qwen2-VL's processors take pixel budgets.
		{"min pixels 2^40", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Images: one, Processing: vlm.Processing{MinPixels: 1 << 40}}
		}, vlm.GenerateParameters{}, want{"qwen2_vl": vlm.ErrImageProcessing, "qwen2_5_vl": vlm.ErrImageProcessing}},
		{"min pixels above max", func(string) vlm.UserInput {
			return vlm.UserInput{Prompt: "Hi", Images: one, Processing: vlm.Processing{MinPixels: 1 << 20, MaxPixels: 64}}
		}, vlm.GenerateParameters{}, want{"qwen2_vl": vlm.ErrImageProcessing, "qwen2_5_vl": vlm.ErrImageProcessing}},
		{"negative MaxTokens", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{MaxTokens: -1}, all(vlm.ErrGeneration)},
		{"KVBits 3", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{KVBits: 3}, all(vlm.ErrGeneration)},
		{"KV group size 7", func(string) vlm.UserInput { return vlm.UserInput{Prompt: "Hi", Images: one} },
			vlm.GenerateParameters{KVBits: 4, KVGroupSize: 7}, all(vlm.ErrGeneration)},
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
					case wantErr != nil && n > 0:
						t.Fatalf("%d tokens before the error %v: bad input must fail before generating", n, err)
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

// TestLoadBrokenFolders breaks a copy of a reference checkpoint in one way
// at a time and checks that vlm.Load fails with a typed error naming the
// broken file, tensor or field (and, for weights that do not match the
// model, an *nn.BindError listing the tensors).
func TestLoadBrokenFolders(t *testing.T) {
	weights := func(t *testing.T, dir string) string { return filepath.Join(dir, "model.safetensors") }
	formatError := func(t *testing.T, err error) {
		var fe *safetensors.FormatError
		if !errors.As(err, &fe) || !strings.HasSuffix(fe.File, "model.safetensors") {
			t.Errorf("want a *safetensors.FormatError for model.safetensors, got %T", errors.Unwrap(err))
		}
	}
	notExist := func(t *testing.T, err error) {
		if !errors.Is(err, fs.ErrNotExist) {
			t.Error("the error does not wrap fs.ErrNotExist")
		}
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string) (tensor string)
		kind   *vlm.Error
		// names are substrings the message must hold.
		names []string
		check func(t *testing.T, err error)
		// loads lists fixtures that load despite the change.
		loads []string
	}{
		{name: "no weights", damage: func(t *testing.T, dir string) string {
			must(t, os.Remove(weights(t, dir)))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"model.safetensors"}, check: notExist},
		{name: "truncated weights", damage: func(t *testing.T, dir string) string {
			st, err := os.Stat(weights(t, dir))
			must(t, err)
			must(t, os.Truncate(weights(t, dir), st.Size()/2))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"model.safetensors", "run past"}, check: formatError},
		{name: "corrupt header", damage: func(t *testing.T, dir string) string {
			b, err := os.ReadFile(weights(t, dir))
			must(t, err)
			copy(b[8:], `{"x": [[[`)
			must(t, os.WriteFile(weights(t, dir), b, 0o644))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"model.safetensors", "header"}, check: formatError},
		{name: "huge header length", damage: func(t *testing.T, dir string) string {
			b, err := os.ReadFile(weights(t, dir))
			must(t, err)
			copy(b, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f})
			must(t, os.WriteFile(weights(t, dir), b, 0o644))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"model.safetensors", "header length"}, check: formatError},
		{name: "empty weights", damage: func(t *testing.T, dir string) string {
			must(t, os.WriteFile(weights(t, dir), nil, 0o644))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"model.safetensors"}, check: formatError},
		{name: "missing tensor", damage: func(t *testing.T, dir string) (name string) {
			rewriteWeights(t, dir, func(ts map[string]safetensors.Info) {
				name = layerTensor(t, ts, "mlp.down_proj.weight")
				delete(ts, name)
			})
			return name
		}, kind: vlm.ErrLoad, check: bindError(func(e *nn.BindError) []string { return e.Missing })},
		{name: "unused tensor", damage: func(t *testing.T, dir string) (name string) {
			rewriteWeights(t, dir, func(ts map[string]safetensors.Info) {
				down := layerTensor(t, ts, "mlp.down_proj.weight")
				name = strings.TrimSuffix(down, "down_proj.weight") + "surplus_proj.weight"
				ts[name] = ts[down]
			})
			return name
		}, kind: vlm.ErrLoad, check: bindError(func(e *nn.BindError) []string { return e.Unused })},
		{name: "intermediate size", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { textConfig(c)["intermediate_size"] = 24.0 })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"mlp.down_proj.weight: want [64 24], got [64 128]"}, check: bindError(func(e *nn.BindError) []string {
			var names []string
			for _, m := range e.Mismatched {
				names = append(names, m.Name)
			}
			return names
		})},
		// The llama config derives the heads from head_dim when they are
		// 0, as for mlx-community conversions that leave them out.
		{name: "zero attention heads", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { textConfig(c)["num_attention_heads"] = 0.0 })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"num_attention_heads"}, loads: []string{"smolvlm"}},
		{name: "negative layers", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { textConfig(c)["num_hidden_layers"] = -1.0 })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"num_hidden_layers", "-1"}},
		{name: "zero vocabulary", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { textConfig(c)["vocab_size"] = 0.0 })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"vocab_size"}},
		{name: "zero vision patch", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { c["vision_config"].(map[string]any)["patch_size"] = 0.0 })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"vision_config.patch_size"}},
		{name: "image_mean of two values", damage: func(t *testing.T, dir string) string {
			editImageProcessor(t, dir, func(ip map[string]any) { ip["image_mean"] = []any{0.5, 0.5} })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"image_mean", "3 values"}},
		{name: "zero image_std", damage: func(t *testing.T, dir string) string {
			editImageProcessor(t, dir, func(ip map[string]any) { ip["image_std"] = []any{0.5, 0.0, 0.5} })
			return ""
		}, kind: vlm.ErrLoad, names: []string{"image_std", "zero standard deviation"}},
		{name: "malformed config", damage: func(t *testing.T, dir string) string {
			must(t, os.WriteFile(filepath.Join(dir, "config.json"), []byte(`{"model_type": `), 0o644))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"config.json"}, check: func(t *testing.T, err error) {
			var se *json.SyntaxError
			if !errors.As(err, &se) {
				t.Error("the error does not wrap a *json.SyntaxError")
			}
		}},
		{name: "unknown model type", damage: func(t *testing.T, dir string) string {
			editConfig(t, dir, func(c map[string]any) { c["model_type"] = "frobnicator" })
			return ""
		}, kind: vlm.ErrUnsupportedModelType, names: []string{`"frobnicator"`, "config.json", "qwen2_vl"}},
		{name: "no tokenizer", damage: func(t *testing.T, dir string) string {
			must(t, os.Remove(filepath.Join(dir, "tokenizer.json")))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"tokenizer.json"}, check: notExist},
		{name: "malformed tokenizer", damage: func(t *testing.T, dir string) string {
			must(t, os.WriteFile(filepath.Join(dir, "tokenizer.json"), []byte(`{"model": {"type": "BPE", "vocab": 3}}`), 0o644))
			return ""
		}, kind: vlm.ErrLoad, names: []string{"tokenizer.json", "model.vocab"}},
	}
	for _, name := range []string{"smolvlm", "qwen2_vl", "paligemma", "gemma3"} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, name)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					dir := f.Copy(t)
					tensor := c.damage(t, dir)
					err := catch(func() error {
						mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
						if err == nil {
							mc.Close()
						}
						return err
					})
					if slices.Contains(c.loads, name) {
						if err != nil {
							t.Fatalf("want the model to load, got %v", err)
						}
						return
					}
					if isPanic(err) || !errors.Is(err, c.kind) {
						t.Fatalf("got %v, want a *vlm.Error of kind %v", err, c.kind.Kind)
					}
					for _, s := range append(c.names, tensor) {
						if !strings.Contains(err.Error(), s) {
							t.Errorf("the error does not name %q: %v", s, err)
						}
					}
					if c.check != nil {
						c.check(t, err)
					}
					if tensor != "" {
						var be *nn.BindError
						if errors.As(err, &be) && !slices.Contains(append(be.Missing, be.Unused...), tensor) {
							t.Errorf("BindError %+v does not list %s", be, tensor)
						}
					}
				})
			}
		})
	}
}

// bindError returns a check that err wraps an *nn.BindError whose names
// (one of its lists) are all the problem tensors.
func bindError(names func(*nn.BindError) []string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var be *nn.BindError
		if !errors.As(err, &be) {
			t.Fatalf("%v does not wrap an *nn.BindError", err)
		}
		if len(names(be)) == 0 {
			t.Errorf("BindError %+v lists no tensor of the expected kind", be)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// editConfig rewrites dir/config.json after edit changed its fields.
func editConfig(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, "config.json")
	b, err := os.ReadFile(p)
	must(t, err)
	var c map[string]any
	must(t, json.Unmarshal(b, &c))
	edit(c)
	b, err = json.Marshal(c)
	must(t, err)
	must(t, os.WriteFile(p, b, 0o644))
}

// textConfig returns config.json's text_config, or the config itself for
// checkpoints that keep the text fields at the top.
func textConfig(c map[string]any) map[string]any {
	if tc, ok := c["text_config"].(map[string]any); ok {
		return tc
	}
	return c
}

// layerTensor returns the name of a tensor of the first text layer ending
// in suffix.
func layerTensor(t *testing.T, ts map[string]safetensors.Info, suffix string) string {
	t.Helper()
	for name := range ts {
		if strings.Contains(name, "layers.0.") && strings.HasSuffix(name, suffix) && !strings.Contains(name, "vision") {
			return name
		}
	}
	t.Fatalf("no layers.0 tensor ending in %s", suffix)
	return ""
}

// rewriteWeights rewrites dir/model.safetensors after edit changed its
// tensors.
func rewriteWeights(t *testing.T, dir string, edit func(map[string]safetensors.Info)) {
	t.Helper()
	p := filepath.Join(dir, "model.safetensors")
	st, err := safetensors.Open(p)
	must(t, err)
	ts := map[string]safetensors.Info{}
	for _, name := range st.Tensors() {
		info, _ := st.Tensor(name)
		info.Data = bytes.Clone(info.Data)
		ts[name] = info
	}
	must(t, st.Close())
	edit(ts)
	var b bytes.Buffer
	must(t, safetensors.Write(&b, ts, nil))
	must(t, os.WriteFile(p, b.Bytes(), 0o644))
}

// TestSessionSurvivesABadTurn sends a chat session a turn with an image
// that cannot be decoded: the turn fails with a KindImageProcessing error
// and is forgotten, and the conversation goes on with the next turn.
func TestSessionSurvivesABadTurn(t *testing.T) {
	root := reftest.RepoRoot(t)
	bad := vlm.ImageSource{Path: filepath.Join(root, "testdata", "images", "robustness", "truncated_48x32.jpg")}
	good := vlm.ImageSource{Path: filepath.Join(root, "testdata", "images", "chelsea_80x80.png")}
	for _, name := range []string{"smolvlm", "qwen2_vl"} {
		t.Run(name, func(t *testing.T) {
			mc := reftest.Load(t, name).LoadModel(t)
			s := vlm.NewSession(mc, vlm.GenerateParameters{MaxTokens: 2})
			ctx := context.Background()
			respond := func(m vlm.Message) (int, error) {
				n := 0
				err := catch(func() error {
					for c, err := range s.Respond(ctx, m) {
						if err != nil {
							return err
						}
						n += len(c.Tokens)
					}
					return nil
				})
				return n, err
			}
			if _, err := respond(vlm.Message{Role: vlm.RoleUser, Content: []vlm.Part{{Image: &good}, {Text: "What is it?"}}}); err != nil {
				t.Fatal(err)
			}
			before := len(s.Messages())
			_, err := respond(vlm.Message{Role: vlm.RoleUser, Content: []vlm.Part{{Image: &bad}, {Text: "And this?"}}})
			if !errors.Is(err, vlm.ErrImageProcessing) || !strings.Contains(err.Error(), "truncated_48x32.jpg") {
				t.Fatalf("got %v, want a KindImageProcessing error naming the file", err)
			}
			if got := len(s.Messages()); got != before {
				t.Fatalf("%d messages after the failed turn, want %d", got, before)
			}
			if n, err := respond(vlm.Text(vlm.RoleUser, "Tell me more.")); err != nil || n == 0 {
				t.Fatalf("the next turn: %d tokens, %v", n, err)
			}
		})
	}
}

// editImageProcessor rewrites the image_processor object of
// dir/processor_config.json after edit changed its fields.
func editImageProcessor(t *testing.T, dir string, edit func(map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, "processor_config.json")
	b, err := os.ReadFile(p)
	must(t, err)
	var c map[string]any
	must(t, json.Unmarshal(b, &c))
	ip, ok := c["image_processor"].(map[string]any)
	if !ok {
		t.Fatal("processor_config.json has no image_processor object")
	}
	edit(ip)
	b, err = json.Marshal(c)
	must(t, err)
	must(t, os.WriteFile(p, b, 0o644))
}
