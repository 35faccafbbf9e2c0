package paligemma

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// TestReferenceFixture checks both cases of the paligemma fixture (caption,
// question) loaded through vlm.Load against transformers 5.17 (PIL
// bicubic): prompt ids, pixel values, the image rows the decoder receives,
// the logits at the recorded positions (bidirectional prefix) and the
// greedy continuation.
func TestReferenceFixture(t *testing.T) {
	f := reftest.Load(t, "paligemma")
	mc := f.LoadModel(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) { checkCase(t, f, mc, c) })
	}
}

func checkCase(t *testing.T, f *reftest.Fixture, mc *vlm.ModelContext, c reftest.Case) {
	m, ok := mc.Model.(*Model)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	reftest.CheckIDs(t, in.Tokens, c.InputIDs)
	want := f.Tensor(t, c.Name+".pixel_values")
	reftest.CheckShape(t, "pixel values", in.Image.Pixels.Shape(), want.Shape())
	reftest.CheckMaxAbs(t, "pixel values", in.Image.Pixels.Data(), want.Data(), 1e-5)
	feats, err := m.ImageFeatures(in.Image.Pixels)
	if err != nil {
		t.Fatal(err)
	}
	defer feats.Release()
	// The fixture's image_features hold the projector output before the
	// division by √hidden (its README says after): compare at that scale.
	// The logits below pin the scale the decoder really receives.
	unscaled := tensor.Scale(feats, float32(math.Sqrt(float64(m.cfg.Text.HiddenSize))))
	defer unscaled.Release()
	reftest.CheckRelative(t, "image features", unscaled, f.Tensor(t, c.Name+".image_features"), 1e-4)
	logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	defer logits.Release()
	f.CheckLogits(t, c, logits)
	reftest.CheckGreedy(t, m, in, c.Greedy, 4)
}

// TestMediaErrors checks the typed errors of inputs PaliGemma cannot take.
func TestMediaErrors(t *testing.T) {
	f := reftest.Load(t, "paligemma")
	mc := f.LoadModel(t)
	img := vlm.ImageSource{Path: filepath.Join(f.Root, f.Cases[0].Images[0])}
	for _, tc := range []struct {
		name string
		in   vlm.UserInput
		want error
	}{
		{"two images", vlm.UserInput{Prompt: "caption en", Images: []vlm.ImageSource{img, img}}, vlm.ErrSingleImageAllowed},
		{"no image", vlm.UserInput{Prompt: "caption en"}, vlm.ErrImageRequired},
		{"video", vlm.UserInput{Prompt: "caption en", Videos: []vlm.VideoSource{{Path: "clip.mp4"}}}, vlm.ErrVideoProcessing},
		{"chat", vlm.UserInput{Messages: []vlm.Message{vlm.Text("user", "a"), vlm.Text("assistant", "b")}, Images: []vlm.ImageSource{img}}, vlm.ErrProcessing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mc.Processor.Prepare(context.Background(), tc.in)
			var ve *vlm.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &ve) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}
