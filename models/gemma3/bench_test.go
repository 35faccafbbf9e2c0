package gemma3

import (
	"bufio"
	"context"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// randomBF16 fills every parameter of m with random BF16 values (linear,
// embedding and conv weights uniform with std ≈ 0.02, norm weights 0 — a
// (1 + w) scale of 1 —, LayerNorm weights 1, biases 0), the shapes taken
// from the modules' ParamSpecs. One-dimensional tensors are stored F32.
func randomBF16(tb testing.TB, m any) map[string]*tensor.Tensor {
	tb.Helper()
	w := map[string]*tensor.Tensor{}
	state := uint64(0x9e3779b97f4a7c15)
	const amp = 0.02 * 1.7320508 // uniform [-a, a] has std a/√3
	nn.Walk(m, func(path string, mod any) {
		spec, ok := mod.(nn.Specifier)
		if !ok {
			return
		}
		_, isRMS := mod.(*nn.RMSNorm)
		_, isLN := mod.(*nn.LayerNorm)
		for _, field := range []string{"weight", "bias"} {
			ps := spec.ParamSpec(field)
			if ps.Presence != nn.Required || len(ps.Shape) == 0 {
				continue
			}
			n := 1
			for _, d := range ps.Shape {
				n *= d
			}
			data := make([]uint16, n)
			switch {
			case field == "bias" || isRMS:
				// zeros
			case isLN:
				for i := range data {
					data[i] = 0x3f80 // 1.0
				}
			default:
				for i := range data {
					state ^= state << 13
					state ^= state >> 7
					state ^= state << 17
					u := float32(state>>40)/float32(1<<24)*2 - 1
					data[i] = uint16(math.Float32bits(u*amp) >> 16)
				}
			}
			name := field
			if path != "" {
				name = path + "." + field
			}
			t := tensor.FromU16(tensor.BF16, data, ps.Shape...)
			if len(ps.Shape) == 1 {
				t = t.ToF32()
			}
			w[name] = t
		}
	})
	return w
}

// benchImage is the shared 512×512 astronaut photo when the shared test
// data is there, else a synthetic 640×480 gradient.
func benchImage(tb testing.TB) *media.Image {
	path := filepath.Join(reftest.RepoRoot(tb), "..", "shared", "testdata", "images", "astronaut.png")
	if img, err := media.DecodeFile(path, media.DecodeOptions{}); err == nil {
		return img
	}
	img := media.NewImage(640, 480)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	return img
}

// peakRSS returns the process's peak resident set (VmHWM) in bytes, 0
// where /proc is not available.
func peakRSS() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}

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
	if err := nn.Bind(m, randomBF16(b, m), ""); err != nil {
		b.Fatal(err)
	}
	if bits > 0 {
		if err := vlm.QuantizeModel(m, bits, 64); err != nil {
			b.Fatal(err)
		}
	}
	icfg := DefaultImageConfig(cfg.Vision.ImageSize)
	img := benchImage(b)
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
		t1, c1 := time.Now(), cpuTime()
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		t2, c2 := time.Now(), cpuTime()
		tokens := make([]int32, promptLen)
		for i := range tokens {
			tokens[i] = int32(1000 + i%5000)
		}
		caches := m.NewCaches(vlm.GenerateParameters{})
		res, err := m.Prepare(context.Background(), &vlm.LMInput{Tokens: tokens}, caches, vlm.DefaultPrefillStepSize)
		if err != nil {
			b.Fatal(err)
		}
		t3, c3 := time.Now(), cpuTime()
		next := res.Tokens
		for range decodeSteps {
			logits, err := m.Forward(next, caches)
			if err != nil {
				b.Fatal(err)
			}
			next = []int32{int32(tensor.Argmax(logits.Data()))}
			logits.Release()
		}
		t4, c4 := time.Now(), cpuTime()
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
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(cpuVis.Seconds()/n, "vision-cpu-s")
	b.ReportMetric(cpuPrefill.Seconds()/n, "prefill-cpu-s")
	b.ReportMetric(cpuDecode.Seconds()*1e3/(decodeSteps*n), "decode-cpu-ms/tok")
}
