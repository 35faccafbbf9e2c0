package gemma3

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

// refMessage is a reference message: content is a string (text-only
// fixtures) or a list of parts.
type refMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

type refCase struct {
	Name             string         `json:"name"`
	Messages         []refMessage   `json:"messages"`
	Prompt           string         `json:"prompt"`
	AddSpecialTokens *bool          `json:"add_special_tokens"`
	CallKwargs       map[string]any `json:"processor_call_kwargs"`
	InputIDs         []int32        `json:"input_ids"`
	LogitsPositions  []int          `json:"logits_positions"`
	Greedy           []int32        `json:"greedy"`
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
		var s string
		if err := json.Unmarshal(m.Content, &s); err == nil {
			msg.Content = []vlm.Part{{Text: s}}
			in.Messages = append(in.Messages, msg)
			continue
		}
		var parts []refPart
		if err := json.Unmarshal(m.Content, &parts); err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			if p.Type == "image" {
				msg.Content = append(msg.Content, vlm.Part{Image: &vlm.ImageSource{Path: filepath.Join(root, p.Path)}})
			} else {
				msg.Content = append(msg.Content, vlm.Part{Text: p.Text})
			}
		}
		in.Messages = append(in.Messages, msg)
	}
	return in
}

func load(t testing.TB, dir string) *vlm.ModelContext {
	t.Helper()
	mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: dir, ExtraEOSTokens: []string{"<end_of_turn>"}}, vlm.LoadOptions{})
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

// checkLogits compares the rows of logits at the recorded positions with
// the reference (relative error ≤ 1e-4).
func checkLogits(t *testing.T, logits *tensor.Tensor, c refCase, ref *safetensors.File) {
	t.Helper()
	want := refTensor(t, ref, c.Name+".logits")
	vocab := logits.Dim(1)
	var diff, scale float64
	for i, pos := range c.LogitsPositions {
		d, s := maxAbs(logits.Data()[pos*vocab:(pos+1)*vocab], want.Data()[i*vocab:(i+1)*vocab])
		diff, scale = math.Max(diff, d), math.Max(scale, s)
	}
	t.Logf("logits: relative error %.3g", diff/scale)
	if diff/scale > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", diff/scale)
	}
}

// checkGreedy runs the generation loop (chunked prefill of step tokens)
// and compares the 20 greedy tokens.
func checkGreedy(t *testing.T, m vlm.LanguageModel, in *vlm.LMInput, c refCase, step int) {
	t.Helper()
	var greedy []int32
	p := vlm.GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: step}
	for tok, err := range vlm.Tokens(context.Background(), m, in, p, nil) {
		if err != nil {
			t.Fatal(err)
		}
		greedy = append(greedy, tok)
	}
	if !slices.Equal(greedy, c.Greedy) {
		t.Errorf("greedy (prefill step %d)\n%v\nwant\n%v", step, greedy, c.Greedy)
	}
}

// TestTextFixture loads gemma3_text through vlm.Load (sliding window 8 on
// layer 0, prompts longer than the window, local/global rope, soft-capped
// logits) and checks the prompt ids, the logits at the recorded positions
// and the greedy continuation, with prefill chunks smaller and larger than
// the window.
func TestTextFixture(t *testing.T) {
	dir, cases := fixture(t, "gemma3_text")
	ref, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	mc := load(t, dir)
	m, ok := mc.Model.(*TextOnlyModel)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var ids []int32
			if c.Messages != nil {
				in, err := mc.Processor.Prepare(context.Background(), userInput(t, c))
				if err != nil {
					t.Fatal(err)
				}
				ids = in.Tokens
			} else {
				ids = mc.Tokenizer.Encode(c.Prompt, c.AddSpecialTokens == nil || *c.AddSpecialTokens)
			}
			if !slices.Equal(ids, c.InputIDs) {
				t.Fatalf("input ids\n%v\nwant\n%v", ids, c.InputIDs)
			}
			logits, err := m.Forward(ids, m.NewCaches(vlm.GenerateParameters{}))
			if err != nil {
				t.Fatal(err)
			}
			checkLogits(t, logits, c, ref)
			logits.Release()
			for _, step := range []int{3, 512} {
				checkGreedy(t, m, &vlm.LMInput{Tokens: ids}, c, step)
			}
		})
	}
}

// TestVLMFixture checks every case of the gemma3 fixture (text only, one
// image, two images, pan-and-scan) loaded through vlm.Load: prompt ids,
// pixel values (PIL bilinear), the merged image features, the logits at the
// recorded positions and the greedy continuation, against transformers
// 5.17 (PIL image processor).
func TestVLMFixture(t *testing.T) {
	dir, cases := fixture(t, "gemma3")
	ref, err := safetensors.Open(filepath.Join(dir, "reference.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	mc := load(t, dir)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { checkVLMCase(t, mc, c, ref) })
	}
}

func processorFor(t *testing.T, mc *vlm.ModelContext, c refCase) *Processor {
	p, ok := mc.Processor.(*Processor)
	if !ok {
		t.Fatalf("processor is %T", mc.Processor)
	}
	q := *p
	if v, ok := c.CallKwargs["do_pan_and_scan"].(bool); ok {
		q.Image.DoPanAndScan = v
		q.Image.PanAndScanMinCropSize = int(c.CallKwargs["pan_and_scan_min_crop_size"].(float64))
		q.Image.PanAndScanMaxNumCrops = int(c.CallKwargs["pan_and_scan_max_num_crops"].(float64))
		q.Image.PanAndScanMinRatioToActivate = c.CallKwargs["pan_and_scan_min_ratio_to_activate"].(float64)
	}
	return &q
}

func checkVLMCase(t *testing.T, mc *vlm.ModelContext, c refCase, ref *safetensors.File) {
	m, ok := mc.Model.(*Model)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	in, err := processorFor(t, mc, c).Prepare(context.Background(), userInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(in.Tokens, c.InputIDs) {
		t.Fatalf("input ids\n%v\nwant\n%v", in.Tokens, c.InputIDs)
	}
	if in.Image != nil {
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
	checkLogits(t, logits, c, ref)
	logits.Release()
	for _, step := range []int{5, 512} {
		checkGreedy(t, m, in, c, step)
	}
}
