package idefics3

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// endOfUtterance is the extra EOS token the fixtures are loaded with.
const endOfUtterance = "<end_of_utterance>"

// TestReferenceFixtures checks, for every case of the Idefics3, SmolVLM and
// mlx-community 4-bit SmolVLM fixtures loaded through vlm.Load: the prompt
// ids, the pixel values (PIL Lanczos tiling), the merged image features,
// the logits at the recorded positions and the 20-token greedy
// continuation, against transformers 5.17 (PIL image processor).
func TestReferenceFixtures(t *testing.T) {
	for _, name := range []string{"idefics3", "smolvlm", "smolvlm_mlx_4bit"} {
		t.Run(name, func(t *testing.T) {
			f := reftest.Load(t, name)
			mc := f.LoadModel(t, endOfUtterance)
			if _, ok := mc.Model.(*Model); !ok {
				t.Fatalf("Load built %T", mc.Model)
			}
			for _, c := range f.Cases {
				t.Run(c.Name, func(t *testing.T) { checkCase(t, f, mc, c) })
			}
		})
	}
}

func checkCase(t *testing.T, f *reftest.Fixture, mc *vlm.ModelContext, c reftest.Case) {
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, c))
	if err != nil {
		t.Fatal(err)
	}
	reftest.CheckIDs(t, in.Tokens, c.InputIDs)
	if in.Image != nil {
		want := f.Tensor(t, c.Name+".pixel_values")
		// The reference has a leading batch dimension of 1.
		reftest.CheckShape(t, "pixel values", in.Image.Pixels.Shape(), want.Shape()[1:])
		// Lanczos resizing is PIL's bit for bit: the only difference is
		// float32 rounding of the rescale and normalisation.
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
	reftest.CheckGreedy(t, m, in, c.Greedy, 16)
}
