package media

import (
	"fmt"
	"testing"
)

// TestResizeMatchesPIL resizes the golden sources with every filter and
// compares with Pillow's Image.resize: the target is bit-identical output;
// at most 0.1% of values may differ, by at most 1.
func TestResizeMatchesPIL(t *testing.T) {
	g := loadGoldens(t)
	sources := map[string]*Image{}
	for _, r := range g.Resize {
		t.Run(fmt.Sprintf("%s/%s/%dx%d", r.File, r.Filter, r.W, r.H), func(t *testing.T) {
			src, ok := sources[r.File]
			if !ok {
				var err error
				src, err = DecodeFile(testImagePath(t, r.File), DecodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				sources[r.File] = src
			}
			m, err := Resize(src, r.W, r.H, r.Filter)
			if err != nil {
				t.Fatal(err)
			}
			c := compareToPIL(t, m, r)
			if c.exact {
				return
			}
			t.Logf("not bit-identical: %d of %d compared values differ (max %d), channel sum diffs %v", c.differ, c.compared, c.maxDiff, c.sumDiff)
			if c.maxDiff > 1 || float64(c.differ) > 0.001*float64(c.compared)+1 {
				t.Errorf("outside tolerance: %d of %d values differ, max diff %d", c.differ, c.compared, c.maxDiff)
			}
		})
	}
}
