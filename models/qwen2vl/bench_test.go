package qwen2vl

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
	"github.com/govlm/govlm/vlm"
)

// BenchmarkRealSize runs Qwen2-VL-2B-Instruct and Qwen2.5-VL-3B-Instruct
// at their real dimensions with random BF16 weights (drawn in memory) on
// one photo: preprocessing, the vision encoder, prompt processing and
// generation, plus the memory the Go runtime holds (MemStats.Sys). The
// photo is ../shared/testdata/images/coffee_large_3000x2000.jpg, resized to at most
// 448×448 pixels (max_pixels 200704: 38×26 patches, 247 image tokens).
// Skipped under -short and without the shared test data; run it with
//
//	go test -run '^$' -bench RealSize -benchtime 1x -timeout 30m ./models/qwen2vl
func BenchmarkRealSize(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 2–4 B-parameter model")
	}
	root := reftest.RepoRoot(b)
	photo := filepath.Join(root, "..", "shared", "testdata", "images", "coffee_large_3000x2000.jpg")
	if _, err := os.Stat(photo); err != nil {
		b.Skipf("shared test image not present: %v", err)
	}
	tok, err := tokenizer.Load(filepath.Join(root, "testdata", "models", "qwen2_vl"))
	if err != nil {
		b.Skipf("fixture tokenizer not present: %v", err)
	}
	for _, tc := range []struct{ name, config string }{
		{"Qwen2-VL-2B", qwen2VL2BConfig},
		{"Qwen2.5-VL-3B", qwen25VL3BConfig},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c, err := ParseConfig([]byte(tc.config))
			if err != nil {
				b.Fatal(err)
			}
			m, err := New(c)
			if err != nil {
				b.Fatal(err)
			}
			if err := nn.Bind(m, randomWeights(m), ""); err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			// The fixture's tokenizer stands in for Qwen's: the prompt is
			// its template with the real image-token count, re-mapped to
			// the real ids below.
			img, _ := ParseImageConfig(nil, false)
			p := &Processor{Tokenizer: tok, Image: img, Video: img, Config: c, ImagePad: "<|image_pad|>", VideoPad: "<|video_pad|>"}
			fixtureCfg := *c
			fixtureCfg.ImageTokenID, _ = tok.TokenID("<|image_pad|>")
			p.Config = &fixtureCfg
			in := vlm.UserInput{
				Prompt:     "Describe this image.",
				Images:     []vlm.ImageSource{{Path: photo}},
				Processing: vlm.Processing{MaxPixels: 448 * 448},
			}
			for b.Loop() {
				t0 := time.Now()
				lm, err := p.Prepare(context.Background(), in)
				if err != nil {
					b.Fatal(err)
				}
				tPre := time.Since(t0)
				for i, id := range lm.Tokens {
					if id == fixtureCfg.ImageTokenID {
						lm.Tokens[i] = c.ImageTokenID
					}
				}
				t0 = time.Now()
				f, err := m.Features(lm.Image.Pixels, lm.Image.Grids)
				if err != nil {
					b.Fatal(err)
				}
				f.Release()
				tVis := time.Since(t0)
				n := len(lm.Tokens)
				t0 = time.Now()
				caches := m.NewCaches(vlm.GenerateParameters{})
				pos, delta, err := m.positions(lm)
				if err != nil {
					b.Fatal(err)
				}
				h, err := m.Text.Embeddings(lm.Tokens)
				if err != nil {
					b.Fatal(err)
				}
				cos, sin, _ := m.tables(pos)
				out := m.Text.ForwardWithTables(h, cos, sin, caches)
				logits := m.Head.Forward(out.Slice(0, n-1, n))
				out.Release()
				cos.Release()
				sin.Release()
				tPrompt := time.Since(t0)
				m.ropeDelta = delta
				const gen = 16
				next := int32(tensor.Argmax(logits.Data()))
				logits.Release()
				t0 = time.Now()
				if _, err := benchutil.Decode(m, []int32{next}, caches, gen); err != nil {
					b.Fatal(err)
				}
				tGen := time.Since(t0)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(tPre.Milliseconds()), "preprocess-ms")
				b.ReportMetric(float64(tVis.Milliseconds()), "vision-ms")
				b.ReportMetric(float64(lm.Image.Pixels.Dim(0)), "patches")
				b.ReportMetric(float64(n)/tPrompt.Seconds(), "prompt-tok/s")
				b.ReportMetric(float64(n), "prompt-tokens")
				b.ReportMetric(gen/tGen.Seconds(), "gen-tok/s")
				b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
				lm.Release()
			}
		})
	}
}

// randomWeights returns BF16 matrices for every parameter of m from a
// cheap xorshift generator, magnitudes in [2^-5, 2^-3) with a random sign
// (norm weights 1, biases 0.01, in F32): the benchmark measures speed, not
// output. It is not benchutil.RandomBF16, whose matrices are uniform in
// ±0.0346 and whose biases are 0; the numbers in bench/RESULTS.md were
// measured with these weights.
func randomWeights(m *Model) map[string]*tensor.Tensor {
	w := map[string]*tensor.Tensor{}
	state := uint64(0x9E3779B97F4A7C15)
	fill := func(shape []int, one bool) *tensor.Tensor {
		n := 1
		for _, d := range shape {
			n *= d
		}
		if len(shape) == 1 {
			// Norm weights and biases are F32, as the loader makes them.
			f := make([]float32, n)
			for i := range f {
				f[i] = 1
				if !one {
					f[i] = 0.01
				}
			}
			return tensor.FromF32(f, shape...)
		}
		data := make([]uint16, n)
		for i := range data {
			state ^= state << 13
			state ^= state >> 7
			state ^= state << 17
			// Random sign, exponent 2^-5 or 2^-4, random mantissa.
			e := uint16(0x3d00) + uint16(state>>62&1)<<7
			data[i] = uint16(state>>63)<<15 | e | uint16(state>>8)&0x7f
		}
		return tensor.FromU16(tensor.BF16, data, shape...)
	}
	c := m.cfg
	t, v := c.Text, c.Vision
	kv := t.NumKeyValueHeads * t.HeadDim
	w["model.embed_tokens.weight"] = fill([]int{t.VocabSize, t.HiddenSize}, false)
	w["model.norm.weight"] = fill([]int{t.HiddenSize}, true)
	for i := range t.NumHiddenLayers {
		p := "model.layers." + strconv.Itoa(i) + "."
		for name, shape := range map[string][]int{
			"self_attn.q_proj.weight": {t.NumAttentionHeads * t.HeadDim, t.HiddenSize}, "self_attn.q_proj.bias": {t.NumAttentionHeads * t.HeadDim},
			"self_attn.k_proj.weight": {kv, t.HiddenSize}, "self_attn.k_proj.bias": {kv},
			"self_attn.v_proj.weight": {kv, t.HiddenSize}, "self_attn.v_proj.bias": {kv},
			"self_attn.o_proj.weight": {t.HiddenSize, t.NumAttentionHeads * t.HeadDim},
			"mlp.gate_proj.weight":    {t.IntermediateSize, t.HiddenSize}, "mlp.up_proj.weight": {t.IntermediateSize, t.HiddenSize},
			"mlp.down_proj.weight": {t.HiddenSize, t.IntermediateSize},
		} {
			w[p+name] = fill(shape, false)
		}
		w[p+"input_layernorm.weight"] = fill([]int{t.HiddenSize}, true)
		w[p+"post_attention_layernorm.weight"] = fill([]int{t.HiddenSize}, true)
	}
	norm := func(name string, dim int) {
		w[name+".weight"] = fill([]int{dim}, true)
		if !v.Gated {
			w[name+".bias"] = fill([]int{dim}, false)
		}
	}
	linear := func(name string, in, out int) {
		w[name+".weight"] = fill([]int{out, in}, false)
		w[name+".bias"] = fill([]int{out}, false)
	}
	w["visual.patch_embed.proj.weight"] = fill([]int{v.Width, v.InChannels, v.TemporalPatchSize, v.PatchSize, v.PatchSize}, false)
	for i := range v.Depth {
		p := "visual.blocks." + strconv.Itoa(i) + "."
		norm(p+"norm1", v.Width)
		norm(p+"norm2", v.Width)
		linear(p+"attn.qkv", v.Width, 3*v.Width)
		linear(p+"attn.proj", v.Width, v.Width)
		if v.Gated {
			linear(p+"mlp.gate_proj", v.Width, v.MLPHidden)
			linear(p+"mlp.up_proj", v.Width, v.MLPHidden)
			linear(p+"mlp.down_proj", v.MLPHidden, v.Width)
		} else {
			linear(p+"mlp.fc1", v.Width, v.MLPHidden)
			linear(p+"mlp.fc2", v.MLPHidden, v.Width)
		}
	}
	norm("visual.merger.ln_q", v.Width)
	u := v.Width * v.MergeUnit()
	linear("visual.merger.mlp.0", u, u)
	linear("visual.merger.mlp.2", u, v.Out)
	return w
}
