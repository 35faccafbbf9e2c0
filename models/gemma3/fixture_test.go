package gemma3

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// endOfTurn is the extra EOS token the gemma3 fixtures are loaded with.
const endOfTurn = "<end_of_turn>"

// TestTextFixture loads gemma3_text through vlm.Load (sliding window 8 on
// layer 0, prompts longer than the window, local/global rope, soft-capped
// logits) and checks the prompt ids, the logits at the recorded positions
// and the greedy continuation, with prefill chunks smaller and larger than
// the window.
func TestTextFixture(t *testing.T) {
	f := reftest.Load(t, "gemma3_text")
	mc := f.LoadModel(t, endOfTurn)
	m, ok := mc.Model.(*TextOnlyModel)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			ids := f.PromptIDs(t, mc, c)
			reftest.CheckIDs(t, ids, c.InputIDs)
			logits, err := m.Forward(ids, m.NewCaches(vlm.GenerateParameters{}))
			if err != nil {
				t.Fatal(err)
			}
			f.CheckLogits(t, c, logits)
			logits.Release()
			for _, step := range []int{3, 512} {
				reftest.CheckGreedy(t, m, &vlm.LMInput{Tokens: ids}, c.Greedy, step)
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
	f := reftest.Load(t, "gemma3")
	mc := f.LoadModel(t, endOfTurn)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) { checkVLMCase(t, f, mc, c) })
	}
}

// processorFor returns mc's processor with the case's processor call
// options (pan-and-scan) applied.
func processorFor(t *testing.T, mc *vlm.ModelContext, c reftest.Case) *Processor {
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

func checkVLMCase(t *testing.T, f *reftest.Fixture, mc *vlm.ModelContext, c reftest.Case) {
	m, ok := mc.Model.(*Model)
	if !ok {
		t.Fatalf("Load built %T", mc.Model)
	}
	in, err := processorFor(t, mc, c).Prepare(context.Background(), f.UserInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	reftest.CheckIDs(t, in.Tokens, c.InputIDs)
	if in.Image != nil {
		want := f.Tensor(t, c.Name+".pixel_values")
		reftest.CheckShape(t, "pixel values", in.Image.Pixels.Shape(), want.Shape())
		reftest.CheckMaxAbs(t, "pixel values", in.Image.Pixels.Data(), want.Data(), 1e-5)
		feats, err := m.ImageFeatures(in.Image.Pixels)
		if err != nil {
			t.Fatal(err)
		}
		reftest.CheckRelative(t, "image features", feats, f.Tensor(t, c.Name+".image_features"), 1e-4)
		feats.Release()
	}
	logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	f.CheckLogits(t, c, logits)
	logits.Release()
	for _, step := range []int{5, 512} {
		reftest.CheckGreedy(t, m, in, c.Greedy, step)
	}
}

// TestPanAndScanHint checks that the request's PanAndScan hint overrides
// the processor's setting: on, the pan-and-scan case's ids are
// transformers'; off, the same request gets no crops.
func TestPanAndScanHint(t *testing.T) {
	f := reftest.Load(t, "gemma3")
	mc := f.LoadModel(t, endOfTurn)
	for _, c := range f.Cases {
		if c.Name != "pan_and_scan" {
			continue
		}
		p := processorFor(t, mc, c)
		p.Image.DoPanAndScan = false // the hint must switch it on
		on, off := true, false
		in := f.UserInput(t, c)
		in.Processing.PanAndScan = &on
		got, err := p.Prepare(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		reftest.CheckIDs(t, got.Tokens, c.InputIDs)
		in.Processing.PanAndScan = &off
		plain, err := p.Prepare(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if plain.Image.Pixels.Dim(0) >= got.Image.Pixels.Dim(0) {
			t.Fatalf("pan-and-scan off gave %d views, on %d", plain.Image.Pixels.Dim(0), got.Image.Pixels.Dim(0))
		}
		return
	}
	t.Fatal("the gemma3 fixture has no pan_and_scan case")
}
