package qwen2vl

import (
	"errors"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/vlm"
)

func TestVideoFPS(t *testing.T) {
	frame := media.NewImage(2, 2)
	for _, tc := range []struct {
		name string
		src  vlm.VideoSource
		want float64
	}{
		{"file sampled at 2 fps", vlm.VideoSource{Path: "clip.mp4"}, 2},
		{"frames without times: transformers' 24", vlm.VideoSource{Frames: []*media.Image{frame, frame}}, 24},
		{"frames with times", vlm.VideoSource{Frames: []*media.Image{frame, frame, frame}, FrameTimes: []float64{0, 0.25, 0.5}}, 4},
		{"one timed frame", vlm.VideoSource{Frames: []*media.Image{frame}, FrameTimes: []float64{3}}, 24},
	} {
		if got := videoFPS(tc.src, 2); got != tc.want {
			t.Errorf("%s: %v fps, want %v", tc.name, got, tc.want)
		}
	}
}

func TestExpand(t *testing.T) {
	const pad = "<|image_pad|>"
	text := "a<s>" + pad + "</s>b<s>" + pad + "</s>"
	got, err := expand(text, pad, []vlm.THW{{T: 1, H: 2, W: 4}, {T: 2, H: 2, W: 2}}, 4, "image")
	if err != nil {
		t.Fatal(err)
	}
	want := "a<s>" + strings.Repeat(pad, 2) + "</s>b<s>" + strings.Repeat(pad, 2) + "</s>"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := expand(text, pad, []vlm.THW{{T: 1, H: 2, W: 2}}, 4, "image"); !errors.Is(err, vlm.ErrProcessing) {
		t.Errorf("two placeholders, one image: got %v, want a processing error", err)
	}
}
