package idefics3

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

type refPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
	Path string `json:"path"`
}

type refCase struct {
	Name     string `json:"name"`
	Messages []struct {
		Role    string    `json:"role"`
		Content []refPart `json:"content"`
	} `json:"messages"`
	InputIDs        []int32 `json:"input_ids"`
	LogitsPositions []int   `json:"logits_positions"`
	Greedy          []int32 `json:"greedy"`
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

// fixture returns the folder of a reference fixture and its cases, skipping
// the test when the fixture is absent.
func fixture(t *testing.T, name string) (string, []refCase) {
	t.Helper()
	dir := filepath.Join(repoRoot(t), "testdata", "models", name)
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	var ref struct {
		Cases []refCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return dir, ref.Cases
}

// userInput turns a reference case's messages into a vlm.UserInput with
// image paths resolved against the repository root.
func userInput(t testing.TB, c refCase) vlm.UserInput {
	root := repoRoot(t)
	var in vlm.UserInput
	for _, m := range c.Messages {
		msg := vlm.Message{Role: m.Role}
		for _, p := range m.Content {
			switch p.Type {
			case "image":
				msg.Content = append(msg.Content, vlm.Part{Image: &vlm.ImageSource{Path: filepath.Join(root, p.Path)}})
			default:
				msg.Content = append(msg.Content, vlm.Part{Text: p.Text})
			}
		}
		in.Messages = append(in.Messages, msg)
	}
	return in
}

func load(t testing.TB, dir string) *vlm.ModelContext {
	t.Helper()
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir, ExtraEOSTokens: []string{"<end_of_utterance>"}}, vlm.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	return mc
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

// TestReferenceFixtures checks, for every case of the Idefics3, SmolVLM and
// mlx-community 4-bit SmolVLM fixtures loaded through vlm.Load: the prompt
// ids, the pixel values (PIL Lanczos tiling), the merged image features,
// the logits at the recorded positions and the 20-token greedy
// continuation, against transformers 5.17 (PIL image processor).
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"idefics3", "smolvlm", "smolvlm_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			dir, cases := fixture(t, name)
			ref, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
			if err != nil {
				t.Fatal(err)
			}
			defer ref.Close()
			mc := load(t, dir)
			if _, ok := mc.Model.(*Model); !ok {
				t.Fatalf("Load built %T", mc.Model)
			}
			for _, c := range cases {
				t.Run(c.Name, func(t *testing.T) { checkCase(t, mc, c, ref) })
			}
		})
	}
}

func checkCase(t *testing.T, mc *vlm.ModelContext, c refCase, ref *safetensors.File) {
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), userInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Tokens, c.InputIDs) {
		t.Fatalf("input ids\n%v\nwant\n%v", in.Tokens, c.InputIDs)
	}
	if in.Image != nil {
		want := refTensor(t, ref, c.Name+".pixel_values")
		if got := in.Image.Pixels.Shape(); !slices.Equal(got, want.Shape()[1:]) {
			t.Fatalf("pixel values %v, want %v", got, want.Shape())
		}
		diff, _ := maxAbs(in.Image.Pixels.Data(), want.Data())
		t.Logf("pixel values: max |Δ| %.3g", diff)
		// Lanczos resizing is PIL's bit for bit: the only difference is
		// float32 rounding of the rescale and normalisation.
		if diff > 1e-5 {
			t.Errorf("pixel values max |Δ| %.3g > 1e-5", diff)
		}
		feats, err := m.ImageFeatures(in.Image.Pixels)
		if err != nil {
			t.Fatal(err)
		}
		wantF := refTensor(t, ref, c.Name+".image_features")
		if !slices.Equal(feats.Shape(), wantF.Shape()) {
			t.Fatalf("image features %v, want %v", feats.Shape(), wantF.Shape())
		}
		diff, scale := maxAbs(feats.Data(), wantF.Data())
		t.Logf("image features: relative error %.3g", diff/scale)
		if diff/scale > 1e-4 {
			t.Errorf("image features relative error %.3g > 1e-4", diff/scale)
		}
		feats.Release()
	}
	logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	want := refTensor(t, ref, c.Name+".logits")
	vocab := logits.Dim(1)
	var diff, scale float64
	for i, pos := range c.LogitsPositions {
		d, s := maxAbs(logits.Data()[pos*vocab:(pos+1)*vocab], want.Data()[i*vocab:(i+1)*vocab])
		diff, scale = math.Max(diff, d), math.Max(scale, s)
	}
	logits.Release()
	t.Logf("logits: relative error %.3g", diff/scale)
	if diff/scale > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", diff/scale)
	}
	var greedy []int32
	p := vlm.GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: 16}
	for tok, err := range vlm.Tokens(context.Background(), m, in, p, nil) {
		if err != nil {
			t.Fatal(err)
		}
		greedy = append(greedy, tok)
	}
	if !slices.Equal(greedy, c.Greedy) {
		t.Errorf("greedy\n%v\nwant\n%v", greedy, c.Greedy)
	}
}
