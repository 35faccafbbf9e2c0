package vlm

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/govlm/govlm/media"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 0, color.RGBA{200, 10, 20, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImageSourceLoad(t *testing.T) {
	data := pngBytes(t, 3, 2)
	path := filepath.Join(t.TempDir(), "x.png")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]ImageSource{
		"bytes": {Bytes: data},
		"path":  {Path: path},
		"image": {Image: media.NewImage(3, 2)},
	} {
		img, err := src.Load(context.Background(), media.LoadOptions{})
		if err != nil || img.W != 3 || img.H != 2 {
			t.Errorf("%s: %v, %v", name, img, err)
		}
	}
	for name, src := range map[string]ImageSource{
		"empty":   {},
		"garbage": {Bytes: []byte("not an image")},
		"missing": {Path: filepath.Join(t.TempDir(), "absent.png")},
	} {
		if _, err := src.Load(context.Background(), media.LoadOptions{}); !errors.Is(err, ErrImageProcessing) {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestVideoSourceFrames(t *testing.T) {
	frames := []*media.Image{media.NewImage(2, 2), media.NewImage(2, 2)}
	pf, err := VideoSource{Frames: frames, FrameTimes: []float64{0, 0.5}}.Load(context.Background(), media.VideoOptions{
		Process: func(m *media.Image) (*media.Image, error) { return media.NewImage(1, 1), nil },
	})
	if err != nil || len(pf.Frames) != 2 || pf.Frames[1].Time != 0.5 || pf.Frames[0].Image.W != 1 || pf.Duration != 0.5 {
		t.Fatalf("%+v, %v", pf, err)
	}
	if _, err := (VideoSource{Frames: frames, FrameTimes: []float64{1}}).Load(context.Background(), media.VideoOptions{}); !errors.Is(err, ErrVideoProcessing) {
		t.Errorf("mismatched times: %v", err)
	}
	if _, err := (VideoSource{}).Load(context.Background(), media.VideoOptions{}); !errors.Is(err, ErrVideoProcessing) {
		t.Errorf("empty: %v", err)
	}
}

func TestSourcesInOrder(t *testing.T) {
	a, b := ImageSource{Path: "a"}, ImageSource{Path: "b"}
	u := UserInput{Messages: []Message{{Role: RoleUser, Content: []Part{{Image: &a}, {Text: "x"}}}, {Role: RoleUser, Content: []Part{{Image: &b}}}}}
	got := u.ImageSources()
	if len(got) != 2 || got[0].Path != "a" || got[1].Path != "b" || len(u.VideoSources()) != 0 {
		t.Fatalf("%+v", got)
	}
}
