package gemma3

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/vlm"
)

// layout4x builds, in a temporary folder, the transformers 4.x layout of a
// fixture: its files with layout_4x/ laid over them, without the 5.x
// processor_config.json nesting and chat_template.jinja.
func layout4x(t *testing.T, src string) string {
	t.Helper()
	overlay := filepath.Join(src, "layout_4x")
	if _, err := os.Stat(overlay); err != nil {
		t.Skipf("no layout_4x: %v", err)
	}
	dir := t.TempDir()
	copyDir := func(from string, skip ...string) {
		entries, err := os.ReadDir(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.IsDir() || slices.Contains(skip, e.Name()) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(from, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	copyDir(src, "processor_config.json", "chat_template.jinja", "reference.json", "reference.safetensors")
	copyDir(overlay)
	return dir
}

// TestLayout4x loads the gemma3 fixture in the transformers 4.x layout
// (flat preprocessor_config.json, chat_template.json, hub weight names
// vision_tower.vision_model.*) and checks every case's ids, pixels and
// logits.
func TestLayout4x(t *testing.T) {
	src, cases := fixture(t, "gemma3")
	dir := layout4x(t, src)
	ref, err := safetensors.Open(filepath.Join(src, "reference.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	mc := load(t, dir)
	m := mc.Model.(*Model)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			in, err := processorFor(t, mc, c).Prepare(context.Background(), userInput(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(in.Tokens, c.InputIDs) {
				t.Fatalf("input ids differ in the 4.x layout\n%v\nwant\n%v", in.Tokens, c.InputIDs)
			}
			if in.Image != nil {
				diff, _ := maxAbs(in.Image.Pixels.Data(), refTensor(t, ref, c.Name+".pixel_values").Data())
				if diff > 1e-5 {
					t.Errorf("pixel values max |Δ| %.3g", diff)
				}
			}
			logits, err := m.ForwardInput(in, m.NewCaches(vlm.GenerateParameters{}))
			if err != nil {
				t.Fatal(err)
			}
			checkLogits(t, logits, c, ref)
			logits.Release()
		})
	}
}
