package media

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"

	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOrientationMatchesPIL decodes tiny images carrying each EXIF
// orientation in a PNG eXIf chunk and a WebP EXIF chunk (written by PIL) and
// compares with PIL's ImageOps.exif_transpose.
func TestOrientationMatchesPIL(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "pil_goldens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Orient []struct {
			pilRecord
			Orientation Orientation `json:"orientation"`
		} `json:"orient"`
	}
	if err := jsonUnmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Orient) != 16 {
		t.Fatalf("%d orientation goldens, want 16", len(g.Orient))
	}
	for _, r := range g.Orient {
		t.Run(r.File, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", r.File))
			if err != nil {
				t.Fatal(err)
			}
			if got := ReadOrientation(raw); got != r.Orientation {
				t.Fatalf("ReadOrientation = %d, want %d", got, r.Orientation)
			}
			m, err := DecodeBytes(raw, r.File, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if c := compareToPIL(t, m, r.pilRecord); !c.exact {
				t.Errorf("differs from PIL's exif_transpose: %d values", c.differ)
			}
			plain, err := DecodeBytes(raw, r.File, DecodeOptions{IgnoreOrientation: true})
			if err != nil {
				t.Fatal(err)
			}
			if plain.W != 17 || plain.H != 3 {
				t.Errorf("IgnoreOrientation gave %dx%d, want the stored 17x3", plain.W, plain.H)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, image.NewGray(image.Rect(0, 0, 300, 200))); err != nil {
		t.Fatal(err)
	}
	good := pngBuf.Bytes()
	tests := []struct {
		name  string
		data  []byte
		opt   DecodeOptions
		check func(error) bool
	}{
		{"empty", nil, DecodeOptions{}, isDecodeError},
		{"text", []byte("hello, this is not an image"), DecodeOptions{}, isDecodeError},
		{"png header only", good[:40], DecodeOptions{}, isDecodeError},
		{"truncated png", good[:len(good)/2], DecodeOptions{}, isDecodeError},
		{"over pixel limit", good, DecodeOptions{MaxPixels: 300*200 - 1}, func(err error) bool {
			var te *TooLargeError
			return errors.As(err, &te) && te.W == 300 && te.H == 200 && te.Source == "input"
		}},
		{"limit disabled", good, DecodeOptions{MaxPixels: -1}, func(err error) bool { return err == nil }},
		{"at the limit", good, DecodeOptions{MaxPixels: 300 * 200}, func(err error) bool { return err == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeBytes(tt.data, "input", tt.opt)
			if !tt.check(err) {
				t.Fatalf("unexpected error %v (%T)", err, err)
			}
			if err != nil && !strings.Contains(err.Error(), "input") {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

func isDecodeError(err error) bool {
	var de *DecodeError
	return errors.As(err, &de) && de.Source == "input"
}

// TestDecodeBadSharedFiles checks the deliberately broken shared test files.
func TestDecodeBadSharedFiles(t *testing.T) {
	for _, name := range []string{"bad_not_an_image.png", "bad_truncated.jpg"} {
		p := testImagePath(t, name)
		_, err := DecodeFile(p, DecodeOptions{})
		var de *DecodeError
		if !errors.As(err, &de) || de.Source != p {
			t.Errorf("%s: err %v, want *DecodeError naming the file", name, err)
		}
	}
	_, err := DecodeFile(filepath.Join(t.TempDir(), "missing.png"), DecodeOptions{})
	var se *SourceError
	if !errors.As(err, &se) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err %v, want *SourceError wrapping ErrNotExist", err)
	}
}

// TestDecodeBomb declares a huge PNG (only its header is real): the guard
// must reject it from the header, before any allocation for pixels.
func TestDecodeBomb(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	// IHDR: length at 8, "IHDR" at 12, width and height at 16..23, CRC
	// over type and data at 29..32.
	copy(data[16:24], []byte{0, 0, 0xa0, 0, 0, 0, 0xa0, 0}) // 40960 x 40960
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	_, err := DecodeBytes(data, "bomb.png", DecodeOptions{})
	var te *TooLargeError
	if !errors.As(err, &te) {
		t.Fatalf("err %v, want *TooLargeError", err)
	}
	if te.W != 40960 || te.H != 40960 || te.Limit != DefaultMaxPixels || te.Source != "bomb.png" {
		t.Errorf("TooLargeError %+v", te)
	}
}

func TestFromImageTypes(t *testing.T) {
	r := image.Rect(0, 0, 2, 1)
	nrgba := image.NewNRGBA(r)
	nrgba.SetNRGBA(0, 0, color.NRGBA{200, 100, 50, 128})
	nrgba.SetNRGBA(1, 0, color.NRGBA{10, 20, 30, 0})
	rgba := image.NewRGBA(r)
	rgba.Set(0, 0, color.NRGBA{200, 100, 50, 255})
	rgba.Set(1, 0, color.NRGBA{10, 20, 30, 0})
	g16 := image.NewGray16(r)
	g16.SetGray16(0, 0, color.Gray16{200})
	g16.SetGray16(1, 0, color.Gray16{40000})
	n64 := image.NewNRGBA64(r)
	n64.SetNRGBA64(0, 0, color.NRGBA64{0x1234, 0xabcd, 0xffff, 0xffff})
	cmyk := image.NewCMYK(r)
	cmyk.SetCMYK(0, 0, color.CMYK{100, 50, 200, 30})
	cmyk.SetCMYK(1, 0, color.CMYK{255, 0, 0, 0})
	r64 := image.NewRGBA64(r)
	r64.SetRGBA64(0, 0, color.RGBA64{0x8000, 0x4000, 0x2000, 0x8000}) // premultiplied half alpha
	r64.SetRGBA64(1, 0, color.RGBA64{0x1234, 0x5678, 0x9abc, 0xffff})
	gray := image.NewGray(r)
	gray.SetGray(0, 0, color.Gray{77})
	ycc := image.NewYCbCr(image.Rect(0, 0, 2, 2), image.YCbCrSubsampleRatio420)
	ycc.Y[0], ycc.Y[1], ycc.Cb[0], ycc.Cr[0] = 100, 200, 90, 180
	yr, yg, yb := color.YCbCrToRGB(100, 90, 180)
	yr2, yg2, yb2 := color.YCbCrToRGB(200, 90, 180)
	pal := image.NewPaletted(r, color.Palette{color.NRGBA{1, 2, 3, 255}, color.NRGBA{40, 50, 60, 0}})
	pal.SetColorIndex(1, 0, 1)
	tests := []struct {
		name string
		img  image.Image
		mode AlphaMode
		want []uint8
	}{
		{"nrgba drop", nrgba, AlphaDrop, []uint8{200, 100, 50, 10, 20, 30}},
		// PIL alpha_composite over white: 200*128/255+255*127/255 rounded.
		{"nrgba on white", nrgba, AlphaOnWhite, []uint8{227, 177, 152, 255, 255, 255}},
		{"rgba drop", rgba, AlphaDrop, []uint8{200, 100, 50, 0, 0, 0}},
		{"gray16 clips like PIL", g16, AlphaDrop, []uint8{200, 200, 200, 255, 255, 255}},
		{"nrgba64 high byte", n64, AlphaDrop, []uint8{0x12, 0xab, 0xff, 0, 0, 0}},
		// PIL cmyk2rgb, checked with Pillow 9.4: (100,50,200,30) -> (137,181,49).
		{"cmyk", cmyk, AlphaDrop, []uint8{137, 181, 49, 0, 255, 255}},
		{"rgba64 unpremultiplies", r64, AlphaDrop, []uint8{0xff, 0x7f, 0x3f, 0x12, 0x56, 0x9a}},
		{"gray", gray, AlphaDrop, []uint8{77, 77, 77, 0, 0, 0}},
		{"ycbcr uses the stdlib formula", ycc.SubImage(r), AlphaDrop, []uint8{yr, yg, yb, yr2, yg2, yb2}},
		{"palette drop keeps colour", pal, AlphaDrop, []uint8{1, 2, 3, 40, 50, 60}},
		{"palette on white", pal, AlphaOnWhite, []uint8{1, 2, 3, 255, 255, 255}},
		{"generic path", image.NewUniform(color.NRGBA{9, 8, 7, 255}), AlphaDrop, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == nil {
				sub := image.NewNRGBA(r)
				sub.Set(0, 0, color.NRGBA{9, 8, 7, 255})
				sub.Set(1, 0, color.NRGBA{9, 8, 7, 255})
				tt.img, tt.want = sub.SubImage(r), []uint8{9, 8, 7, 9, 8, 7}
			}
			got := FromImage(tt.img, tt.mode)
			if !bytes.Equal(got.Pix, tt.want) {
				t.Errorf("got %v, want %v", got.Pix, tt.want)
			}
		})
	}
}

func TestOnWhiteMatchesPILFormula(t *testing.T) {
	// Spot values of Image.alpha_composite(white, (c, c, c, a)) from Pillow 9.4.
	tests := []struct{ c, a, want uint8 }{
		{0, 0, 255}, {0, 255, 0}, {255, 255, 255}, {0, 128, 127}, {100, 1, 254}, {200, 200, 212},
	}
	for _, tt := range tests {
		if got := onWhite(tt.c, tt.a); got != tt.want {
			t.Errorf("onWhite(%d, %d) = %d, want %d", tt.c, tt.a, got, tt.want)
		}
	}
}

func TestLoadSources(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "tiny_17x3.png"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := DecodeBytes(raw, "tiny", DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/tiny.png":
			w.Write(raw)
		case "/big":
			w.Write(bytes.Repeat([]byte{0}, 4096))
		case "/slow":
			time.Sleep(500 * time.Millisecond)
			w.Write(raw)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	b64 := base64.StdEncoding.EncodeToString(raw)
	abs, _ := filepath.Abs(filepath.Join("testdata", "tiny_17x3.png"))
	for _, src := range []string{
		filepath.Join("testdata", "tiny_17x3.png"),
		"file://" + abs,
		"data:image/png;base64," + b64,
		"data:;base64," + strings.TrimRight(b64, "="),
		srv.URL + "/tiny.png",
	} {
		m, err := Load(ctx, src, LoadOptions{})
		if err != nil {
			t.Fatalf("%.40s: %v", src, err)
		}
		if src == srv.URL+"/tiny.png" {
			// The same bytes through the io.Reader entry point.
			if m, err = Decode(bytes.NewReader(raw), "reader", DecodeOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(m.Pix, want.Pix) {
			t.Errorf("%.40s: pixels differ", src)
		}
	}
	failures := []struct {
		src string
		opt LoadOptions
		is  error
	}{
		{srv.URL + "/missing.png", LoadOptions{}, nil},
		{srv.URL + "/big", LoadOptions{MaxBytes: 1000}, ErrBodyTooLarge},
		{srv.URL + "/slow", LoadOptions{Timeout: 100 * time.Millisecond}, context.DeadlineExceeded},
		{"data:image/png;base64,@@@", LoadOptions{}, nil},
		{"data:image/png;base64" + b64, LoadOptions{}, nil},
		{"data:image/png;base64," + b64, LoadOptions{MaxBytes: 10}, ErrBodyTooLarge},
		{filepath.Join("testdata", "tiny_17x3.png"), LoadOptions{MaxBytes: 10}, ErrBodyTooLarge},
	}
	for _, f := range failures {
		_, err := Load(ctx, f.src, f.opt)
		var se *SourceError
		if !errors.As(err, &se) {
			t.Errorf("%.50s: err %v, want *SourceError", f.src, err)
			continue
		}
		if f.is != nil && !errors.Is(err, f.is) {
			t.Errorf("%.50s: err %v, want it to wrap %v", f.src, err, f.is)
		}
	}
	_, err = Load(ctx, "data:text/plain,hello%20world", LoadOptions{})
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Errorf("percent-encoded text: err %v, want *DecodeError", err)
	}
}

func FuzzDecodeBytes(f *testing.F) {
	for _, name := range []string{"tiny_17x3.png", "orient_6.webp", "tiny_1x1.png", "transparent_gradient_96x64.png", "transparent.gif"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00MM\x00*\x00\x00\x00\x08"))
	f.Add([]byte("GIF89a\x01\x00\x01\x00"))
	f.Add([]byte("BM"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeBytes(data, "fuzz", DecodeOptions{MaxPixels: 1 << 20})
		if err != nil {
			var de *DecodeError
			var te *TooLargeError
			if !errors.As(err, &de) && !errors.As(err, &te) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if len(m.Pix) != 3*m.W*m.H {
			t.Fatalf("inconsistent image %dx%d with %d bytes", m.W, m.H, len(m.Pix))
		}
	})
}

// TestDecode16BitPNG checks 16-bit PNGs against Pillow 9.4's convert("RGB")
// of the same files (values recorded from PIL): colour keeps the high byte,
// 16-bit grey clips at 255.
func TestDecode16BitPNG(t *testing.T) {
	tests := []struct {
		file string
		want []uint8
	}{
		{"png16_rgb.png", []uint8{18, 255, 0, 81, 255, 0, 145, 255, 0, 208, 255, 0}},
		{"png16_rgba.png", []uint8{18, 255, 0, 81, 255, 0, 145, 255, 0, 208, 255, 0}},
		{"png16_gray.png", []uint8{0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255}},
	}
	for _, tt := range tests {
		m, err := DecodeFile(filepath.Join("testdata", tt.file), DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.Pix, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.file, m.Pix, tt.want)
		}
	}
}
