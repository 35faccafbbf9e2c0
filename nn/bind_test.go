package nn

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/govlm/govlm/tensor"
)

type testBlock struct {
	Attn *Attention `nn:"self_attn"`
	MLP  *GatedMLP  `nn:"mlp"`
	Norm *RMSNorm   `nn:"input_layernorm"`
}

type testModel struct {
	Embed  *Embedding   `nn:"model.embed_tokens"`
	Layers []*testBlock `nn:"model.layers"`
	Norm   *RMSNorm     `nn:"model.norm"`
	Head   *Linear      `nn:"lm_head,alt:model.embed_tokens"`
	Extra  *RMSNorm     `nn:"model.extra_norm,optional"`
}

const (
	tHidden, tInter, tVocab, tHeads, tKV, tHeadDim = 8, 16, 11, 2, 1, 4
)

func newTestModel(layers int) *testModel {
	m := &testModel{
		Embed: NewEmbedding(tVocab, tHidden),
		Norm:  NewRMSNorm(tHidden, 1e-6),
		Head:  NewLinear(tHidden, tVocab, false),
	}
	for range layers {
		m.Layers = append(m.Layers, &testBlock{
			Attn: NewAttention(AttentionConfig{Hidden: tHidden, Heads: tHeads, KVHeads: tKV, HeadDim: tHeadDim, QKVBias: true}),
			MLP:  NewGatedMLP(tHidden, tInter, SiLU, false),
			Norm: NewRMSNorm(tHidden, 1e-6),
		})
	}
	return m
}

// testWeights returns a complete weight map for newTestModel(layers),
// without lm_head (tied).
func testWeights(layers int) map[string]*tensor.Tensor {
	w := map[string]*tensor.Tensor{
		"model.embed_tokens.weight": tensor.New(tVocab, tHidden),
		"model.norm.weight":         tensor.New(tHidden),
	}
	for i := range layers {
		p := "model.layers." + itoa(i) + "."
		w[p+"self_attn.q_proj.weight"] = tensor.New(tHeads*tHeadDim, tHidden)
		w[p+"self_attn.q_proj.bias"] = tensor.New(tHeads * tHeadDim)
		w[p+"self_attn.k_proj.weight"] = tensor.New(tKV*tHeadDim, tHidden)
		w[p+"self_attn.k_proj.bias"] = tensor.New(tKV * tHeadDim)
		w[p+"self_attn.v_proj.weight"] = tensor.New(tKV*tHeadDim, tHidden)
		w[p+"self_attn.v_proj.bias"] = tensor.New(tKV * tHeadDim)
		w[p+"self_attn.o_proj.weight"] = tensor.New(tHidden, tHeads*tHeadDim)
		w[p+"mlp.gate_proj.weight"] = tensor.New(tInter, tHidden)
		w[p+"mlp.up_proj.weight"] = tensor.New(tInter, tHidden)
		w[p+"mlp.down_proj.weight"] = tensor.New(tHidden, tInter)
		w[p+"input_layernorm.weight"] = tensor.New(tHidden)
	}
	return w
}

func TestBindComplete(t *testing.T) {
	m := newTestModel(2)
	w := testWeights(2)
	if err := Bind(m, w, ""); err != nil {
		t.Fatal(err)
	}
	if m.Head.Weight != w["model.embed_tokens.weight"] {
		t.Error("tied lm_head did not bind the embedding table through alt")
	}
	if m.Layers[1].Attn.K.Bias != w["model.layers.1.self_attn.k_proj.bias"] {
		t.Error("layer 1 k bias not bound")
	}
	if m.Extra != nil {
		t.Error("optional module absent from the weights was allocated")
	}
	if m.Layers[0].Attn.QNorm != nil {
		t.Error("q_norm was not configured but is set")
	}
}

func TestBindPrefersPrimaryOverAlt(t *testing.T) {
	m := newTestModel(1)
	w := testWeights(1)
	w["lm_head.weight"] = tensor.New(tVocab, tHidden)
	if err := Bind(m, w, ""); err != nil {
		t.Fatal(err)
	}
	if m.Head.Weight != w["lm_head.weight"] {
		t.Error("lm_head present but the alternate was bound")
	}
}

func TestBindOptionalModulePresent(t *testing.T) {
	m := newTestModel(1)
	w := testWeights(1)
	w["model.extra_norm.weight"] = tensor.New(tHidden)
	if err := Bind(m, w, ""); err != nil {
		t.Fatal(err)
	}
	if m.Extra == nil || m.Extra.Weight != w["model.extra_norm.weight"] {
		t.Error("optional module present in the weights was not bound")
	}
}

func TestBindReportsEverything(t *testing.T) {
	m := newTestModel(2)
	w := testWeights(2)
	delete(w, "model.layers.1.mlp.up_proj.weight")
	delete(w, "model.layers.0.self_attn.q_proj.bias")
	w["model.layers.0.mlp.gate_proj.weight"] = tensor.New(tInter, tHidden+1)
	w["model.layers.0.self_attn.o_proj.bias"] = tensor.New(tHidden) // o_proj built without bias
	w["model.layers.2.mlp.up_proj.weight"] = tensor.New(tInter, tHidden)
	w["vision_tower.x"] = tensor.New(1)

	err := Bind(m, w, "")
	var be *BindError
	if !errors.As(err, &be) {
		t.Fatalf("Bind error %v is not a *BindError", err)
	}
	wantMissing := []string{"model.layers.0.self_attn.q_proj.bias", "model.layers.1.mlp.up_proj.weight"}
	wantUnused := []string{"model.layers.0.self_attn.o_proj.bias", "model.layers.2.mlp.up_proj.weight", "vision_tower.x"}
	wantMismatch := []ShapeMismatch{{Name: "model.layers.0.mlp.gate_proj.weight", Want: []int{tInter, tHidden}, Got: []int{tInter, tHidden + 1}}}
	if !slices.Equal(be.Missing, wantMissing) {
		t.Errorf("Missing = %v, want %v", be.Missing, wantMissing)
	}
	if !slices.Equal(be.Unused, wantUnused) {
		t.Errorf("Unused = %v, want %v", be.Unused, wantUnused)
	}
	if !reflect.DeepEqual(be.Mismatched, wantMismatch) {
		t.Errorf("Mismatched = %v, want %v", be.Mismatched, wantMismatch)
	}
	if be.Error() == "" {
		t.Error("empty message")
	}
}

func TestBindPrefixLimitsUnused(t *testing.T) {
	type tower struct {
		Proj *Linear `nn:"proj"`
	}
	w := map[string]*tensor.Tensor{
		"vision.proj.weight": tensor.New(3, 2),
		"vision.proj.bias":   tensor.New(3),
		"text.other":         tensor.New(1),
	}
	var tw tower
	if err := Bind(&tw, w, "vision."); err != nil {
		t.Fatalf("weights outside the prefix must not count as unused: %v", err)
	}
	if tw.Proj == nil || tw.Proj.Bias == nil {
		t.Fatal("nil pointer module not allocated and bound")
	}
}

func TestBindRejectsBadModules(t *testing.T) {
	type badTag struct {
		W *tensor.Tensor `nn:"w,weird"`
	}
	type badType struct {
		N int `nn:"n"`
	}
	for name, m := range map[string]any{"not a pointer": testModel{}, "bad tag": &badTag{}, "bad type": &badType{}} {
		err := Bind(m, map[string]*tensor.Tensor{}, "")
		var be *BindError
		if err == nil || errors.As(err, &be) {
			t.Errorf("%s: got %v, want a plain error", name, err)
		}
	}
}

func TestParameters(t *testing.T) {
	got := Parameters(newTestModel(1), "")
	want := []string{
		"model.embed_tokens.weight",
		"model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.q_proj.bias",
		"model.layers.0.self_attn.k_proj.weight", "model.layers.0.self_attn.k_proj.bias",
		"model.layers.0.self_attn.v_proj.weight", "model.layers.0.self_attn.v_proj.bias",
		"model.layers.0.self_attn.o_proj.weight",
		"model.layers.0.self_attn.q_norm.weight", "model.layers.0.self_attn.k_norm.weight",
		"model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
		"model.layers.0.input_layernorm.weight",
		"model.norm.weight", "lm_head.weight", "model.extra_norm.weight",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Parameters =\n%v\nwant\n%v", got, want)
	}
}

func TestWalkFindsLayers(t *testing.T) {
	m := newTestModel(2)
	var linears []string
	Walk(m, func(path string, mod any) {
		if _, ok := mod.(*Linear); ok {
			linears = append(linears, path)
		}
	})
	if len(linears) != 2*7+1 {
		t.Fatalf("found %d linears: %v", len(linears), linears)
	}
	if linears[0] != "model.layers.0.self_attn.q_proj" || linears[len(linears)-1] != "lm_head" {
		t.Errorf("unexpected paths %v", linears)
	}
}

type innerParts struct {
	Proj *Linear `nn:"proj"`
}

type withEmbedded struct {
	*innerParts
	Norm *RMSNorm `nn:"norm"`
}

func TestBindInlinesEmbeddedStructs(t *testing.T) {
	m := &withEmbedded{innerParts: &innerParts{Proj: NewLinear(2, 3, false)}}
	w := map[string]*tensor.Tensor{"proj.weight": tensor.New(3, 2), "norm.weight": tensor.New(2)}
	if err := Bind(m, w, ""); err != nil {
		t.Fatal(err)
	}
	if m.Proj.Weight != w["proj.weight"] {
		t.Error("embedded module not bound at the parent's prefix")
	}
	var paths []string
	Walk(m, func(path string, _ any) { paths = append(paths, path) })
	if !slices.Equal(paths, []string{"", "proj", "norm"}) {
		t.Errorf("Walk paths %q", paths)
	}
	w["proj.weight"] = tensor.New(3, 3)
	var be *BindError
	if err := Bind(m, w, ""); !errors.As(err, &be) || len(be.Mismatched) != 1 {
		t.Errorf("shape check lost through embedding: %v", err)
	}
}
