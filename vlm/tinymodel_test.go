package vlm

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/safetensors"
	"github.com/govlm/govlm/tensor"
)

// A real (if tiny) Llama-style decoder built from nn layers, used to test the
// generation loop and the loader end to end. Its weights are random.

const tinyModelType = "govlm_test_tiny"

type tinyConfig struct {
	ModelType string  `json:"model_type"`
	Vocab     int     `json:"vocab_size"`
	Hidden    int     `json:"hidden_size"`
	Layers    int     `json:"num_hidden_layers"`
	Heads     int     `json:"num_attention_heads"`
	KVHeads   int     `json:"num_key_value_heads"`
	HeadDim   int     `json:"head_dim"`
	Inter     int     `json:"intermediate_size"`
	RopeTheta float64 `json:"rope_theta"`
	Eps       float32 `json:"rms_norm_eps"`
	Sliding   int     `json:"sliding_window"`
	QKVBias   bool    `json:"govlm_qkv_bias"`
	// Llama fields, for the reference-fixture test.
	AttentionBias  bool            `json:"attention_bias"`
	MaxPos         int             `json:"max_position_embeddings"`
	RopeParameters *nn.RopeScaling `json:"rope_parameters,omitempty"`
	RopeScaling    *nn.RopeScaling `json:"rope_scaling,omitempty"`
}

type tinyLayer struct {
	InNorm   *nn.RMSNorm   `nn:"input_layernorm"`
	Attn     *nn.Attention `nn:"self_attn"`
	PostNorm *nn.RMSNorm   `nn:"post_attention_layernorm"`
	MLP      *nn.GatedMLP  `nn:"mlp"`
}

type tinyModel struct {
	Embed  *nn.Embedding `nn:"model.embed_tokens"`
	Layers []*tinyLayer  `nn:"model.layers"`
	Norm   *nn.RMSNorm   `nn:"model.norm"`
	Head   *nn.Linear    `nn:"lm_head,alt:model.embed_tokens"`

	cfg tinyConfig
	rot *nn.Rotary
}

var _ LanguageModel = (*tinyModel)(nil)

func newTinyModel(configJSON []byte) (LanguageModel, error) {
	var c tinyConfig
	if err := json.Unmarshal(configJSON, &c); err != nil {
		return nil, err
	}
	return buildTinyModel(c)
}

func buildTinyModel(c tinyConfig) (LanguageModel, error) {
	rp := nn.RopeParams{HeadDim: c.HeadDim, Base: c.RopeTheta, MaxPositionEmbeddings: c.MaxPos, Scaling: c.RopeScaling}
	if c.RopeParameters != nil {
		rp.Scaling = c.RopeParameters
		if c.RopeParameters.RopeTheta > 0 {
			rp.Base = c.RopeParameters.RopeTheta
		}
	}
	rot, err := nn.NewRotary(rp, false)
	if err != nil {
		return nil, err
	}
	m := &tinyModel{
		Embed: nn.NewEmbedding(c.Vocab, c.Hidden),
		Norm:  nn.NewRMSNorm(c.Hidden, c.Eps),
		Head:  nn.NewLinear(c.Hidden, c.Vocab, false),
		cfg:   c,
		rot:   rot,
	}
	for range c.Layers {
		m.Layers = append(m.Layers, &tinyLayer{
			InNorm: nn.NewRMSNorm(c.Hidden, c.Eps),
			Attn: nn.NewAttention(nn.AttentionConfig{Hidden: c.Hidden, Heads: c.Heads, KVHeads: c.KVHeads, HeadDim: c.HeadDim,
				QKVBias: c.QKVBias || c.AttentionBias, OBias: c.AttentionBias}),
			PostNorm: nn.NewRMSNorm(c.Hidden, c.Eps),
			MLP:      nn.NewGatedMLP(c.Hidden, c.Inter, nn.SiLU, false),
		})
	}
	return m, nil
}

// hidden runs the decoder stack over tokens and returns [n, hidden].
func (m *tinyModel) hidden(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	if err := m.Embed.Check(tokens); err != nil {
		return nil, err
	}
	h := m.Embed.Forward(tokens)
	offset := caches[0].Offset()
	cos, sin := m.rot.Tables(offset, len(tokens))
	defer cos.Release()
	defer sin.Release()
	for i, l := range m.Layers {
		x := l.InNorm.Forward(h)
		a := l.Attn.Forward(x, cos, sin, caches[i], nil)
		x.Release()
		tensor.AddInPlace(h, a)
		a.Release()
		x = l.PostNorm.Forward(h)
		f := l.MLP.Forward(x)
		x.Release()
		tensor.AddInPlace(h, f)
		f.Release()
	}
	out := m.Norm.Forward(h)
	h.Release()
	return out, nil
}

func (m *tinyModel) Prepare(ctx context.Context, input *LMInput, caches []nn.Cache, step int) (PrepareResult, error) {
	rest, err := PrefillChunks(ctx, input.Tokens, step, func(chunk []int32) error {
		h, err := m.hidden(chunk, caches)
		if err == nil {
			h.Release()
		}
		return err
	})
	return PrepareResult{Tokens: rest}, err
}

func (m *tinyModel) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.hidden(tokens, caches)
	if err != nil {
		return nil, err
	}
	defer h.Release()
	return m.Head.Forward(h), nil
}

func (m *tinyModel) NewCaches(p GenerateParameters) []nn.Cache {
	if m.cfg.Sliding > 0 {
		caches := make([]nn.Cache, m.cfg.Layers)
		for i := range caches {
			c, _ := nn.NewRotatingCache(m.cfg.Sliding)
			caches[i] = c
		}
		return caches
	}
	return DefaultCaches(m.cfg.Layers, p)
}

func (m *tinyModel) Sanitize(w map[string]*tensor.Tensor) (map[string]*tensor.Tensor, error) {
	for name := range w {
		if strings.HasSuffix(name, "rotary_emb.inv_freq") {
			delete(w, name)
		}
	}
	return w, nil
}

func (m *tinyModel) KVHeads() []int {
	out := make([]int, m.cfg.Layers)
	for i := range out {
		out[i] = m.cfg.KVHeads
	}
	return out
}

var tinyCfg = tinyConfig{
	ModelType: tinyModelType, Vocab: 30, Hidden: 32, Layers: 2, Heads: 4, KVHeads: 2, HeadDim: 8,
	Inter: 64, RopeTheta: 10000, Eps: 1e-6, QKVBias: true,
}

func (c tinyConfig) json(t testing.TB, extra map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(extra) == 0 {
		return b
	}
	var m map[string]any
	json.Unmarshal(b, &m)
	for k, v := range extra {
		m[k] = v
	}
	b, _ = json.Marshal(m)
	return b
}

// tinyWeights draws a checkpoint for c with std 0.3 weights (norms near 1)
// from seed; lm_head is tied.
func tinyWeights(c tinyConfig, seed uint64) map[string][]float32 {
	r := rand.New(rand.NewPCG(seed, 7))
	draw := func(n int, mean, std float64) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(mean + std*r.NormFloat64())
		}
		return d
	}
	w := map[string][]float32{
		"model.embed_tokens.weight": draw(c.Vocab*c.Hidden, 0, 1),
		"model.norm.weight":         draw(c.Hidden, 1, 0.1),
	}
	q, kv := c.Heads*c.HeadDim, c.KVHeads*c.HeadDim
	for i := range c.Layers {
		p := "model.layers." + itoa(i) + "."
		w[p+"input_layernorm.weight"] = draw(c.Hidden, 1, 0.1)
		w[p+"post_attention_layernorm.weight"] = draw(c.Hidden, 1, 0.1)
		w[p+"self_attn.q_proj.weight"] = draw(q*c.Hidden, 0, 0.3)
		w[p+"self_attn.q_proj.bias"] = draw(q, 0, 0.3)
		w[p+"self_attn.k_proj.weight"] = draw(kv*c.Hidden, 0, 0.3)
		w[p+"self_attn.k_proj.bias"] = draw(kv, 0, 0.3)
		w[p+"self_attn.v_proj.weight"] = draw(kv*c.Hidden, 0, 0.3)
		w[p+"self_attn.v_proj.bias"] = draw(kv, 0, 0.3)
		w[p+"self_attn.o_proj.weight"] = draw(c.Hidden*q, 0, 0.3)
		w[p+"mlp.gate_proj.weight"] = draw(c.Inter*c.Hidden, 0, 0.3)
		w[p+"mlp.up_proj.weight"] = draw(c.Inter*c.Hidden, 0, 0.3)
		w[p+"mlp.down_proj.weight"] = draw(c.Hidden*c.Inter, 0, 0.3)
	}
	return w
}

// tinyShape returns the shape of a tiny checkpoint tensor.
func tinyShape(c tinyConfig, name string) []int {
	q, kv := c.Heads*c.HeadDim, c.KVHeads*c.HeadDim
	switch {
	case strings.HasSuffix(name, "embed_tokens.weight"):
		return []int{c.Vocab, c.Hidden}
	case strings.HasSuffix(name, "norm.weight"), strings.HasSuffix(name, "layernorm.weight"):
		return []int{c.Hidden}
	case strings.HasSuffix(name, "q_proj.weight"):
		return []int{q, c.Hidden}
	case strings.HasSuffix(name, "q_proj.bias"):
		return []int{q}
	case strings.HasSuffix(name, "k_proj.weight"), strings.HasSuffix(name, "v_proj.weight"):
		return []int{kv, c.Hidden}
	case strings.HasSuffix(name, "k_proj.bias"), strings.HasSuffix(name, "v_proj.bias"):
		return []int{kv}
	case strings.HasSuffix(name, "o_proj.weight"):
		return []int{c.Hidden, q}
	case strings.HasSuffix(name, "gate_proj.weight"), strings.HasSuffix(name, "up_proj.weight"):
		return []int{c.Inter, c.Hidden}
	case strings.HasSuffix(name, "down_proj.weight"):
		return []int{c.Hidden, c.Inter}
	}
	panic("unknown tiny tensor " + name)
}

// newBoundTinyModel builds and binds the tiny model directly (no loader).
func newBoundTinyModel(t testing.TB, c tinyConfig, seed uint64) *tinyModel {
	t.Helper()
	m, err := newTinyModel(c.json(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	w := map[string]*tensor.Tensor{}
	for name, d := range tinyWeights(c, seed) {
		w[name] = tensor.FromF32(d, tinyShape(c, name)...)
	}
	if err := nn.Bind(m, w, ""); err != nil {
		t.Fatal(err)
	}
	return m.(*tinyModel)
}

// writeTinyCheckpoint writes config.json, model.safetensors and the
// tokenizer files of a tiny model into a new directory. Tensors listed in
// quantize are stored in the mlx-community triplet form with the given
// bits and group size 32 (config.json then carries a quantization object).
func writeTinyCheckpoint(t testing.TB, c tinyConfig, seed uint64, quantBits int, quantize ...string) string {
	t.Helper()
	dir := t.TempDir()
	infos := map[string]safetensors.Info{}
	for name, d := range tinyWeights(c, seed) {
		shape := tinyShape(c, name)
		if quantBits > 0 && contains(quantize, name) {
			qt, err := tensor.Quantize(tensor.FromF32(d, shape...), quantBits, 32)
			if err != nil {
				t.Fatal(err)
			}
			_, _, q, s, b := qt.Quant()
			base := strings.TrimSuffix(name, ".weight")
			infos[base+".weight"] = safetensors.Info{DType: "U32", Shape: []int{shape[0], len(q) / shape[0]}, Data: u32Bytes(q)}
			infos[base+".scales"] = safetensors.Info{DType: "F32", Shape: []int{shape[0], len(s) / shape[0]}, Data: f32Bytes(s)}
			infos[base+".biases"] = safetensors.Info{DType: "F32", Shape: []int{shape[0], len(b) / shape[0]}, Data: f32Bytes(b)}
			continue
		}
		infos[name] = safetensors.Info{DType: "F32", Shape: shape, Data: f32Bytes(d)}
	}
	infos["model.layers.0.self_attn.rotary_emb.inv_freq"] = safetensors.Info{DType: "F32", Shape: []int{4}, Data: f32Bytes(make([]float32, 4))}
	f, err := os.Create(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if err := safetensors.Write(f, infos, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	var extra map[string]any
	if quantBits > 0 {
		extra = map[string]any{"quantization": map[string]any{"group_size": 32, "bits": quantBits}}
	}
	writeFile(t, dir, "config.json", string(c.json(t, extra)))
	writeTinyTokenizer(t, dir)
	return dir
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func f32Bytes(d []float32) []byte {
	b := make([]byte, 4*len(d))
	for i, v := range d {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return b
}

func u32Bytes(d []uint32) []byte {
	b := make([]byte, 4*len(d))
	for i, v := range d {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	return b
}

func writeFile(t testing.TB, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeTinyTokenizer writes a byte-level BPE tokenizer whose vocabulary is
// the 26 lower-case letters, "Ġ" (space), "." and "!" (ids 0–28) plus the
// special token "<eos>" (id 29), and a tokenizer_config.json naming it.
func writeTinyTokenizer(t testing.TB, dir string) {
	t.Helper()
	vocab := map[string]int{}
	for i := range 26 {
		vocab[string(rune('a'+i))] = i
	}
	vocab["Ġ"] = 26
	vocab["."] = 27
	vocab["!"] = 28
	vocab["<eos>"] = 29
	tok := map[string]any{
		"version":    "1.0",
		"truncation": nil,
		"padding":    nil,
		"added_tokens": []any{map[string]any{
			"id": 29, "content": "<eos>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true,
		}},
		"normalizer":     nil,
		"pre_tokenizer":  map[string]any{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
		"post_processor": nil,
		"decoder":        map[string]any{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
		"model": map[string]any{
			"type": "BPE", "dropout": nil, "unk_token": nil, "continuing_subword_prefix": nil, "end_of_word_suffix": nil,
			"fuse_unk": false, "byte_fallback": false, "ignore_merges": false, "vocab": vocab, "merges": []any{},
		},
	}
	b, err := json.Marshal(tok)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "tokenizer.json", string(b))
	writeFile(t, dir, "tokenizer_config.json", `{"eos_token": "<eos>", "tokenizer_class": "PreTrainedTokenizerFast",
		"chat_template": "{% for m in messages %}{{ m['role'] }} {{ m['content'] }}.{% endfor %}{% if add_generation_prompt %}assistant {% endif %}"}`)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
