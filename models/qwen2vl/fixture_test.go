package qwen2vl

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// grids reads a reference grid_thw tensor [n, 3] as vlm.THW triples.
func grids(x *tensor.Tensor) []vlm.THW {
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
// references of qwen2_vl_mlx_4bit may differ by one grey level
// (1/255/std ≤ 0.01501) on a few values. The latter were computed by the
// image processor transformers 5 builds for the type name
// "Qwen2VLImageProcessor" (its torchvision backend), not the PIL one their
// reference.json names; see testdata/models/README.md.
const (
	pilPixelTol   = 1e-5
	greyLevelTol  = 0.0151
	tvFixtureName = "qwen2_vl_mlx_4bit"
)

// checkPixels compares processor pixels with the reference (max |Δ| at
// most tol) and logs how many values differ by more than pilPixelTol.
func checkPixels(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	reftest.CheckMaxAbs(t, what, got, want, tol)
	off := 0
	for i := range got {
		if math.Abs(float64(got[i]-want[i])) > pilPixelTol {
			off++
		}
	}
	t.Logf("%s: %d of %d values beyond %g", what, off, len(got), pilPixelTol)
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
			f := reftest.Load(t, name)
			layouts := map[string]string{"native": f.Dir}
			if _, err := os.Stat(filepath.Join(f.Dir, "layout_4x")); err == nil {
				layouts["4.x"] = f.Layout4x(t)
			}
			for _, lname := range []string{"native", "4.x"} {
				ldir, ok := layouts[lname]
				if !ok {
					continue
				}
				t.Run(lname, func(t *testing.T) {
					mc := reftest.LoadModel(t, ldir)
					if _, ok := mc.Model.(*Model); !ok {
						t.Fatalf("Load built %T, want *qwen2vl.Model", mc.Model)
					}
					for _, c := range f.Cases {
						t.Run(c.Name, func(t *testing.T) { checkCase(t, f, mc, c, lname == "native") })
					}
				})
			}
		})
	}
}

func checkCase(t *testing.T, f *reftest.Fixture, mc *vlm.ModelContext, c reftest.Case, full bool) {
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Release()
	reftest.CheckIDs(t, in.Tokens, c.InputIDs)
	// (a) processor outputs.
	refIn := &vlm.LMInput{Tokens: in.Tokens}
	if f.HasTensor(c.Name + ".pixel_values") {
		want := f.Tensor(t, c.Name+".pixel_values")
		g := grids(f.Tensor(t, c.Name+".image_grid_thw"))
		if in.Image == nil || !slices.Equal(in.Image.Grids, g) {
			t.Fatalf("image grids %v, want %v", in.Image, g)
		}
		tol := pilPixelTol
		if f.Name == tvFixtureName {
			tol = greyLevelTol
		}
		checkPixels(t, "pixel_values", in.Image.Pixels.Data(), want.Data(), tol)
		refIn.Image = &vlm.ProcessedImage{Pixels: want, Grids: g}
	}
	if f.HasTensor(c.Name + ".pixel_values_videos") {
		want := f.Tensor(t, c.Name+".pixel_values_videos")
		g := grids(f.Tensor(t, c.Name+".video_grid_thw"))
		if in.Video == nil || !slices.Equal(in.Video.Grids, g) {
			t.Fatalf("video grids %v, want %v", in.Video, g)
		}
		checkPixels(t, "pixel_values_videos", in.Video.Pixels.Data(), want.Data(), greyLevelTol)
		refIn.Video = &vlm.ProcessedVideo{Pixels: want, Grids: g, SecondsPerGrid: in.Video.SecondsPerGrid}
		if f.HasTensor(c.Name + ".second_per_grid_ts") {
			s := f.Tensor(t, c.Name+".second_per_grid_ts")
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
	if f.HasTensor(c.Name + ".position_ids") {
		want := f.Tensor(t, c.Name+".position_ids")
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
		name := c.Name + "." + kind + "_features"
		if !f.HasTensor(name) {
			continue
		}
		var px *tensor.Tensor
		var g []vlm.THW
		switch {
		case kind == "image" && refIn.Image != nil:
			px, g = refIn.Image.Pixels, refIn.Image.Grids
		case kind == "video" && refIn.Video != nil:
			px, g = refIn.Video.Pixels, refIn.Video.Grids
		default:
			t.Fatalf("reference has %s but no %s pixels", name, kind)
		}
		got, err := m.Features(px, g)
		if err != nil {
			t.Fatal(err)
		}
		reftest.CheckRelative(t, kind+" features", got, f.Tensor(t, name), 1e-4)
		got.Release()
	}
	logits, err := m.ForwardInput(refIn, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	f.CheckLogits(t, c, logits)
	logits.Release()
	// (c) greedy continuation from the processor's own input, prefilled in
	// chunks that split the vision blocks.
	reftest.CheckGreedy(t, m, in, c.Greedy, 7)
}
