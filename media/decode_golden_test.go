package media

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// jpegTolerance is how far Go's JPEG decoding (with libjpeg-style chroma
// upsampling and colour tables, see jpegycc.go) may be from PIL's libjpeg
// decoding on the sampled pixels: the IDCTs differ (Go's integer IDCT vs
// libjpeg's islow), which moves some samples by a unit or two.
const (
	jpegMaxDiff      = 8
	jpegDifferFrac   = 0.06 // fraction of compared values allowed to differ
	jpegMeanSumDelta = 0.05 // |channel sum difference| / pixels
)

// TestDecodeMatchesPIL decodes each odd test image and compares with PIL's
// ImageOps.exif_transpose + convert("RGB") (alpha "drop") or transformers'
// convert_to_rgb (alpha "on-white"). Non-JPEG formats must be bit-identical;
// JPEG must be within the tolerances above.
func TestDecodeMatchesPIL(t *testing.T) {
	g := loadGoldens(t)
	for _, r := range g.Decode {
		if testing.Short() && r.W*r.H > 1<<20 {
			continue
		}
		t.Run(r.File+"/"+r.Alpha, func(t *testing.T) {
			opt := DecodeOptions{}
			if r.Alpha == "on-white" {
				opt.Alpha = AlphaOnWhite
			}
			m, err := DecodeFile(testImagePath(t, r.File), opt)
			if err != nil {
				t.Fatal(err)
			}
			c := compareToPIL(t, m, r)
			if c.exact {
				return
			}
			t.Logf("%d of %d sampled values differ (max %d), channel sum diffs %v", c.differ, c.compared, c.maxDiff, c.sumDiff)
			if !strings.HasSuffix(r.File, ".jpg") {
				t.Fatalf("%s should decode bit-identically to PIL", r.File)
			}
			px := float64(r.W * r.H)
			if c.maxDiff > jpegMaxDiff || float64(c.differ) > jpegDifferFrac*float64(c.compared) {
				t.Errorf("JPEG outside tolerance: %d of %d differ, max %d", c.differ, c.compared, c.maxDiff)
			}
			for ch, d := range c.sumDiff {
				if float64(abs(int(d)))/px > jpegMeanSumDelta {
					t.Errorf("channel %d mean differs by %.4f", ch, float64(d)/px)
				}
			}
		})
	}
}

// TestDecodeFullPIL compares whole decoded images with full PIL dumps made by
// `make_goldens.py --full DIR`, when MEDIA_PIL_FULL=DIR is set. It reports
// the exact distribution of differences (the numbers quoted in doc.go).
func TestDecodeFullPIL(t *testing.T) {
	dir := os.Getenv("MEDIA_PIL_FULL")
	if dir == "" {
		t.Skip("set MEDIA_PIL_FULL to a make_goldens.py --full output directory")
	}
	g := loadGoldens(t)
	for _, r := range g.Decode {
		name := fmt.Sprintf("decode_%s_%s_%dx%d.rgb", r.File, r.Alpha, r.W, r.H)
		ref, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		opt := DecodeOptions{}
		if r.Alpha == "on-white" {
			opt.Alpha = AlphaOnWhite
		}
		m, err := DecodeFile(testImagePath(t, r.File), opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(diffSummary(r.File+" "+r.Alpha, m.Pix, ref))
		if strings.HasSuffix(r.File, ".jpg") && r.Alpha == "drop" {
			// The same decode converted with the standard library's
			// replicated chroma and JFIF formula, for comparison.
			data, _ := os.ReadFile(testImagePath(t, r.File))
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			std := Orient(FromImage(img, AlphaDrop), ReadOrientation(data))
			t.Log(diffSummary(r.File+" stdlib", std.Pix, ref))
		}
	}
}

// diffSummary describes the distribution of |got-ref| over all values.
func diffSummary(label string, got, ref []byte) string {
	var hist [256]int
	for i := range ref {
		hist[abs(int(got[i])-int(ref[i]))]++
	}
	n := float64(len(ref))
	top := 0
	for d, c := range hist {
		if c > 0 {
			top = d
		}
	}
	return fmt.Sprintf("%-40s exact %.4f%%  |d|<=1 %.4f%%  |d|<=2 %.4f%%  max %d", label,
		100*float64(hist[0])/n, 100*float64(hist[0]+hist[1])/n, 100*float64(hist[0]+hist[1]+hist[2])/n, top)
}
