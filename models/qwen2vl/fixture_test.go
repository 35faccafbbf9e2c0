package qwen2vl

import (
	"context"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

const repoRoot = "../.."

type refCase struct {
	Name     string `json:"name"`
	Messages []struct {
		Role    string `json:"role"`
		Content []struct {
			Type string          `json:"type"`
			Text string          `json:"text"`
			Path json.RawMessage `json:"path"`
		} `json:"content"`
	} `json:"messages"`
	InputIDs        []int32 `json:"input_ids"`
	LogitsPositions []int   `json:"logits_positions"`
	RopeDeltas      []int   `json:"rope_deltas"`
	Greedy          []int32 `json:"greedy"`
}

type reference struct {
	Cases []refCase `json:"cases"`
	file  *safetensors.File
}

// fixture returns the folder of a reference fixture in testdata/models,
// skipping the test when it is absent.
func fixture(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(repoRoot, "testdata", "models", name)
	if _, err := os.Stat(filepath.Join(dir, "reference.json")); err != nil {
		t.Skipf("fixture %s not present: %v", name, err)
	}
	return dir
}

func loadReference(t *testing.T, dir string) *reference {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.file, err = safetensors.Open(filepath.Join(dir, "reference.safetensors")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ref.file.Close() })
	return &ref
}

// tensorOf returns a reference tensor, or nil when the reference has none.
func (r *reference) tensorOf(t *testing.T, name string) *tensor.Tensor {
	t.Helper()
	info, ok := r.file.Tensor(name)
	if !ok {
		return nil
	}
	x, err := safetensors.ToTensor(info)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// layout4x builds the transformers 4.x layout of a fixture in a temporary
// folder: the 5.x files with layout_4x/ laid over them, without the nested
// processor_config.json and chat_template.jinja.
func layout4x(t *testing.T, dir string) string {
	t.Helper()
	out := t.TempDir()
	cp := func(from, to string) {
		src, err := os.Open(from)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		dst, err := os.Create(to)
		if err != nil {
			t.Fatal(err)
		}
		defer dst.Close()
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
	}
	for _, sub := range []string{"", "layout_4x"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || e.Name() == "processor_config.json" || e.Name() == "chat_template.jinja" {
				continue
			}
			cp(filepath.Join(dir, sub, e.Name()), filepath.Join(out, e.Name()))
		}
	}
	return out
}

// userInput turns a reference case's HF messages into a vlm.UserInput:
// images by path, videos as decoded frames (no frame times, as the
// reference passed them).
func userInput(t *testing.T, c refCase) vlm.UserInput {
	t.Helper()
	var in vlm.UserInput
	for _, m := range c.Messages {
		msg := vlm.Message{Role: m.Role}
		for _, p := range m.Content {
			switch p.Type {
			case "text":
				msg.Content = append(msg.Content, vlm.Part{Text: p.Text})
			case "image":
				var path string
				if err := json.Unmarshal(p.Path, &path); err != nil {
					t.Fatal(err)
				}
				msg.Content = append(msg.Content, vlm.Part{Image: &vlm.ImageSource{Path: filepath.Join(repoRoot, path)}})
			case "video":
				var paths []string
				if err := json.Unmarshal(p.Path, &paths); err != nil {
					t.Fatal(err)
				}
				v := &vlm.VideoSource{}
				for _, fp := range paths {
					img, err := media.DecodeFile(filepath.Join(repoRoot, fp), media.DecodeOptions{})
					if err != nil {
						t.Fatal(err)
					}
					v.Frames = append(v.Frames, img)
				}
				msg.Content = append(msg.Content, vlm.Part{Video: v})
			default:
				t.Fatalf("unknown content type %q", p.Type)
			}
		}
		in.Messages = append(in.Messages, msg)
	}
	return in
}

// maxAbsDiff returns max |a − b| over equal-length data.
func maxAbsDiff(t *testing.T, a, b []float32) float64 {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("lengths %d and %d differ", len(a), len(b))
	}
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}

// relErr returns max |got − want| / max |want|.
func relErr(t *testing.T, got, want []float32) float64 {
	t.Helper()
	var ref float64
	for _, v := range want {
		ref = math.Max(ref, math.Abs(float64(v)))
	}
	return maxAbsDiff(t, got, want) / ref
}

func grids(x *tensor.Tensor) []vlm.THW {
	if x == nil {
		return nil
	}
	d := x.Data()
	var out []vlm.THW
	for i := 0; i+2 < len(d); i += 3 {
		out = append(out, vlm.THW{T: int(d[i]), H: int(d[i+1]), W: int(d[i+2])})
	}
	return out
}

// Pixel tolerances. Images of the PIL-backend references go through the
// PIL-exact resize, so only float32 normalisation rounding remains. Video
// references (torchvision's video processor: torch's uint8 bicubic, a port
// of PIL's with another fixed-point weight precision) and the image
// references of qwen2_vl_mlx_4bit (made from its 4.x processor files, which
// transformers 5 maps to the torchvision backend) may differ by one grey
// level (1/255/std ≤ 0.01501) on a few values.
const (
	pilPixelTol   = 1e-5
	greyLevelTol  = 0.0151
	tvFixtureName = "qwen2_vl_mlx_4bit"
)

// checkPixels compares processor pixels with the reference and logs the
// largest difference and the share of values off by more than 1e-5.
func checkPixels(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	d := maxAbsDiff(t, got, want)
	off := 0
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > pilPixelTol {
			off++
		}
	}
	t.Logf("%s max |Δ| %.3g, %d of %d values beyond 1e-5", what, d, off, len(got))
	if d > tol {
		t.Errorf("%s max |Δ| %.3g > %g", what, d, tol)
	}
}

// TestReferenceFixtures checks every case of the Qwen2-VL / Qwen2.5-VL
// fixtures, loaded through vlm.Load in the 5.x layout and (where the
// fixture has one) the 4.x layout: the processor's ids and pixels, the
// M-RoPE positions, the merged vision features and the logits at the
// recorded positions (fed the reference pixels), and the 20 greedy tokens
// from the processor's own output.
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"qwen2_vl", "qwen2_5_vl", "qwen2_vl_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			dir := fixture(t, name)
			ref := loadReference(t, dir)
			layouts := map[string]string{"native": dir}
			if _, err := os.Stat(filepath.Join(dir, "layout_4x")); err == nil {
				layouts["4.x"] = layout4x(t, dir)
			}
			for _, lname := range []string{"native", "4.x"} {
				ldir, ok := layouts[lname]
				if !ok {
					continue
				}
				t.Run(lname, func(t *testing.T) {
					mc, err := vlm.Load(context.Background(), vlm.ModelConfiguration{Directory: ldir}, vlm.LoadOptions{})
					if err != nil {
						t.Fatal(err)
					}
					defer mc.Close()
					if _, ok := mc.Model.(*Model); !ok {
						t.Fatalf("Load built %T, want *qwen2vl.Model", mc.Model)
					}
					for _, c := range ref.Cases {
						t.Run(c.Name, func(t *testing.T) { checkCase(t, name, mc, ref, c, lname == "native") })
					}
				})
			}
		})
	}
}

func checkCase(t *testing.T, fixtureName string, mc *vlm.ModelContext, ref *reference, c refCase, full bool) {
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), userInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Release()
	if !slices.Equal(in.Tokens, c.InputIDs) {
		t.Fatalf("input ids\n%v\nwant\n%v", in.Tokens, c.InputIDs)
	}
	// (a) processor outputs.
	refIn := &vlm.LMInput{Tokens: in.Tokens}
	if want := ref.tensorOf(t, c.Name+".pixel_values"); want != nil {
		g := grids(ref.tensorOf(t, c.Name+".image_grid_thw"))
		if in.Image == nil || !slices.Equal(in.Image.Grids, g) {
			t.Fatalf("image grids %v, want %v", in.Image, g)
		}
		tol := pilPixelTol
		if fixtureName == tvFixtureName {
			tol = greyLevelTol
		}
		checkPixels(t, "pixel_values", in.Image.Pixels.Data(), want.Data(), tol)
		refIn.Image = &vlm.ProcessedImage{Pixels: want, Grids: g}
	}
	if want := ref.tensorOf(t, c.Name+".pixel_values_videos"); want != nil {
		g := grids(ref.tensorOf(t, c.Name+".video_grid_thw"))
		if in.Video == nil || !slices.Equal(in.Video.Grids, g) {
			t.Fatalf("video grids %v, want %v", in.Video, g)
		}
		checkPixels(t, "pixel_values_videos", in.Video.Pixels.Data(), want.Data(), greyLevelTol)
		refIn.Video = &vlm.ProcessedVideo{Pixels: want, Grids: g, SecondsPerGrid: in.Video.SecondsPerGrid}
		if s := ref.tensorOf(t, c.Name+".second_per_grid_ts"); s != nil {
			if got := float32(in.Video.SecondsPerGrid[0]); got != s.Data()[0] {
				t.Errorf("second_per_grid_ts %v, want %v", got, s.Data()[0])
			}
		}
	}
	// M-RoPE positions and delta.
	pos, delta, err := m.positions(refIn)
	if err != nil {
		t.Fatal(err)
	}
	if want := ref.tensorOf(t, c.Name+".position_ids"); want != nil {
		n := len(in.Tokens)
		for k := range 3 {
			for i := range n {
				if float32(pos[k][i]) != want.Data()[k*n+i] {
					t.Fatalf("position_ids[%d][%d] = %d, want %v", k, i, pos[k][i], want.Data()[k*n+i])
				}
			}
		}
	}
	if len(c.RopeDeltas) == 1 && delta != c.RopeDeltas[0] {
		t.Errorf("rope delta %d, want %d", delta, c.RopeDeltas[0])
	}
	if !full {
		return
	}
	// (b) vision features and logits from the reference pixels.
	for _, kind := range []string{"image", "video"} {
		want := ref.tensorOf(t, c.Name+"."+kind+"_features")
		if want == nil {
			continue
		}
		pix, g := refIn.Image, []vlm.THW(nil)
		var px *tensor.Tensor
		if kind == "image" {
			px, g = pix.Pixels, pix.Grids
		} else {
			px, g = refIn.Video.Pixels, refIn.Video.Grids
		}
		got, err := m.Features(px, g)
		if err != nil {
			t.Fatal(err)
		}
		rel := relErr(t, got.Data(), want.Data())
		got.Release()
		t.Logf("%s features relative error %.3g", kind, rel)
		if rel > 1e-4 {
			t.Errorf("%s features relative error %.3g > 1e-4", kind, rel)
		}
	}
	logits, err := m.ForwardInput(refIn, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	want := ref.tensorOf(t, c.Name+".logits")
	vocab := logits.Dim(1)
	var rows []float32
	for _, p := range c.LogitsPositions {
		rows = append(rows, logits.Data()[p*vocab:(p+1)*vocab]...)
	}
	logits.Release()
	rel := relErr(t, rows, want.Data())
	t.Logf("logits relative error %.3g", rel)
	if rel > 1e-4 {
		t.Errorf("logits relative error %.3g > 1e-4", rel)
	}
	// (c) greedy continuation from the processor's own input, prefilled in
	// chunks that split the vision blocks.
	var greedy []int32
	p := vlm.GenerateParameters{MaxTokens: len(c.Greedy), PrefillStepSize: 7}
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
