package gemma3

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/internal/reftest"
	"github.com/govlm/govlm/vlm"
)

// TestPanAndScanCrops checks the crop grid against Gemma3ImageProcessor's
// arithmetic.
func TestPanAndScanCrops(t *testing.T) {
	c := DefaultImageConfig(896)
	c.PanAndScanMinCropSize = 16
	for _, tc := range []struct {
		w, h         int
		n, cropW, cH int
	}{
		{96, 60, 2, 48, 60},   // ratio 1.6 → 2 crops
		{60, 96, 2, 60, 48},   // portrait
		{100, 90, 0, 0, 0},    // ratio below 1.2
		{400, 50, 4, 100, 50}, // ratio 8 → capped at 4
		{64, 20, 3, 22, 20},   // ratio 3.2 → 3 crops of ceil(64/3)
		{50, 16, 3, 17, 16},   // the last crop is 16 wide
		{40, 10, 0, 0, 0},     // crops 10 high are below the 16 minimum
	} {
		crops, err := c.PanAndScan(media.NewImage(tc.w, tc.h))
		if err != nil {
			t.Fatal(err)
		}
		if len(crops) != tc.n {
			t.Errorf("%dx%d: %d crops, want %d", tc.w, tc.h, len(crops), tc.n)
			continue
		}
		if tc.n > 0 && (crops[0].W != tc.cropW || crops[0].H != tc.cH) {
			t.Errorf("%dx%d: first crop %dx%d, want %dx%d", tc.w, tc.h, crops[0].W, crops[0].H, tc.cropW, tc.cH)
		}
	}
}

func TestExpand(t *testing.T) {
	p := &Processor{BOIToken: "<boi>", EOIToken: "<eoi>", ImageToken: "<img>", ImageSeqLen: 2}
	got := p.expand("a<boi>b<boi>c", []int{0, 2})
	block := "\n\n<boi><img><img><eoi>\n\n"
	want := "a" + block + "b" + "Here is the original image " + block + " and here are some crops to help you see better " +
		block + " " + block + "c"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestMediaErrors checks the typed errors of inputs Gemma 3 cannot take.
func TestMediaErrors(t *testing.T) {
	f := reftest.Load(t, "gemma3")
	mc := f.LoadModel(t, endOfTurn)
	img := vlm.ImageSource{Path: filepath.Join(f.Root, "testdata", "images", "astronaut_64x48.png")}
	for _, tc := range []struct {
		name string
		in   vlm.UserInput
		want error
	}{
		{"video", vlm.UserInput{Prompt: "hi", Videos: []vlm.VideoSource{{Path: "clip.mp4"}}}, vlm.ErrVideoProcessing},
		{"missing file", vlm.UserInput{Prompt: "hi", Images: []vlm.ImageSource{{Path: "/nonexistent.png"}}}, vlm.ErrImageProcessing},
		{"template error", vlm.UserInput{Messages: []vlm.Message{vlm.Text("assistant", "x")}}, vlm.ErrProcessing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := mc.Processor.Prepare(context.Background(), tc.in)
			var ve *vlm.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &ve) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// Pixels without image tokens, and image tokens without pixels.
	m := mc.Model.(*Model)
	in, err := mc.Processor.Prepare(context.Background(), vlm.UserInput{Prompt: "look", Images: []vlm.ImageSource{img}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mc.Tokenizer.Decode(in.Tokens, false), "<start_of_image>") {
		t.Errorf("prompt without the image block: %q", mc.Tokenizer.Decode(in.Tokens, false))
	}
	noPixels := &vlm.LMInput{Tokens: in.Tokens}
	if _, err := m.Prepare(context.Background(), noPixels, m.NewCaches(vlm.GenerateParameters{}), 0); !errors.Is(err, vlm.ErrImageRequired) {
		t.Errorf("image tokens without pixels: got %v", err)
	}
}
