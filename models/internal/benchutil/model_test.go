package benchutil

import (
	"slices"
	"testing"
	"time"

	"github.com/govlm/govlm/models/internal/reftest"
	_ "github.com/govlm/govlm/models/llama" // registers the fixture's architecture
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// TestDecode checks Decode against the greedy continuation transformers
// recorded for the llama fixture.
func TestDecode(t *testing.T) {
	f := reftest.Load(t, "llama")
	mc := f.LoadModel(t)
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			caches := mc.Model.NewCaches(vlm.GenerateParameters{})
			logits, err := mc.Model.Forward(f.PromptIDs(t, mc, c), caches)
			if err != nil {
				t.Fatal(err)
			}
			vocab := logits.Dim(1)
			first := int32(tensor.Argmax(logits.Data()[(logits.Dim(0)-1)*vocab:]))
			logits.Release()
			if first != c.Greedy[0] {
				t.Fatalf("first token %d, want %d", first, c.Greedy[0])
			}
			got, err := Decode(mc.Model, []int32{first}, caches, len(c.Greedy)-1)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.Greedy[1:]) {
				t.Errorf("decoded\n%v\nwant\n%v", got, c.Greedy[1:])
			}
		})
	}
}

func TestPhases(t *testing.T) {
	var p Phases
	for range 2 {
		p.Start()
		time.Sleep(2 * time.Millisecond)
		p.End("a")
		p.End("b")
	}
	if a := p.Wall("a"); a < 4*time.Millisecond {
		t.Errorf("phase a took %v over two iterations, want ≥ 4ms", a)
	}
	if b := p.Wall("b"); b < 0 {
		t.Errorf("phase b took %v", b)
	}
	if p.Wall("none") != 0 || p.CPU("none") != 0 || p.CPU("a") < 0 {
		t.Errorf("unknown phase %v/%v, CPU of a %v", p.Wall("none"), p.CPU("none"), p.CPU("a"))
	}
}
