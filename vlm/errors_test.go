package vlm

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
)

func TestErrorIsMatchesKind(t *testing.T) {
	sentinels := []*Error{
		ErrImageRequired, ErrMaskRequired, ErrSingleImageAllowed, ErrSingleVideoAllowed,
		ErrSingleMediaTypeAllowed, ErrImageProcessing, ErrVideoProcessing, ErrProcessing,
		ErrUnsupportedModelType, ErrUnknownProcessor, ErrLoad, ErrGeneration,
	}
	for i, s := range sentinels {
		err := fmt.Errorf("outer: %w", Errorf(s.Kind, "detail %d", i))
		for j, other := range sentinels {
			if got := errors.Is(err, other); got != (i == j) {
				t.Errorf("errors.Is(%v, %v) = %v", err, other.Kind, got)
			}
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != s.Kind || e.Detail != fmt.Sprintf("detail %d", i) {
			t.Errorf("errors.As gave %+v", e)
		}
	}
}

func TestErrorfWrapsCause(t *testing.T) {
	err := Errorf(KindLoad, "reading %s: %w", "config.json", fs.ErrNotExist)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, ErrLoad) {
		t.Fatalf("%v does not match its cause and kind", err)
	}
	if err.Detail != "reading config.json" {
		t.Errorf("detail %q", err.Detail)
	}
	if msg := err.Error(); !strings.Contains(msg, "load") || !strings.Contains(msg, "config.json") || !strings.Contains(msg, "not exist") {
		t.Errorf("message %q", msg)
	}
}

func TestCheckMedia(t *testing.T) {
	img := ImageSource{Path: "a.png"}
	vid := VideoSource{Path: "a.mp4"}
	twoImages := UserInput{Images: []ImageSource{img, img}}
	mixed := UserInput{Messages: []Message{{Role: RoleUser, Content: []Part{{Image: &img}, {Video: &vid}, {Text: "hi"}}}}}
	twoVideos := UserInput{Videos: []VideoSource{vid, vid}}
	cases := []struct {
		name                string
		in                  UserInput
		maxImages, maxVideo int
		mixed               bool
		want                error
	}{
		{"two images, one allowed", twoImages, 1, 0, false, ErrSingleImageAllowed},
		{"two images, many allowed", twoImages, -1, 0, false, nil},
		{"mixed not allowed", mixed, -1, -1, false, ErrSingleMediaTypeAllowed},
		{"mixed allowed", mixed, -1, -1, true, nil},
		{"two videos, one allowed", twoVideos, 1, 1, false, ErrSingleVideoAllowed},
		{"video to image model", twoVideos, 1, 0, false, ErrVideoProcessing},
		{"image to text model", twoImages, 0, 0, false, ErrImageProcessing},
		{"three images, two allowed", UserInput{Images: []ImageSource{img, img, img}}, 2, 0, false, ErrImageProcessing},
	}
	for _, tc := range cases {
		err := tc.in.CheckMedia(tc.maxImages, tc.maxVideo, tc.mixed)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestTemplateMessages(t *testing.T) {
	img := ImageSource{Path: "a.png"}
	in := UserInput{Prompt: "describe", Images: []ImageSource{img}}
	got := in.TemplateMessages(false)
	parts := got[0]["content"].([]any)
	if got[0]["role"] != RoleUser || len(parts) != 2 || parts[0].(map[string]any)["type"] != "image" ||
		parts[1].(map[string]any)["text"] != "describe" {
		t.Fatalf("prompt with image: %v", got)
	}
	chat := UserInput{Messages: []Message{Text(RoleSystem, "be brief"), {Role: RoleUser, Content: []Part{{Text: "a"}, {Text: "b"}}}}}
	text := chat.TemplateMessages(true)
	if len(text) != 2 || text[0]["content"] != "be brief" || text[1]["content"] != "ab" {
		t.Fatalf("text form: %v", text)
	}
}

func TestProcessingResizeImage(t *testing.T) {
	img := media.NewImage(200, 100)
	same, err := Processing{}.ResizeImage(img)
	if err != nil || same != img {
		t.Fatalf("no hint: got %v, %v; want the image itself", same, err)
	}
	out, err := Processing{ResizeWidth: 50, ResizeHeight: 50}.ResizeImage(img)
	if err != nil {
		t.Fatal(err)
	}
	if out.W != 50 || out.H != 25 {
		t.Fatalf("best fit of 200x100 in 50x50 = %dx%d, want 50x25", out.W, out.H)
	}
}

func TestNestedErrorOfSameKindIsNotRepeated(t *testing.T) {
	inner := Errorf(KindImageProcessing, "resize hint %dx%d", 5, 5)
	outer := Errorf(KindImageProcessing, "image 0 (cat.png): %w", inner)
	want := "vlm: image processing: image 0 (cat.png): resize hint 5x5"
	if got := outer.Error(); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	other := Errorf(KindProcessing, "template: %w", inner)
	if got := other.Error(); !strings.Contains(got, "template: vlm: image processing: resize hint") {
		t.Fatalf("a cause of another kind keeps its prefix: %q", got)
	}
}
