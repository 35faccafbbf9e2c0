package idefics3

import (
	"context"
	"math"
	"testing"

	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestPrepareEndingInImageToken cuts the image case's prompt right after
// its last <image> token: Prepare must then run every position itself and
// return the logits of that last row, equal to a full forward pass.
func TestPrepareEndingInImageToken(t *testing.T) {
	f := reftest.Load(t, "idefics3")
	mc := f.LoadModel(t, endOfUtterance)
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), f.UserInput(t, f.Cases[1]))
	if err != nil {
		t.Fatal(err)
	}
	cut := 0
	for i, tok := range in.Tokens {
		if tok == m.cfg.ImageTokenID {
			cut = i + 1
		}
	}
	in.Tokens = in.Tokens[:cut]
	full, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Prepare(context.Background(), in, m.NewCaches(vlm.GenerateParameters{}), 7)
	if err != nil {
		t.Fatal(err)
	}
	if res.Logits == nil || res.Tokens != nil {
		t.Fatalf("Prepare returned tokens %v and logits %v", res.Tokens, res.Logits)
	}
	vocab := full.Dim(1)
	want := full.Data()[(cut-1)*vocab : cut*vocab]
	var diff float64
	for i, v := range res.Logits.Data() {
		diff = math.Max(diff, math.Abs(float64(v-want[i])))
	}
	if diff > 1e-4 {
		t.Errorf("last-row logits differ by %.3g", diff)
	}
}
