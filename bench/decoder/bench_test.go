package main

import (
	"testing"
	"time"
)

// BenchmarkDecoder runs pp512 and tg128 of the Qwen2-0.5B-sized decoder
// for every weight type, reporting tokens/s (thread count: -cpu, via
// GOMAXPROCS and the tensor engine's default workers). It builds a 0.5B
// parameter model per type (2 GB in F32), so it is skipped under -short:
//
//	go test -run '^$' -bench Decoder -benchtime 2x -cpu 2 ./bench/decoder
func BenchmarkDecoder(b *testing.B) {
	if testing.Short() {
		b.Skip("builds a 0.5B-parameter model per weight type")
	}
	cfg := qwen2_0_5B()
	for _, wt := range weightTypes {
		b.Run(wt, func(b *testing.B) {
			m, err := newBench(cfg, wt, 1)
			if err != nil {
				b.Fatal(err)
			}
			tokens := promptTokens(512, cfg.VocabSize, 7)
			b.Run("pp512", func(b *testing.B) {
				runTokens(b, 512, func() error { return m.prompt(tokens) })
			})
			b.Run("tg128", func(b *testing.B) {
				runTokens(b, 128, func() error { return m.generate(128, 1) })
			})
		})
	}
}

func runTokens(b *testing.B, n int, fn func() error) {
	b.ReportAllocs()
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(n*b.N)/total.Seconds(), "tok/s")
}

// TestSmallDecoderRuns checks the benchmark path on a 1-layer model with
// a short prompt: every weight type builds, and pp and tg run.
func TestSmallDecoderRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds four 20M-parameter models")
	}
	cfg := qwen2_0_5B()
	cfg.NumHiddenLayers = 1
	cfg.VocabSize = 4096
	for _, wt := range weightTypes {
		m, err := newBench(cfg, wt, 1)
		if err != nil {
			t.Fatalf("%s: %v", wt, err)
		}
		if err := m.prompt(promptTokens(16, cfg.VocabSize, 1)); err != nil {
			t.Fatalf("%s pp: %v", wt, err)
		}
		if err := m.generate(2, 1); err != nil {
			t.Fatalf("%s tg: %v", wt, err)
		}
		if m.params != 4096*896+1*(2*896+896*896*2+2*128*896+896+2*128+3*896*4864)+896 {
			t.Errorf("%s: %d parameters", wt, m.params)
		}
	}
}
