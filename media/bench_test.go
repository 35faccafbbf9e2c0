package media

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Benchmarks for bench/RESULTS.md; bench/media/pil_bench.py times the same
// operations with PIL + numpy. Run with -cpu 1,2 to see the parallel split.
// Besides wall time each benchmark reports cpu-ms/op, the process CPU time
// per operation, which stays meaningful on a machine shared with other work.

// reportCPU measures process CPU time around the benchmark loop.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if d := processCPU() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
		}
	}
}

func benchJPEG(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(testImagePath(b, "coffee_large_3000x2000.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecodeJPEG3000x2000(b *testing.B) {
	data := benchJPEG(b)
	b.SetBytes(3000 * 2000 * 3)
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := DecodeBytes(data, "coffee", DecodeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchResize(b *testing.B, w, h int, f Filter) {
	src, err := DecodeBytes(benchJPEG(b), "coffee", DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := Resize(src, w, h, f); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResizeBicubic3000x2000To448(b *testing.B)  { benchResize(b, 448, 448, Bicubic) }
func BenchmarkResizeBicubic3000x2000To1456(b *testing.B) { benchResize(b, 1456, 970, Bicubic) }
func BenchmarkResizeBilinear3000x2000To448(b *testing.B) { benchResize(b, 448, 448, Bilinear) }
func BenchmarkResizeLanczos3000x2000To1456(b *testing.B) { benchResize(b, 1456, 970, Lanczos) }

func benchPipeline(b *testing.B, size func(Size) Size) {
	data := benchJPEG(b)
	defer reportCPU(b)()
	for b.Loop() {
		m, err := DecodeBytes(data, "coffee", DecodeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		s := size(m.Size())
		if m, err = Resize(m, s.W, s.H, Bicubic); err != nil {
			b.Fatal(err)
		}
		_ = ToCHW(m, Rescale255, CLIPMean, CLIPStd)
	}
}

// BenchmarkPipelineTo448 is decode + bicubic resize to 448×448 + rescale and
// normalise to planar float32.
func BenchmarkPipelineTo448(b *testing.B) {
	benchPipeline(b, func(Size) Size { return Size{448, 448} })
}

// BenchmarkPipelineTo1456 is the same with the longest edge fitted to 1456.
func BenchmarkPipelineTo1456(b *testing.B) {
	benchPipeline(b, func(s Size) Size { return FitInLongestEdge(s, 1456) })
}

// BenchmarkVideo16Frames2fps samples 16 frames from an 8 s 640×480 25 fps
// MPEG-4 clip at 2 fps (probe + one ffmpeg decode), resized to 448×448.
func BenchmarkVideo16Frames2fps(b *testing.B) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		b.Skip("ffmpeg not installed")
	}
	path := filepath.Join(b.TempDir(), "bench.mp4")
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
		"testsrc=size=640x480:rate=25:duration=8", "-c:v", "mpeg4", "-q:v", "3", path).CombinedOutput()
	if err != nil {
		b.Fatalf("%v: %s", err, out)
	}
	opt := VideoOptions{SamplesPerSecond: 2, Process: func(m *Image) (*Image, error) { return Resize(m, 448, 448, Bicubic) }}
	defer reportCPU(b)()
	for b.Loop() {
		pf, err := LoadVideo(context.Background(), path, opt)
		if err != nil {
			b.Fatal(err)
		}
		if len(pf.Frames) != 16 {
			b.Fatalf("%d frames", len(pf.Frames))
		}
	}
}
