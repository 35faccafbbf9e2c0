package gemma3

import (
	"context"
	"testing"
	"time"

	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// BenchmarkGemma3_4B runs google/gemma-3-4b-it at its real size (its
// config.json, random BF16 weights made in memory, about 8.6 GB) on one
// image: preprocessing (decode excluded: bilinear resize to 896 and
// normalisation), the SigLIP tower over 4096 patches and the projector,
// a prefill of the prompt length an image request has (256 soft tokens +
// 24 text tokens) and 32 decode steps. Run it with
//
//	go test -run '^$' -bench 'Gemma3_4B$' -benchtime 1x ./models/gemma3/
func BenchmarkGemma3_4B(b *testing.B) { benchGemma3(b, 0) }

// BenchmarkGemma3_4BQ4 is BenchmarkGemma3_4B with the Linear and Embedding
// weights converted to 4-bit affine (group 64) after binding, the format
// of mlx-community/gemma-3-4b-it-4bit.
func BenchmarkGemma3_4BQ4(b *testing.B) { benchGemma3(b, 4) }

func benchGemma3(b *testing.B, bits int) {
	if testing.Short() {
		b.Skip("real-size benchmark skipped under -short")
	}
	cfg, err := ParseConfig([]byte(gemma3_4bConfig))
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := nn.Bind(m, benchutil.RandomBF16(m, benchutil.RMSNormZero), ""); err != nil {
		b.Fatal(err)
	}
	if bits > 0 {
		if err := vlm.QuantizeModel(m, bits, 64); err != nil {
			b.Fatal(err)
		}
	}
	icfg := DefaultImageConfig(cfg.Vision.ImageSize)
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 32
	promptLen := cfg.MMTokensPerImage + 24
	var pre, vis, prefill, decode, cpuVis, cpuPrefill, cpuDecode time.Duration
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		pixels, err := icfg.Pixels(img)
		if err != nil {
			b.Fatal(err)
		}
		px := tensor.FromF32(pixels, 1, 3, cfg.Vision.ImageSize, cfg.Vision.ImageSize)
		t1, c1 := time.Now(), benchutil.CPUTime()
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		t2, c2 := time.Now(), benchutil.CPUTime()
		tokens := make([]int32, promptLen)
		for i := range tokens {
			tokens[i] = int32(1000 + i%5000)
		}
		caches := m.NewCaches(vlm.GenerateParameters{})
		res, err := m.Prepare(context.Background(), &vlm.LMInput{Tokens: tokens}, caches, vlm.DefaultPrefillStepSize)
		if err != nil {
			b.Fatal(err)
		}
		t3, c3 := time.Now(), benchutil.CPUTime()
		next := res.Tokens
		for range decodeSteps {
			logits, err := m.Forward(next, caches)
			if err != nil {
				b.Fatal(err)
			}
			next = []int32{int32(tensor.Argmax(logits.Data()))}
			logits.Release()
		}
		t4, c4 := time.Now(), benchutil.CPUTime()
		pre += t1.Sub(t0)
		vis += t2.Sub(t1)
		prefill += t3.Sub(t2)
		decode += t4.Sub(t3)
		cpuVis += c2 - c1
		cpuPrefill += c3 - c2
		cpuDecode += c4 - c3
	}
	n := float64(b.N)
	b.ReportMetric(pre.Seconds()*1e3/n, "preprocess-ms")
	b.ReportMetric(vis.Seconds()/n, "vision-s")
	b.ReportMetric(float64(promptLen)*n/prefill.Seconds(), "prompt-tok/s")
	b.ReportMetric(decodeSteps*n/decode.Seconds(), "gen-tok/s")
	b.ReportMetric(benchutil.PeakRSS()/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(cpuVis.Seconds()/n, "vision-cpu-s")
	b.ReportMetric(cpuPrefill.Seconds()/n, "prefill-cpu-s")
	b.ReportMetric(cpuDecode.Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
}
