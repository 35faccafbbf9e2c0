// Command decoder benchmarks govlm's Qwen2 decoder at Qwen2-0.5B's real
// dimensions (hidden 896, 24 layers, 14 heads, 2 KV heads, intermediate
// 4864, vocab 151936, tied embeddings) on random weights in F32, BF16, Q8
// and Q4, and prints llama-bench's table: prompt processing of a 512-token
// prompt (pp512) and generation of 128 tokens (tg128), tokens per second
// as mean ± standard deviation over the repetitions, after one warm-up run.
//
//	go run ./bench/decoder -threads 2 -reps 3
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/govlm/govlm/internal/parallel"
)

func main() {
	threads := flag.Int("threads", 2, "worker threads of the tensor engine")
	reps := flag.Int("reps", 3, "timed repetitions per test (after one warm-up run)")
	types := flag.String("types", strings.Join(weightTypes, ","), "comma-separated weight types: f32, bf16, q8, q4")
	pp := flag.Int("p", 512, "prompt tokens of the pp test (0: skip)")
	tg := flag.Int("n", 128, "generated tokens of the tg test (0: skip)")
	layers := flag.Int("layers", 0, "decoder layers (0: Qwen2-0.5B's 24; fewer for a quick look)")
	flag.Parse()
	if err := run(*threads, *reps, strings.Split(*types, ","), *pp, *tg, *layers); err != nil {
		fmt.Fprintln(os.Stderr, "decoder:", err)
		os.Exit(1)
	}
}

func run(threads, reps int, types []string, pp, tg, layers int) error {
	parallel.SetWorkers(threads)
	runtime.GOMAXPROCS(max(threads, runtime.GOMAXPROCS(0)))
	cfg := qwen2_0_5B()
	if layers > 0 {
		cfg.NumHiddenLayers = layers
	}
	fmt.Printf("| %-22s | %11s | %8s | %-7s | %7s | %6s | %20s |\n", "model", "size", "params", "backend", "threads", "test", "t/s")
	fmt.Printf("| %s | %s: | %s: | %s | %s: | %s: | %s: |\n", strings.Repeat("-", 22), strings.Repeat("-", 10),
		strings.Repeat("-", 7), strings.Repeat("-", 7), strings.Repeat("-", 6), strings.Repeat("-", 5), strings.Repeat("-", 19))
	for _, wt := range types {
		b, err := newBench(cfg, wt, 1)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("qwen2 %dL %s", cfg.NumHiddenLayers, strings.ToUpper(wt))
		size := fmt.Sprintf("%.2f MiB", float64(b.bytes)/(1<<20))
		params := fmt.Sprintf("%.2f M", float64(b.params)/1e6)
		row := func(test string, n int, fn func() error) error {
			rates, err := measure(reps, n, fn)
			if err != nil {
				return err
			}
			mean, sd := meanStd(rates)
			fmt.Printf("| %-22s | %11s | %8s | %-7s | %7d | %6s | %11.2f ± %6.2f |\n", name, size, params, "CPU", threads, test, mean, sd)
			return nil
		}
		if pp > 0 {
			tokens := promptTokens(pp, cfg.VocabSize, 7)
			if err := row(fmt.Sprintf("pp%d", pp), pp, func() error { return b.prompt(tokens) }); err != nil {
				return err
			}
		}
		if tg > 0 {
			if err := row(fmt.Sprintf("tg%d", tg), tg, func() error { return b.generate(tg, 1) }); err != nil {
				return err
			}
		}
		b = nil
		runtime.GC()
	}
	return nil
}

// measure runs fn once to warm up, then reps times, and returns the
// tokens per second of each timed run.
func measure(reps, tokens int, fn func() error) ([]float64, error) {
	if err := fn(); err != nil {
		return nil, err
	}
	var rates []float64
	for range max(reps, 1) {
		start := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		rates = append(rates, float64(tokens)/time.Since(start).Seconds())
	}
	return rates, nil
}

// meanStd returns the mean and the sample standard deviation.
func meanStd(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, 0
	}
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)-1))
}
