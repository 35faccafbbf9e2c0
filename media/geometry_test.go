package media

import (
	"errors"
	"math"
	"testing"
)

func TestBestFit(t *testing.T) {
	tests := []struct {
		size, in Size
		scale    float64
		want     Size
	}{
		{Size{1000, 500}, Size{448, 448}, 0.448, Size{448, 224}},
		{Size{500, 1000}, Size{448, 448}, 0.448, Size{224, 448}},
		{Size{100, 50}, Size{400, 400}, 4, Size{400, 200}},
		{Size{3, 7}, Size{10, 10}, 10.0 / 7, Size{4, 10}},
		{Size{4000, 1}, Size{10, 10}, 10.0 / 4000, Size{10, 1}},
	}
	for _, tt := range tests {
		if got := BestFitScale(tt.size, tt.in); math.Abs(got-tt.scale) > 1e-12 {
			t.Errorf("BestFitScale(%v, %v) = %v, want %v", tt.size, tt.in, got, tt.scale)
		}
		if got := BestFit(tt.size, tt.in); got != tt.want {
			t.Errorf("BestFit(%v, %v) = %v, want %v", tt.size, tt.in, got, tt.want)
		}
	}
}

func TestAspectRatioForResample(t *testing.T) {
	if got := AspectRatioForResample(Size{200, 100}, Size{100, 100}); got != 0.5 {
		t.Errorf("got %v, want 0.5", got)
	}
	if got := AspectRatioForResample(Size{100, 100}, Size{300, 100}); got != 3 {
		t.Errorf("got %v, want 3", got)
	}
}

func TestFitIn(t *testing.T) {
	tests := []struct {
		size           Size
		edge           int
		short, longest Size
	}{
		{Size{640, 480}, 224, Size{298, 224}, Size{224, 168}},
		{Size{480, 640}, 224, Size{224, 298}, Size{168, 224}},
		{Size{100, 100}, 50, Size{50, 50}, Size{50, 50}},
		{Size{100, 30}, 200, Size{666, 200}, Size{100, 30}}, // longest edge never upscales
		{Size{2000, 1}, 10, Size{20000, 10}, Size{10, 1}},
	}
	for _, tt := range tests {
		if got := FitInShortestEdge(tt.size, tt.edge); got != tt.short {
			t.Errorf("FitInShortestEdge(%v, %d) = %v, want %v", tt.size, tt.edge, got, tt.short)
		}
		if got := FitInLongestEdge(tt.size, tt.edge); got != tt.longest {
			t.Errorf("FitInLongestEdge(%v, %d) = %v, want %v", tt.size, tt.edge, got, tt.longest)
		}
	}
}

func TestCenterCrop(t *testing.T) {
	tests := []struct {
		full, size Size
		want       Rect
	}{
		{Size{10, 8}, Size{4, 4}, Rect{3, 2, 4, 4}},
		{Size{11, 9}, Size{4, 4}, Rect{3, 2, 4, 4}},
		{Size{4, 4}, Size{10, 2}, Rect{0, 1, 4, 2}},
	}
	for _, tt := range tests {
		if got := CenterCropRect(tt.full, tt.size); got != tt.want {
			t.Errorf("CenterCropRect(%v, %v) = %+v, want %+v", tt.full, tt.size, got, tt.want)
		}
		if !RectSmallerOrEqual(tt.want, tt.full) {
			t.Errorf("crop %+v should fit in %v", tt.want, tt.full)
		}
	}
	m := gradientImage(5, 4)
	c, err := CenterCrop(m, Size{3, 2})
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < 2; y++ {
		for x := 0; x < 3; x++ {
			r, g, b := c.RGBAt(x, y)
			wr, wg, wb := m.RGBAt(x+1, y+1)
			if r != wr || g != wg || b != wb {
				t.Fatalf("crop pixel (%d,%d) = %d,%d,%d want %d,%d,%d", x, y, r, g, b, wr, wg, wb)
			}
		}
	}
	var se *SizeError
	if _, err := CenterCrop(m, Size{0, 3}); !errors.As(err, &se) {
		t.Errorf("zero crop: err %v, want *SizeError", err)
	}
	if _, err := Crop(m, Rect{4, 0, 2, 1}); !errors.As(err, &se) {
		t.Errorf("out-of-bounds crop: err %v, want *SizeError", err)
	}
}

func TestPadToSquare(t *testing.T) {
	m := gradientImage(4, 2)
	p := PadToSquare(m, RGB{9, 8, 7})
	if p.W != 4 || p.H != 4 {
		t.Fatalf("size %dx%d, want 4x4", p.W, p.H)
	}
	for y := 0; y < 4; y++ {
		for x := 0; x < 4; x++ {
			r, g, b := p.RGBAt(x, y)
			if y == 0 || y == 3 {
				if r != 9 || g != 8 || b != 7 {
					t.Fatalf("fill pixel (%d,%d) = %d,%d,%d", x, y, r, g, b)
				}
				continue
			}
			wr, wg, wb := m.RGBAt(x, y-1)
			if r != wr || g != wg || b != wb {
				t.Fatalf("image pixel (%d,%d) moved", x, y)
			}
		}
	}
	tall := PadToSquare(gradientImage(1, 4), White)
	if r, _, _ := tall.RGBAt(0, 0); tall.W != 4 || r != 255 {
		t.Fatalf("tall pad: %dx%d, corner %d", tall.W, tall.H, r)
	}
	if r, _, _ := tall.RGBAt(1, 0); r != 0 {
		t.Fatalf("tall pad: image should start at column 1 ((4-1)/2), got %d", r)
	}
}

func TestApply(t *testing.T) {
	m := gradientImage(400, 200)
	tests := []struct {
		name string
		p    Processing
		want Size
	}{
		{"none", Processing{}, Size{400, 200}},
		{"resize down", Processing{Resize: &Size{100, 100}}, Size{100, 50}},
		{"resize up", Processing{Resize: &Size{800, 800}}, Size{800, 400}},
		{"max pixels", Processing{MaxPixels: 20000}, Size{200, 100}},
		{"min pixels", Processing{MinPixels: 320000}, Size{800, 400}},
		{"resize then max", Processing{Resize: &Size{800, 800}, MaxPixels: 80000}, Size{400, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Apply(m, tt.p)
			if err != nil {
				t.Fatal(err)
			}
			if got.Size() != tt.want {
				t.Errorf("size %v, want %v", got.Size(), tt.want)
			}
		})
	}
	var se *SizeError
	if _, err := Apply(m, Processing{MinPixels: 10, MaxPixels: 5}); !errors.As(err, &se) {
		t.Errorf("min > max: err %v, want *SizeError", err)
	}
	if _, err := Apply(m, Processing{Resize: &Size{0, 5}}); !errors.As(err, &se) {
		t.Errorf("zero resize: err %v, want *SizeError", err)
	}
	for _, p := range []Processing{{Resize: &Size{100_000, 100_000}}, {MinPixels: DefaultMaxPixels + 1}} {
		if _, err := Apply(m, p); !errors.As(err, &se) {
			t.Errorf("%+v: err %v, want *SizeError (over DefaultMaxPixels)", p, err)
		}
	}
}

func TestToneCurves(t *testing.T) {
	for _, v := range []float64{0, 0.001, 0.04045, 0.2, 0.5, 1} {
		if got := LinearToSRGB(SRGBToLinear(v)); math.Abs(got-v) > 1e-6 { // the standard curve pieces meet only to ~1e-8
			t.Errorf("round trip of %v = %v", v, got)
		}
	}
	if got := SRGBToLinear(0.5); math.Abs(got-0.21404114048) > 1e-9 {
		t.Errorf("SRGBToLinear(0.5) = %v", got)
	}
	m := &Image{W: 1, H: 1, Pix: []uint8{0, 128, 255}}
	l := InLinearToneCurve(m)
	if l.Pix[0] != 0 || l.Pix[1] != 55 || l.Pix[2] != 255 {
		t.Errorf("linear of 0,128,255 = %v, want 0,55,255", l.Pix)
	}
	if s := InSRGBToneCurve(l); s.Pix[1] < 127 || s.Pix[1] > 129 {
		t.Errorf("sRGB of linear 55 = %d, want ~128", s.Pix[1])
	}
}

func TestToCHWNormalize(t *testing.T) {
	m := &Image{W: 2, H: 1, Pix: []uint8{0, 128, 255, 255, 0, 64}}
	got := ToCHW(m, Rescale255, CLIPMean, CLIPStd)
	// The same float32 steps, written out: (v*(1/255) - mean) / std.
	want := make([]float32, 6)
	for i, v := range m.Pix {
		c, p := i%3, i/3
		want[c*2+p] = (float32(float32(v)*float32(Rescale255)) - CLIPMean[c]) / CLIPStd[c]
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("value %d = %v, want %v", i, got[i], want[i])
		}
	}
	raw := ToCHW(m, 1, [3]float32{}, [3]float32{1, 1, 1})
	Rescale(raw, Rescale255)
	if err := Normalize(raw, CLIPMean[:], CLIPStd[:]); err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if raw[i] != want[i] {
			t.Fatalf("Rescale+Normalize value %d = %v, want %v", i, raw[i], want[i])
		}
	}
	if sig := ToCHW(m, Rescale255, SigLIPMean, SigLIPStd); sig[0] != -1 || sig[4] != 1 {
		t.Errorf("SigLIP range: got %v and %v, want -1 and 1", sig[0], sig[4])
	}
	var se *SizeError
	if err := Normalize(raw, CLIPMean[:], CLIPStd[:2]); !errors.As(err, &se) {
		t.Errorf("mismatched std: err %v, want *SizeError", err)
	}
}

// gradientImage returns a w×h image whose pixel (x, y) is (x, y, x+y) mod 256.
func gradientImage(w, h int) *Image {
	m := NewImage(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := 3 * (y*w + x)
			m.Pix[i], m.Pix[i+1], m.Pix[i+2] = uint8(x), uint8(y), uint8(x+y)
		}
	}
	return m
}
