package qwen2vl

import (
	"context"
	"testing"

	"github.com/govlm/govlm/models/internal/benchutil"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// BenchmarkRealSize runs Qwen/Qwen2-VL-2B-Instruct and
// Qwen/Qwen2.5-VL-3B-Instruct at their real sizes (the hub config.json,
// random BF16 weights made in memory) on one image: preprocessing (decode
// excluded: the 512×512 photo smart-resized to 504×504 under the default
// max_pixels, 36×36 patches, 324 image tokens), the vision tower and
// merger, a prefill of the resulting prompt length (324 image tokens + 24
// text tokens) with M-RoPE positions, and 32 decode steps. Run it with
//
//	go test -run '^$' -bench RealSize -benchtime 1x -timeout 30m ./models/qwen2vl/
func BenchmarkRealSize(b *testing.B) {
	if testing.Short() {
		b.Skip("real-size benchmark skipped under -short")
	}
	img := benchutil.Image(reftest.RepoRoot(b))
	for _, tc := range []struct{ name, config string }{
		{"Qwen2-VL-2B", qwen2VL2BConfig},
		{"Qwen2.5-VL-3B", qwen25VL3BConfig},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg, err := ParseConfig([]byte(tc.config))
			if err != nil {
				b.Fatal(err)
			}
			m, err := New(cfg)
			if err != nil {
				b.Fatal(err)
			}
			benchutil.BindRandom(b, m, benchutil.RMSNormOne)
			icfg, err := ParseImageConfig(nil, false)
			if err != nil {
				b.Fatal(err)
			}
			const decodeSteps = 32
			var (
				ph        benchutil.Phases
				promptLen int
				patches   int
			)
			b.ResetTimer()
			for range b.N {
				ph.Start()
				rows, g, err := icfg.PreprocessImage(img, icfg.MinPixels, icfg.MaxPixels)
				if err != nil {
					b.Fatal(err)
				}
				grid := []vlm.THW{{T: g[0], H: g[1], W: g[2]}}
				patches = grid[0].Product()
				px := tensor.FromF32(rows, patches, len(rows)/patches)
				ph.End("preprocess")
				feats, err := m.Features(px, grid)
				if err != nil {
					b.Fatal(err)
				}
				feats.Release()
				ph.End("vision")

				promptLen = patches/cfg.Vision.MergeUnit() + 24
				tokens := make([]int32, promptLen)
				for i := range tokens {
					tokens[i] = int32(100 + i%1000)
				}
				caches := m.NewCaches(vlm.GenerateParameters{})
				res, err := m.Prepare(context.Background(), &vlm.LMInput{Tokens: tokens}, caches, vlm.DefaultPrefillStepSize)
				if err != nil {
					b.Fatal(err)
				}
				next := []int32{int32(tensor.Argmax(res.Logits.Data()))}
				res.Logits.Release()
				ph.End("prefill")
				if _, err := benchutil.Decode(m, next, caches, decodeSteps); err != nil {
					b.Fatal(err)
				}
				ph.End("decode")
			}
			n := float64(b.N)
			b.ReportMetric(float64(patches), "patches")
			b.ReportMetric(ph.Wall("preprocess").Seconds()*1e3/n, "preprocess-ms")
			b.ReportMetric(ph.Wall("vision").Seconds()*1e3/n, "vision-ms")
			b.ReportMetric(float64(promptLen)*n/ph.Wall("prefill").Seconds(), "prompt-tok/s")
			b.ReportMetric(decodeSteps*n/ph.Wall("decode").Seconds(), "gen-tok/s")
			b.ReportMetric(benchutil.PeakRSS()/(1<<20), "peak-RSS-MiB")
			// CPU seconds per phase: on a machine shared with other work
			// the wall times above include waiting for a core; these do not.
			b.ReportMetric(ph.CPU("vision").Seconds()/n, "vision-cpu-s")
			b.ReportMetric(ph.CPU("prefill").Seconds()/n, "prefill-cpu-s")
			b.ReportMetric(ph.CPU("decode").Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
		})
	}
}
