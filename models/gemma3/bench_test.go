package gemma3

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
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
	benchutil.BindRandom(b, m, benchutil.RMSNormZero)
	if bits > 0 {
		if err := vlm.QuantizeModel(m, bits, 64); err != nil {
			b.Fatal(err)
		}
	}
	icfg := DefaultImageConfig(cfg.Vision.ImageSize)
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 32
	promptLen := cfg.MMTokensPerImage + 24
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
		if _, err := benchutil.Decode(m, res.Tokens, caches, decodeSteps); err != nil {
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
