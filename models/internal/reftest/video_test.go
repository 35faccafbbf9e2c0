package reftest

import (
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/govlm/govlm/vlm"
)

// writeFrames writes n 3×2 PNG frames into dir/frames, frame i filled with
// grey level 40·i+10, and returns their paths relative to dir.
func writeFrames(t *testing.T, dir string, n int) []string {
	t.Helper()
	if err := os.Mkdir(filepath.Join(dir, "frames"), 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := range n {
		img := image.NewRGBA(image.Rect(0, 0, 3, 2))
		for y := range 2 {
			for x := range 3 {
				img.Set(x, y, color.RGBA{uint8(40*i + 10), uint8(40*i + 10), uint8(40*i + 10), 255})
			}
		}
		rel := filepath.Join("frames", fmt.Sprintf("f%d.png", i))
		fh, err := os.Create(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(fh, img); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, rel)
	}
	return paths
}

// checkFrames fails unless v holds n decoded 3×2 frames of the grey levels
// writeFrames drew, in order, without frame times.
func checkFrames(t *testing.T, v *vlm.VideoSource, n int) {
	t.Helper()
	if v == nil || len(v.Frames) != n || v.FrameTimes != nil || v.Path != "" || v.URL != "" {
		t.Fatalf("video %+v, want %d decoded frames and nothing else", v, n)
	}
	for i, img := range v.Frames {
		grey := uint8(40*i + 10)
		if img.W != 3 || img.H != 2 || slices.ContainsFunc(img.Pix, func(p uint8) bool { return p != grey }) {
			t.Errorf("frame %d: %dx%d %v, want 3x2 of grey %d", i, img.W, img.H, img.Pix, grey)
		}
	}
}

func TestUserInputVideo(t *testing.T) {
	root := t.TempDir()
	frames := writeFrames(t, root, 3)
	list, _ := json.Marshal(frames)
	f := &Fixture{Name: "x", Root: root}

	t.Run("message part", func(t *testing.T) {
		var c Case
		js := `{"name": "video", "messages": [{"role": "user", "content": [{"type": "video", "path": ` + string(list) +
			`}, {"type": "text", "text": "Describe the video."}]}]}`
		if err := json.Unmarshal([]byte(js), &c); err != nil {
			t.Fatal(err)
		}
		in := f.UserInput(t, c)
		if len(in.Messages) != 1 || len(in.Messages[0].Content) != 2 {
			t.Fatalf("messages %+v", in.Messages)
		}
		parts := in.Messages[0].Content
		if parts[0].Kind() != "video" || parts[1].Kind() != "text" || parts[1].Text != "Describe the video." {
			t.Fatalf("parts %+v", parts)
		}
		checkFrames(t, parts[0].Video, 3)
	})
	t.Run("raw case", func(t *testing.T) {
		var c Case
		if err := json.Unmarshal([]byte(`{"name": "raw", "prompt": "<video>", "videos": [`+string(list)+`]}`), &c); err != nil {
			t.Fatal(err)
		}
		in := f.UserInput(t, c)
		if in.Prompt != "<video>" || len(in.Videos) != 1 || in.Messages != nil {
			t.Fatalf("input %+v", in)
		}
		checkFrames(t, &in.Videos[0], 3)
	})
}

func TestPartPathKinds(t *testing.T) {
	for _, tc := range []struct {
		name, js string
		want     Part
		bad      bool
	}{
		{"image", `{"type": "image", "path": "a.png"}`, Part{Type: "image", Path: "a.png"}, false},
		{"video", `{"type": "video", "path": ["a.png", "b.png"]}`, Part{Type: "video", Frames: []string{"a.png", "b.png"}}, false},
		{"text", `{"type": "text", "text": "hi"}`, Part{Type: "text", Text: "hi"}, false},
		{"video with one path", `{"type": "video", "path": "clip.mp4"}`, Part{}, true},
		{"image with a list", `{"type": "image", "path": ["a.png"]}`, Part{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Part
			err := json.Unmarshal([]byte(tc.js), &p)
			if tc.bad {
				if err == nil {
					t.Fatalf("got %+v, want an error", p)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Type != tc.want.Type || p.Text != tc.want.Text || p.Path != tc.want.Path || !slices.Equal(p.Frames, tc.want.Frames) {
				t.Errorf("got %+v, want %+v", p, tc.want)
			}
		})
	}
}
