package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/govlm/govlm/models/qwen2"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// qwen2_0_5B returns Qwen2-0.5B's decoder dimensions (tied embeddings).
func qwen2_0_5B() *qwen2.Config {
	c := qwen2.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.IntermediateSize = 151936, 896, 4864
	c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads = 24, 14, 2
	c.RopeTheta, c.TieWordEmbeddings, c.MaxPositionEmbeddings = 1e6, true, 32768
	if err := c.Finish(); err != nil {
		panic(err) // constant dimensions
	}
	return &c
}

// Weight types the benchmark runs.
var weightTypes = []string{"f32", "bf16", "q8", "q4"}

// bench is a Qwen2 decoder with random weights of one type.
type bench struct {
	model  *qwen2.Model
	wtype  string
	params int64 // parameter count
	bytes  int64 // weight storage
}

// newBench builds the decoder of c with seeded random weights (normal,
// std 0.02; norms 1) in F32 and converts them to wtype: "bf16", or "q8" /
// "q4" (MLX affine, group 64: every Linear and the embedding).
func newBench(c *qwen2.Config, wtype string, seed uint64) (*bench, error) {
	if err := c.Finish(); err != nil {
		return nil, err
	}
	m, err := qwen2.New(c)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	w := map[string]*tensor.Tensor{}
	var params int64
	add := func(name string, fill func(int) float32, shape ...int) {
		n := 1
		for _, d := range shape {
			n *= d
		}
		data := make([]float32, n)
		for i := range data {
			data[i] = fill(i)
		}
		params += int64(n)
		t := tensor.FromF32(data, shape...)
		if wtype == "bf16" && len(shape) == 2 {
			t = toBF16(data, shape...)
		}
		w[name] = t
	}
	normal := func(int) float32 { return float32(rng.NormFloat64() * 0.02) }
	one := func(int) float32 { return 1 }
	h, kv := c.HiddenSize, c.NumKeyValueHeads*c.HeadDim
	add("model.embed_tokens.weight", normal, c.VocabSize, h)
	add("model.norm.weight", one, h)
	for i := range c.NumHiddenLayers {
		p := "model.layers." + strconv.Itoa(i) + "."
		add(p+"input_layernorm.weight", one, h)
		add(p+"post_attention_layernorm.weight", one, h)
		add(p+"self_attn.q_proj.weight", normal, c.NumAttentionHeads*c.HeadDim, h)
		add(p+"self_attn.q_proj.bias", normal, c.NumAttentionHeads*c.HeadDim)
		add(p+"self_attn.k_proj.weight", normal, kv, h)
		add(p+"self_attn.k_proj.bias", normal, kv)
		add(p+"self_attn.v_proj.weight", normal, kv, h)
		add(p+"self_attn.v_proj.bias", normal, kv)
		add(p+"self_attn.o_proj.weight", normal, h, c.NumAttentionHeads*c.HeadDim)
		add(p+"mlp.gate_proj.weight", normal, c.IntermediateSize, h)
		add(p+"mlp.up_proj.weight", normal, c.IntermediateSize, h)
		add(p+"mlp.down_proj.weight", normal, h, c.IntermediateSize)
	}
	if err := nn.Bind(m, w, ""); err != nil {
		return nil, err
	}
	switch wtype {
	case "f32", "bf16":
	case "q8", "q4":
		bits := 8
		if wtype == "q4" {
			bits = 4
		}
		if err := vlm.QuantizeModel(m, bits, 64); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("weight type %q (want f32, bf16, q8 or q4)", wtype)
	}
	b := &bench{model: m, wtype: wtype, params: params}
	seen := map[*tensor.Tensor]bool{}
	nn.Walk(m, func(_ string, mod any) {
		for _, t := range moduleTensors(mod) {
			if t != nil && !seen[t] {
				seen[t] = true
				b.bytes += storageBytes(t)
			}
		}
	})
	return b, nil
}

// moduleTensors lists the weights of the module kinds the decoder uses.
func moduleTensors(mod any) []*tensor.Tensor {
	switch l := mod.(type) {
	case *nn.Linear:
		return []*tensor.Tensor{l.Weight, l.Bias}
	case *nn.Embedding:
		return []*tensor.Tensor{l.Weight}
	case *nn.RMSNorm:
		return []*tensor.Tensor{l.Weight}
	}
	return nil
}

// storageBytes is the memory a weight takes: 4 or 2 bytes a value, or the
// packed codes plus a float32 scale and bias per group.
func storageBytes(t *tensor.Tensor) int64 {
	n := int64(t.Len())
	switch t.DType() {
	case tensor.F32:
		return 4 * n
	case tensor.BF16, tensor.F16:
		return 2 * n
	case tensor.Q4, tensor.Q8:
		bits, group, _, _, _ := t.Quant()
		return n*int64(bits)/8 + 8*n/int64(group)
	}
	return 4 * n
}

// toBF16 rounds float32 values to bfloat16 (to nearest, ties to even).
func toBF16(data []float32, shape ...int) *tensor.Tensor {
	out := make([]uint16, len(data))
	for i, v := range data {
		b := math.Float32bits(v)
		b += 0x7fff + (b>>16)&1
		out[i] = uint16(b >> 16)
	}
	return tensor.FromU16(tensor.BF16, out, shape...)
}

// promptTokens returns n token ids drawn from the vocabulary.
func promptTokens(n, vocab int, seed uint64) []int32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	out := make([]int32, n)
	for i := range out {
		out[i] = int32(rng.IntN(vocab))
	}
	return out
}

// prompt runs llama-bench's pp test: the n tokens in one batch into fresh
// caches, logits for the last position only.
func (b *bench) prompt(tokens []int32) error {
	m := b.model
	caches := m.NewCaches(vlm.GenerateParameters{})
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return err
	}
	out := m.Text.Forward(h, caches)
	n := len(tokens)
	logits := m.Head.Forward(out.Slice(0, n-1, n))
	out.Release()
	logits.Release()
	return nil
}

// generate runs llama-bench's tg test: n single-token steps from an empty
// context, each computing logits and feeding back the arg-max.
func (b *bench) generate(n int, first int32) error {
	m := b.model
	caches := m.NewCaches(vlm.GenerateParameters{})
	tok := first
	for range n {
		logits, err := m.Forward([]int32{tok}, caches)
		if err != nil {
			return err
		}
		tok = int32(tensor.Argmax(logits.Data()))
		logits.Release()
	}
	return nil
}
