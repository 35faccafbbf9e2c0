package media

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// pilRecord is one PIL output from tools/refgen/pil/make_goldens.py.
type pilRecord struct {
	File   string   `json:"file"`
	Alpha  string   `json:"alpha"`
	Filter Filter   `json:"filter"`
	W      int      `json:"w"`
	H      int      `json:"h"`
	SHA256 string   `json:"sha256"`
	Sums   [3]int64 `json:"sums"`
	RGB    string   `json:"rgb"`  // whole output, for small ones
	Ys     []int    `json:"ys"`   // sampled rows, for large ones
	Xs     []int    `json:"xs"`   // sampled columns
	Grid   string   `json:"grid"` // pixels at Ys × Xs, row-major RGB
}

type pilGoldens struct {
	PILVersion string      `json:"pil_version"`
	Decode     []pilRecord `json:"decode"`
	Resize     []pilRecord `json:"resize"`
}

func loadGoldens(t testing.TB) *pilGoldens {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "pil_goldens.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g pilGoldens
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return &g
}

// sharedImages returns ../shared/testdata/images next to the module root, or
// "" when this checkout has no shared test material.
func sharedImages() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(filepath.Dir(dir), "shared", "testdata", "images")
			if st, err := os.Stat(p); err == nil && st.IsDir() {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// testImagePath finds a test image in testdata/ or the shared images, and
// skips the test when it is in neither.
func testImagePath(t testing.TB, name string) string {
	t.Helper()
	if p := filepath.Join("testdata", name); fileExists(p) {
		return p
	}
	if dir := sharedImages(); dir != "" {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	t.Skipf("test image %s not found (not in media/testdata, and ../shared/testdata/images is absent)", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// comparison is how far our output is from PIL's on the compared values.
type comparison struct {
	exact    bool // full-output SHA-256 equal
	compared int  // values compared (whole output, or the sampled grid)
	differ   int  // values that differ
	maxDiff  int
	sumDiff  [3]int64 // our per-channel sums minus PIL's
}

func compareToPIL(t testing.TB, m *Image, r pilRecord) comparison {
	t.Helper()
	if m.W != r.W || m.H != r.H {
		t.Fatalf("%s: size %dx%d, PIL %dx%d", r.File, m.W, m.H, r.W, r.H)
	}
	var c comparison
	sum := sha256.Sum256(m.Pix)
	c.exact = hex.EncodeToString(sum[:]) == r.SHA256
	for i, v := range m.Pix {
		c.sumDiff[i%3] += int64(v)
	}
	for ch := range 3 {
		c.sumDiff[ch] -= r.Sums[ch]
	}
	var ref, got []byte
	var err error
	if r.RGB != "" {
		ref, err = base64.StdEncoding.DecodeString(r.RGB)
		got = m.Pix
	} else {
		ref, err = base64.StdEncoding.DecodeString(r.Grid)
		for _, y := range r.Ys {
			for _, x := range r.Xs {
				i := 3 * (y*m.W + x)
				got = append(got, m.Pix[i:i+3]...)
			}
		}
	}
	if err != nil || len(ref) != len(got) {
		t.Fatalf("%s: bad golden record (%v, %d vs %d values)", r.File, err, len(ref), len(got))
	}
	c.compared = len(ref)
	for i := range ref {
		d := int(got[i]) - int(ref[i])
		if d != 0 {
			c.differ++
			c.maxDiff = max(c.maxDiff, abs(d))
		}
	}
	return c
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
