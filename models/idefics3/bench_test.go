package idefics3

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// BenchmarkSmolVLM256M runs HuggingFaceTB/SmolVLM-256M-Instruct at its real
// size (config.json of the hub checkpoint, random BF16 weights made in
// memory) on one image: preprocessing (decode excluded: tiling to 4×4 tiles
// of 512 plus the global image), the vision tower and connector over the 17
// tiles, a text prefill of the resulting prompt length (17·64 image tokens
// + 24 text tokens) and 64 decode steps. Run it with
//
//	go test -run '^$' -bench SmolVLM256M -benchtime 1x ./models/idefics3/
func BenchmarkSmolVLM256M(b *testing.B) {
	if testing.Short() {
		b.Skip("real-size benchmark skipped under -short")
	}
	cfg, err := ParseConfig([]byte(smolVLM256M))
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	benchutil.BindRandom(b, m, benchutil.RMSNormOne)
	icfg := DefaultImageConfig()
	icfg.Size.LongestEdge, icfg.MaxImageSize.LongestEdge = 2048, 512
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 64
	var ph benchutil.Phases
	var promptLen int
	b.ResetTimer()
	for range b.N {
		ph.Start()
		tiles, err := icfg.Preprocess(img)
		if err != nil {
			b.Fatal(err)
		}
		var pixels []float32
		for _, t := range tiles.Images {
			pixels = append(pixels, icfg.Pixels(t)...)
		}
		px := tensor.FromF32(pixels, len(tiles.Images), 3, 512, 512)
		ph.End("preprocess")
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		ph.End("vision")

		promptLen = len(tiles.Images)*cfg.TokensPerTile() + 24
		tokens := make([]int32, promptLen)
		for i := range tokens {
			tokens[i] = int32(100 + i%1000)
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
	b.ReportMetric(ph.Wall("vision").Seconds()*1e3/n, "vision-ms")
	b.ReportMetric(float64(promptLen)*n/ph.Wall("prefill").Seconds(), "prompt-tok/s")
	b.ReportMetric(decodeSteps*n/ph.Wall("decode").Seconds(), "gen-tok/s")
	b.ReportMetric(benchutil.PeakRSS()/(1<<20), "peak-RSS-MiB")
	// CPU seconds per phase: on a machine shared with other work the wall
	// times above include waiting for a core; these do not.
	b.ReportMetric(ph.CPU("vision").Seconds()/n, "vision-cpu-s")
	b.ReportMetric(ph.CPU("prefill").Seconds()/n, "prefill-cpu-s")
	b.ReportMetric(ph.CPU("decode").Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
}

// BenchmarkSmolVLM256MVisionTile runs the real-size tower and connector
// over one 512×512 tile (random BF16 weights).
func BenchmarkSmolVLM256MVisionTile(b *testing.B) {
	if testing.Short() {
		b.Skip("real-size benchmark skipped under -short")
	}
	cfg, err := ParseConfig([]byte(smolVLM256M))
	if err != nil {
		b.Fatal(err)
	}
	m, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	benchutil.BindRandom(b, m, benchutil.RMSNormOne)
	px := tensor.New(1, 3, 512, 512)
	b.ResetTimer()
	for range b.N {
		f, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		f.Release()
	}
}
