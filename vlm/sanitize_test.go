package vlm

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

func TestSanitizeHelpers(t *testing.T) {
	w := map[string]*tensor.Tensor{
		"model.language_model.layers.0.mlp.up_proj.weight": tensor.New(1),
		"model.language_model.embed_tokens.weight":         tensor.New(1),
		"model.vision_tower.x":                             tensor.New(1),
		"model.language_model.rotary_emb.inv_freq":         tensor.New(1),
	}
	if !HasPrefix(w, "model.language_model.") || HasPrefix(w, "language_model.model.") {
		t.Fatal("HasPrefix")
	}
	DropWeights(w, func(n string) bool { return strings.HasSuffix(n, "inv_freq") })
	ReplacePrefix(w, "model.language_model.", "language_model.model.")
	got := slices.Sorted(maps.Keys(w))
	want := []string{"language_model.model.embed_tokens.weight", "language_model.model.layers.0.mlp.up_proj.weight", "model.vision_tower.x"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v", got)
	}
	// A target that extends the source prefix is applied once.
	w2 := map[string]*tensor.Tensor{"model.a": tensor.New(1)}
	ReplacePrefix(w2, "model.", "model.text.")
	if _, ok := w2["model.text.a"]; !ok || len(w2) != 1 {
		t.Fatalf("got %v", slices.Sorted(maps.Keys(w2)))
	}
}

func TestLayerCaches(t *testing.T) {
	caches := LayerCaches([]int{0, 512, 0}, GenerateParameters{MaxKVSize: 100})
	if _, ok := caches[1].(*nn.RotatingCache); !ok {
		t.Fatalf("sliding layer got %T", caches[1])
	}
	if c, ok := caches[0].(*nn.RotatingCache); !ok || c.Size() != 100 || c.Keep() != 4 {
		t.Fatalf("max-KV layer got %T", caches[0])
	}
	if _, ok := DefaultCaches(2, GenerateParameters{})[1].(*nn.KVCache); !ok {
		t.Fatal("default cache is not a KVCache")
	}
}
