package benchutil

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govlm/govlm/media"
)

// Image returns the shared 512×512 astronaut photo
// (<repo>/../shared/testdata/images/astronaut.png) when it is there, else
// a synthetic 640×480 pattern, so the benchmark runs in any clone.
func Image(repoRoot string) *media.Image {
	path := filepath.Join(repoRoot, "..", "shared", "testdata", "images", "astronaut.png")
	if img, err := media.DecodeFile(path, media.DecodeOptions{}); err == nil {
		return img
	}
	img := media.NewImage(640, 480)
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7 % 251)
	}
	return img
}

// PeakRSS returns the process's peak resident set (VmHWM) in bytes, 0
// where /proc is not available.
func PeakRSS() float64 {
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
