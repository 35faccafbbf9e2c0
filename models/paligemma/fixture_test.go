package paligemma

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

type refCase struct {
	Name            string   `json:"name"`
	Images          []string `json:"images"`
	Prompt          string   `json:"prompt"`
	InputIDs        []int32  `json:"input_ids"`
	LogitsPositions []int    `json:"logits_positions"`
	Greedy          []int32  `json:"greedy"`
}

// repoRoot is the folder holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = parent
	}
}

func fixture(t *testing.T) (string, []refCase) {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testdata", "models", "paligemma")
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Skipf("fixture paligemma not present: %v", err)
	}
	var ref struct {
		Cases []refCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return dir, ref.Cases
}

func load(t testing.TB, dir string) *vlm.ModelContext {
	t.Helper()
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir}, vlm.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	return mc
}

func input(t testing.TB, c refCase) vlm.UserInput {
	in := vlm.UserInput{Prompt: c.Prompt}
	for _, p := range c.Images {
		in.Images = append(in.Images, vlm.ImageSource{Path: filepath.Join(repoRoot(t), p)})
	}
	return in
}

func refTensor(t *testing.T, f *safetensors.File, name string) *tensor.Tensor {
	t.Helper()
	info, ok := f.Tensor(name)
	if !ok {
		t.Fatalf("reference.safetensors has no %s", name)
	}
	x, err := safetensors.ToTensor(info)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// maxAbs returns max |a−b| and max |b|.
func maxAbs(a, b []float32) (diff, ref float64) {
	for i := range a {
		diff = math.Max(diff, math.Abs(float64(a[i]-b[i])))
		ref = math.Max(ref, math.Abs(float64(b[i])))
	}
	return diff, ref
}

// TestReferenceFixture checks both cases of the paligemma fixture (caption,
// question) loaded through vlm.Load against transformers 5.17 (PIL
// bicubic): prompt ids, pixel values, the image rows the decoder receives,
// the logits at the recorded positions (bidirectional prefix) and the
// greedy continuation.
func TestReferenceFixture(t *testing.T) {
	dir, cases := fixture(t)
	ref, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	mc := load(t, dir)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { checkCase(t, mc, c, ref) })
	}
}

func checkCase(t *testing.T, mc *vlm.ModelContext, c refCase, ref *safetensors.File) {
	m, ok := mc.Model.(*Model)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	in, err := mc.Processor.Prepare(context.Background(), input(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Tokens, c.InputIDs) {
		t.Fatalf("input ids\n%v\nwant\n%v", in.Tokens, c.InputIDs)
	}
	want := refTensor(t, ref, c.Name+".pixel_values")
	if !slices.Equal(in.Image.Pixels.Shape(), want.Shape()) {
		t.Fatalf("pixel values %v, want %v", in.Image.Pixels.Shape(), want.Shape())
	}
	diff, _ := maxAbs(in.Image.Pixels.Data(), want.Data())
	t.Logf("pixel values: max |Δ| %.3g", diff)
	if diff > 1e-5 {
		t.Errorf("pixel values max |Δ| %.3g > 1e-5", diff)
	}
	feats, err := m.ImageFeatures(in.Image.Pixels)
	if err != nil {
		t.Fatal(err)
	}
	defer feats.Release()
	// The fixture's image_features hold the projector output before the
	// division by √hidden (its README says after): compare at that scale.
	// The logits below pin the scale the decoder really receives.
	wantF := refTensor(t, ref, c.Name+".image_features")
	unscaled := tensor.Scale(feats, float32(math.Sqrt(float64(m.cfg.Text.HiddenSize))))
	defer unscaled.Release()
	d, s := maxAbs(unscaled.Data(), wantF.Data())
	t.Logf("image features: relative error %.3g", d/s)
	if !slices.Equal(unscaled.Shape(), wantF.Shape()) || d/s > 1e-4 {
		t.Errorf("image features %v relative error %.3g, want %v within 1e-4", unscaled.Shape(), d/s, wantF.Shape())
	}
	logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	defer logits.Release()
	wantL := refTensor(t, ref, c.Name+".logits")
	vocab := logits.Dim(1)
	var diffL, scale float64
	for i, pos := range c.LogitsPositions {
		d, s := maxAbs(logits.Data()[pos*vocab:(pos+1)*vocab], wantL.Data()[i*vocab:(i+1)*vocab])
		diffL, scale = math.Max(diffL, d), math.Max(scale, s)
	}
	t.Logf("logits: relative error %.3g", diffL/scale)
	if diffL/scale > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", diffL/scale)
	}
	var greedy []int32
	for tok, err := range vlm.Tokens(context.Background(), m, in, vlm.GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: 4}, nil) {
		if err != nil {
			t.Fatal(err)
		}
		greedy = append(greedy, tok)
	}
	if !slices.Equal(greedy, c.Greedy) {
		t.Errorf("greedy\n%v\nwant\n%v", greedy, c.Greedy)
	}
}

// TestMediaErrors checks the typed errors of inputs PaliGemma cannot take.
func TestMediaErrors(t *testing.T) {
	dir, cases := fixture(t)
	mc := load(t, dir)
	img := vlm.ImageSource{Path: filepath.Join(repoRoot(t), cases[0].Images[0])}
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
