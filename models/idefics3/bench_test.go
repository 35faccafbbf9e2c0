package idefics3

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

// randomBF16 fills every parameter of m with random BF16 values: linear,
// embedding and conv weights uniform with std ≈ 0.02, norm weights 1 and
// biases 0, the shapes taken from the modules' ParamSpecs.
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
		_, isNorm := mod.(*nn.RMSNorm)
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
			case field == "bias":
				// zeros
			case isNorm || isLN:
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
	if err := nn.Bind(m, randomBF16(b, m), ""); err != nil {
		b.Fatal(err)
	}
	icfg := DefaultImageConfig()
	icfg.Size.LongestEdge, icfg.MaxImageSize.LongestEdge = 2048, 512
	img := benchImage(b)
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
		t1, c1 := time.Now(), cpuTime()
		feats, err := m.ImageFeatures(px)
		if err != nil {
			b.Fatal(err)
		}
		feats.Release()
		t2, c2 := time.Now(), cpuTime()

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
	b.ReportMetric(peakRSS()/(1<<20), "peak-RSS-MiB")
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
	if err := nn.Bind(m, randomBF16(b, m), ""); err != nil {
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
