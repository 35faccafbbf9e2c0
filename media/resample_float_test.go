package media

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/internal/parallel"
)

// TestResizeCHWMatchesTorch compares ResizeCHW with torch's
// F.interpolate(antialias=True) (bilinear, bicubic) and legacy nearest on
// float32 inputs, from tools/refgen/pil/make_goldens.py.
func TestResizeCHWMatchesTorch(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "torch_goldens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Float []struct {
			File   string `json:"file"`
			Filter Filter `json:"filter"`
			W, H   int
			CHW    string `json:"chw"`
		} `json:"float_resize"`
	}
	if err := jsonUnmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Float) == 0 {
		t.Fatal("no float goldens")
	}
	for _, r := range g.Float {
		t.Run(fmt.Sprintf("%s/%s/%dx%d", r.File, r.Filter, r.W, r.H), func(t *testing.T) {
			src, err := DecodeFile(filepath.Join("testdata", r.File), DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			in := ToCHW(src, 1, [3]float32{}, [3]float32{1, 1, 1})
			for i := range in {
				in[i] /= 255 // as the generator: uint8 / float32(255)
			}
			got, err := ResizeCHW(in, 3, src.H, src.W, r.H, r.W, r.Filter)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := base64.StdEncoding.DecodeString(r.CHW)
			if err != nil || len(raw) != 4*len(got) {
				t.Fatalf("bad golden: %v, %d bytes for %d values", err, len(raw), len(got))
			}
			maxDiff := 0.0
			for i := range got {
				want := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
				maxDiff = math.Max(maxDiff, math.Abs(float64(got[i]-want)))
			}
			if maxDiff > 2e-6 {
				t.Errorf("max |diff| %.3g > 2e-6", maxDiff)
			}
		})
	}
}

// TestResizeWorkersDeterministic checks that the uint8 and float resizes,
// and the conversions, give identical bytes for 1, 2 and 7 workers.
func TestResizeWorkersDeterministic(t *testing.T) {
	src := gradientImage(301, 177)
	defer parallel.SetWorkers(parallel.SetWorkers(1))
	var ref []uint8
	var refF []float32
	for _, n := range []int{1, 2, 7} {
		parallel.SetWorkers(n)
		a, err := Resize(src, 150, 223, Lanczos)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Resize(a, 77, 40, Bicubic)
		if err != nil {
			t.Fatal(err)
		}
		chw := ToCHW(b, Rescale255, CLIPMean, CLIPStd)
		f, err := ResizeCHW(chw, 3, b.H, b.W, 19, 31, Bilinear)
		if err != nil {
			t.Fatal(err)
		}
		if ref == nil {
			ref, refF = b.Pix, f
			continue
		}
		for i := range ref {
			if ref[i] != b.Pix[i] {
				t.Fatalf("%d workers: byte %d differs", n, i)
			}
		}
		for i := range refF {
			if refF[i] != f[i] {
				t.Fatalf("%d workers: float %d differs", n, i)
			}
		}
	}
}

func TestResizeErrors(t *testing.T) {
	m := gradientImage(4, 4)
	cases := []struct {
		w, h int
		f    Filter
	}{{0, 4, Bicubic}, {4, -1, Bicubic}, {4, 4, Filter(9)}}
	for _, c := range cases {
		if _, err := Resize(m, c.w, c.h, c.f); err == nil {
			t.Errorf("Resize(%d, %d, %v): want error", c.w, c.h, c.f)
		}
	}
	if _, err := Resize(&Image{}, 4, 4, Bicubic); err == nil {
		t.Error("Resize of empty image: want error")
	}
	if _, err := ResizeCHW(make([]float32, 5), 3, 1, 2, 2, 2, Bilinear); err == nil {
		t.Error("ResizeCHW with wrong length: want error")
	}
	same, err := Resize(m, 4, 4, Bicubic)
	if err != nil || &same.Pix[0] == &m.Pix[0] {
		t.Errorf("same-size resize should return a copy (err %v)", err)
	}
}
