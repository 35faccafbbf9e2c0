package vlm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
)

func loadTiny(t *testing.T, dir string, opts LoadOptions, conf ModelConfiguration) *ModelContext {
	t.Helper()
	conf.Directory = dir
	mc, err := Load(context.Background(), conf, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { mc.Close() })
	return mc
}

func TestLoadGeneratesLikeDirectModel(t *testing.T) {
	dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
	mc := loadTiny(t, dir, LoadOptions{}, ModelConfiguration{})
	if _, ok := mc.Processor.(*TextProcessor); !ok {
		t.Errorf("text-only model got processor %T", mc.Processor)
	}
	if mc.WeightBytes <= 0 {
		t.Errorf("WeightBytes %d", mc.WeightBytes)
	}
	want := greedyReference(t, newBoundTinyModel(t, tinyCfg, 1), tinyPrompt, 10)
	got := collectTokens(t, mc.Model, tinyPrompt, GenerateParameters{MaxTokens: 10}, nil)
	if !slices.Equal(got, want) {
		t.Fatalf("loaded model generates %v, direct model %v", got, want)
	}
	// The whole path: processor → generate.
	in, err := mc.Processor.Prepare(context.Background(), UserInput{Prompt: "hello world"})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Tokens) == 0 {
		t.Fatal("processor produced no tokens")
	}
	for _, err := range Generate(context.Background(), mc, in, GenerateParameters{MaxTokens: 4}) {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadCombinesMLXQuantizedWeights(t *testing.T) {
	quantized := []string{"model.layers.0.mlp.down_proj.weight", "model.layers.1.self_attn.q_proj.weight", "model.embed_tokens.weight"}
	dir := writeTinyCheckpoint(t, tinyCfg, 1, 4, quantized...)
	mc := loadTiny(t, dir, LoadOptions{}, ModelConfiguration{})
	m := mc.Model.(*tinyModel)
	if dt := m.Layers[0].MLP.Down.Weight.DType(); dt != tensor.Q4 {
		t.Fatalf("down_proj dtype %v, want Q4", dt)
	}
	if m.Head.Weight != m.Embed.Weight {
		t.Error("tied head does not share the quantized embedding")
	}
	// The same quantized tensors bound directly give the same logits.
	direct := newBoundTinyModel(t, tinyCfg, 1)
	for _, l := range []**tensor.Tensor{&direct.Layers[0].MLP.Down.Weight, &direct.Layers[1].Attn.Q.Weight, &direct.Embed.Weight} {
		q, err := tensor.Quantize(*l, 4, 32)
		if err != nil {
			t.Fatal(err)
		}
		*l = q
	}
	direct.Head.Weight = direct.Embed.Weight
	a, err := m.Forward(tinyPrompt, m.NewCaches(GenerateParameters{}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := direct.Forward(tinyPrompt, direct.NewCaches(GenerateParameters{}))
	for i := range a.Data() {
		if a.Data()[i] != b.Data()[i] {
			t.Fatalf("logit %d: loaded %v, direct %v", i, a.Data()[i], b.Data()[i])
		}
	}
}

func TestLoadQuantizeOption(t *testing.T) {
	cfg := tinyCfg
	cfg.Hidden, cfg.Inter = 64, 128 // widths divisible by the group size 64
	dir := writeTinyCheckpoint(t, cfg, 2, 0)
	mc := loadTiny(t, dir, LoadOptions{Quantize: "q8"}, ModelConfiguration{})
	m := mc.Model.(*tinyModel)
	if m.Layers[1].MLP.Up.Weight.DType() != tensor.Q8 || m.Embed.Weight.DType() != tensor.Q8 {
		t.Fatalf("not quantized: up %v, embed %v", m.Layers[1].MLP.Up.Weight.DType(), m.Embed.Weight.DType())
	}
	if m.Head.Weight != m.Embed.Weight {
		t.Error("tied weights quantized twice")
	}
	if m.Layers[0].Attn.Q.Weight.DType() != tensor.Q8 {
		t.Error("q_proj (in 64) not quantized")
	}
	if _, err := Load(context.Background(), ModelConfiguration{Directory: dir}, LoadOptions{Quantize: "q3"}); !errors.Is(err, ErrLoad) {
		t.Errorf("bad quantize option: %v", err)
	}
}

func TestLoadEOSAndTokenizerOverride(t *testing.T) {
	dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
	writeFile(t, dir, "generation_config.json", `{"eos_token_id": [3, 4]}`)
	mc := loadTiny(t, dir, LoadOptions{}, ModelConfiguration{ExtraEOSTokens: []string{"!"}})
	for _, id := range []int32{3, 4, 28, 29} {
		if !slices.Contains(mc.EOSTokenIDs, id) {
			t.Errorf("EOS ids %v lack %d", mc.EOSTokenIDs, id)
		}
	}
	if _, err := Load(context.Background(), ModelConfiguration{Directory: dir, ExtraEOSTokens: []string{"<nope>"}}, LoadOptions{}); !errors.Is(err, ErrLoad) {
		t.Errorf("unknown extra EOS token: %v", err)
	}
	// Tokenizer from another folder.
	tokDir := t.TempDir()
	writeTinyTokenizer(t, tokDir)
	for _, f := range []string{"tokenizer.json", "tokenizer_config.json"} {
		os.Remove(filepath.Join(dir, f))
	}
	loadTiny(t, dir, LoadOptions{}, ModelConfiguration{Tokenizer: tokDir})
}

func TestLoadErrors(t *testing.T) {
	t.Run("unsupported model type", func(t *testing.T) {
		dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
		writeFile(t, dir, "config.json", `{"model_type": "no_such_arch"}`)
		_, err := Load(context.Background(), ModelConfiguration{Directory: dir}, LoadOptions{})
		if !errors.Is(err, ErrUnsupportedModelType) || !strings.Contains(err.Error(), tinyModelType) {
			t.Fatalf("got %v; want the supported types listed", err)
		}
	})
	t.Run("missing and extra weights", func(t *testing.T) {
		cfg := tinyCfg
		cfg.Layers = 1 // the checkpoint has 2 layers: layer 1 is left over
		dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
		writeFile(t, dir, "config.json", string(cfg.json(t, nil)))
		_, err := Load(context.Background(), ModelConfiguration{Directory: dir}, LoadOptions{})
		var be *nn.BindError
		if !errors.Is(err, ErrLoad) || !errors.As(err, &be) || len(be.Unused) == 0 || !strings.HasPrefix(be.Unused[0], "model.layers.1.") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("quantized without settings", func(t *testing.T) {
		dir := writeTinyCheckpoint(t, tinyCfg, 1, 4, "model.layers.0.mlp.down_proj.weight")
		writeFile(t, dir, "config.json", string(tinyCfg.json(t, nil)))
		if _, err := Load(context.Background(), ModelConfiguration{Directory: dir}, LoadOptions{}); !errors.Is(err, ErrLoad) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("no directory", func(t *testing.T) {
		if _, err := Load(context.Background(), ModelConfiguration{Directory: filepath.Join(t.TempDir(), "absent")}, LoadOptions{}); !errors.Is(err, ErrLoad) {
			t.Fatalf("got %v", err)
		}
		if _, err := Load(context.Background(), ModelConfiguration{}, LoadOptions{}); !errors.Is(err, ErrLoad) {
			t.Fatalf("empty configuration: %v", err)
		}
	})
	t.Run("vision model without processor", func(t *testing.T) {
		dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
		cfg := tinyCfg
		cfg.ModelType = "govlm_test_tiny_vision"
		writeFile(t, dir, "config.json", string(cfg.json(t, nil)))
		_, err := Load(context.Background(), ModelConfiguration{Directory: dir}, LoadOptions{})
		if !errors.Is(err, ErrUnknownProcessor) {
			t.Fatalf("got %v", err)
		}
	})
}

// tinyVision is the tiny model claiming a vision side, to exercise the
// processor lookup.
type tinyVision struct{ *tinyModel }

func (*tinyVision) MediaSupport() MediaSupport { return MediaSupport{MaxImages: 1} }

func init() {
	RegisterModel("govlm_test_tiny_vision", func(b []byte) (LanguageModel, error) {
		m, err := newTinyModel(b)
		if err != nil {
			return nil, err
		}
		return &tinyVision{m.(*tinyModel)}, nil
	})
}

func TestCombineQuantizedShapes(t *testing.T) {
	w := map[string]*tensor.Tensor{
		"x.weight": tensor.FromU16(tensor.BF16, make([]uint16, 4), 2, 2),
	}
	q := &QuantizationConfig{Bits: 4, GroupSize: 32}
	// Triplets need a U32 weight: a float weight with stray scales passes through.
	w["x.scales"] = tensor.New(2, 1)
	w["x.biases"] = tensor.New(2, 1)
	out, err := CombineQuantized(w, q)
	if err != nil || len(out) != 3 {
		t.Fatalf("float weight: %v, %d tensors", err, len(out))
	}
	// An 8-bit tensor in a 4-bit config without per-module entry is
	// recognised from its shapes: 64 values = 16 words at 8 bits, 2 groups.
	u, _ := tensor.FromBytes(tensor.U32, make([]byte, 4*3*16), 3, 16)
	w2 := map[string]*tensor.Tensor{"y.weight": u, "y.scales": tensor.New(3, 2), "y.biases": tensor.New(3, 2)}
	out, err = CombineQuantized(w2, q)
	if err != nil {
		t.Fatal(err)
	}
	if y := out["y.weight"]; y.DType() != tensor.Q8 || y.Dim(1) != 64 || len(out) != 1 {
		t.Fatalf("got %v %v, %d tensors", y.DType(), y.Shape(), len(out))
	}
	w2["y.scales"] = tensor.New(3, 3)
	w2["y.biases"] = tensor.New(3, 3)
	if _, err := CombineQuantized(w2, q); !errors.Is(err, ErrLoad) {
		t.Fatalf("inconsistent shapes: %v", err)
	}
}

// TestLoadDoesNotCopyWeights loads a checkpoint of ~10 MiB of F32 weights
// and checks that the heap grew by a small fraction of that: the weights
// stay in the memory-mapped file.
func TestLoadDoesNotCopyWeights(t *testing.T) {
	cfg := tinyCfg
	cfg.Vocab, cfg.Hidden, cfg.Inter, cfg.Heads, cfg.KVHeads, cfg.HeadDim = 30, 256, 1024, 8, 4, 32
	cfg.Layers = 3
	dir := writeTinyCheckpoint(t, cfg, 3, 0)
	st, err := os.Stat(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	mc := loadTiny(t, dir, LoadOptions{}, ModelConfiguration{})
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("weights %d bytes, load allocated %d bytes", st.Size(), allocated)
	if allocated > uint64(st.Size())/10 {
		t.Errorf("loading %d bytes of weights allocated %d bytes", st.Size(), allocated)
	}
	if mc.WeightBytes < st.Size()*9/10 {
		t.Errorf("WeightBytes %d for a %d-byte file", mc.WeightBytes, st.Size())
	}
}
