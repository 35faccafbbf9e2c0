package gemma3

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestLayout4x loads the gemma3 fixture in the transformers 4.x layout
// (flat preprocessor_config.json, chat_template.json, hub weight names
// vision_tower.vision_model.*) and checks every case's ids, pixels and
// logits.
func TestLayout4x(t *testing.T) {
	f := reftest.Load(t, "gemma3")
	mc := reftest.LoadModel(t, f.Layout4x(t), endOfTurn)
	m := mc.Model.(*Model)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			in, err := processorFor(t, mc, c).Prepare(context.Background(), f.UserInput(t, c))
			if err != nil {
				t.Fatal(err)
			}
			reftest.CheckIDs(t, in.Tokens, c.InputIDs)
			if in.Image != nil {
				reftest.CheckMaxAbs(t, "pixel values", in.Image.Pixels.Data(), f.Tensor(t, c.Name+".pixel_values").Data(), 1e-5)
			}
			logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
			if err != nil {
				t.Fatal(err)
			}
			f.CheckLogits(t, c, logits)
			logits.Release()
		})
	}
}
