package paligemma

import (
	"context"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/models/siglip"
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
	benchutil.BindRandom(b, m, benchutil.RMSNormZero)
	icfg := siglipImageConfig(cfg)
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 32
	promptLen := cfg.ImageSeqLen() + 9
	var ph benchutil.Phases
	b.ResetTimer()
	for range b.N {
		ph.Start()
		pixels, err := icfg.Pixels(img)
		if err != nil {
			b.Fatal(err)
		}
		px := tensor.FromF32(pixels, 1, 3, cfg.Vision.ImageSize, cfg.Vision.ImageSize)
		ph.End("preprocess")
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		ph.End("vision")
		tokens := make([]int32, promptLen)
		for i := range tokens {
			tokens[i] = int32(1000 + i%5000)
		}
		caches := m.NewCaches(vlm.GenerateParameters{})
		res, err := m.Prepare(context.Background(), &vlm.LMInput{Tokens: tokens}, caches, vlm.DefaultPrefillStepSize)
		if err != nil {
			b.Fatal(err)
		}
		ph.End("prefill")
		next := []int32{int32(tensor.Argmax(res.Logits.Data()))}
		res.Logits.Release()
		if _, err := benchutil.Decode(m, next, caches, decodeSteps); err != nil {
			b.Fatal(err)
		}
		ph.End("decode")
	}
	n := float64(b.N)
	b.ReportMetric(ph.Wall("preprocess").Seconds()*1e3/n, "preprocess-ms")
	b.ReportMetric(ph.Wall("vision").Seconds()/n, "vision-s")
	b.ReportMetric(float64(promptLen)*n/ph.Wall("prefill").Seconds(), "prompt-tok/s")
	b.ReportMetric(decodeSteps*n/ph.Wall("decode").Seconds(), "gen-tok/s")
	b.ReportMetric(benchutil.PeakRSS()/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(ph.CPU("vision").Seconds()/n, "vision-cpu-s")
	b.ReportMetric(ph.CPU("prefill").Seconds()/n, "prefill-cpu-s")
	b.ReportMetric(ph.CPU("decode").Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
}

// siglipImageConfig is the processor's image configuration for cfg.
func siglipImageConfig(cfg *Config) siglip.ImageConfig {
	return siglip.DefaultImageConfig(cfg.Vision.ImageSize, media.Bicubic)
}
