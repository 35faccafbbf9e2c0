package idefics3

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
	if err := nn.Bind(m, benchutil.RandomBF16(m, benchutil.RMSNormOne), ""); err != nil {
		b.Fatal(err)
	}
	icfg := DefaultImageConfig()
	icfg.Size.LongestEdge, icfg.MaxImageSize.LongestEdge = 2048, 512
	img := benchutil.Image(reftest.RepoRoot(b))
	const decodeSteps = 64
	var pre, vis, prefill, decode time.Duration
	var cpuVis, cpuPrefill, cpuDecode time.Duration
	var promptLen int
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		tiles, err := icfg.Preprocess(img)
		if err != nil {
			b.Fatal(err)
		}
		var pixels []float32
		for _, t := range tiles.Images {
			pixels = append(pixels, icfg.Pixels(t)...)
		}
		px := tensor.FromF32(pixels, len(tiles.Images), 3, 512, 512)
		t1, c1 := time.Now(), benchutil.CPUTime()
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		t2, c2 := time.Now(), benchutil.CPUTime()

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
		cpuVis += c2 - c1
		cpuPrefill += c3 - c2
		cpuDecode += c4 - c3
		pre += t1.Sub(t0)
		vis += t2.Sub(t1)
		prefill += t3.Sub(t2)
		decode += t4.Sub(t3)
	}
	n := float64(b.N)
	b.ReportMetric(pre.Seconds()*1e3/n, "preprocess-ms")
	b.ReportMetric(vis.Seconds()*1e3/n, "vision-ms")
	b.ReportMetric(float64(promptLen)*n/prefill.Seconds(), "prompt-tok/s")
	b.ReportMetric(decodeSteps*n/decode.Seconds(), "gen-tok/s")
	b.ReportMetric(benchutil.PeakRSS()/(1<<20), "peak-RSS-MiB")
	// CPU seconds per phase: on a machine shared with other work the wall
	// times above include waiting for a core; these do not.
	b.ReportMetric(cpuVis.Seconds()/n, "vision-cpu-s")
	b.ReportMetric(cpuPrefill.Seconds()/n, "prefill-cpu-s")
	b.ReportMetric(cpuDecode.Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
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
	if err := nn.Bind(m, benchutil.RandomBF16(m, benchutil.RMSNormOne), ""); err != nil {
		b.Fatal(err)
	}
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
