package paligemma

import (
	"context"
	"testing"
	"time"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// BenchmarkPaliGemma3B runs google/paligemma-3b-mix-224 at its real size
// (its config.json, random BF16 weights made in memory, about 5.9 GB) on
// one image: preprocessing (decode excluded: bicubic resize to 224 and
// normalisation), the SigLIP tower over 256 patches and the projector, the
// one-pass prefill of the prompt (256 image tokens, bos, 8 text tokens,
// bidirectional) and 32 decode steps. Run it with
//
//	go test -run '^$' -bench PaliGemma3B -benchtime 1x ./models/paligemma/
func BenchmarkPaliGemma3B(b *testing.B) {
	if testing.Short() {
		b.Skip("real-size benchmark skipped under -short")
	}
	cfg, err := ParseConfig([]byte(paligemmaMix224))
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
	icfg := siglipImageConfig(cfg)
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 32
	promptLen := cfg.ImageSeqLen() + 9
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
		next := []int32{int32(tensor.Argmax(res.Logits.Data()))}
		res.Logits.Release()
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

// siglipImageConfig is the processor's image configuration for cfg.
func siglipImageConfig(cfg *Config) siglip.ImageConfig {
	return siglip.DefaultImageConfig(cfg.Vision.ImageSize, media.Bicubic)
}
