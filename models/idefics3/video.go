package idefics3

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// SmolVLM2 video prompt pieces (video_processing_smolvlm).
const (
	videoIntro       = "You are provided the following series of %s frames from a %s [H:MM:SS] video.\n"
	mediaOuttro      = "\n\n"
	frameTimestamp   = "\nFrame from %02d:%02d:"
	defaultVideoFPS  = 1
	defaultMaxFrames = 64
)

// VideoConfig is the SmolVLM video processor configuration: frames are
// sampled at FPS (at most MaxFrames), resized so their longest edge is
// Size.LongestEdge and then squeezed to one max_image_size tile each.
type VideoConfig struct {
	Image     ImageConfig
	FPS       float64
	MaxFrames int
}

// ParseVideoConfig decodes a video processor object (5.x nested
// video_processor, 4.x video_preprocessor_config.json, or a SmolVLM2
// preprocessor_config.json whose sampling lives in video_sampling) over
// the defaults. Frames are never split.
func ParseVideoConfig(raw []byte) (VideoConfig, error) {
	img, err := ParseImageConfig(raw)
	if err != nil {
		return VideoConfig{}, err
	}
	img.DoImageSplitting = false
	v := VideoConfig{Image: img, FPS: defaultVideoFPS, MaxFrames: defaultMaxFrames}
	var s struct {
		Size     *edgeSize `json:"size"`
		FPS      float64   `json:"fps"`
		NumFrame int       `json:"num_frames"`
		Sampling *struct {
			FPS       float64   `json:"fps"`
			MaxFrames int       `json:"max_frames"`
			VideoSize *edgeSize `json:"video_size"`
		} `json:"video_sampling"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return VideoConfig{}, fmt.Errorf("idefics3 video processor config: %w", err)
	}
	if s.FPS > 0 {
		v.FPS = s.FPS
	}
	if s.NumFrame > 0 {
		v.MaxFrames = s.NumFrame
	}
	if s.Sampling != nil {
		if s.Sampling.FPS > 0 {
			v.FPS = s.Sampling.FPS
		}
		if s.Sampling.MaxFrames > 0 {
			v.MaxFrames = s.Sampling.MaxFrames
		}
		// transformers lets a top-level size override video_size.
		if s.Size == nil && s.Sampling.VideoSize != nil && s.Sampling.VideoSize.LongestEdge > 0 {
			v.Image.Size = *s.Sampling.VideoSize
		}
	}
	return v, nil
}

// prepareVideo samples and preprocesses the frames of one video (at the
// configured rate and frame cap unless the user's hints set them) and
// replaces the video placeholder of text with the frame layout.
func (p *Processor) prepareVideo(ctx context.Context, text string, src vlm.VideoSource, hints vlm.Processing) (string, *vlm.ProcessedImage, error) {
	if n := strings.Count(text, p.VideoToken); n != 1 {
		return "", nil, vlm.Errorf(vlm.KindProcessing, "the prompt has %d %s placeholders for one video (does the chat template support videos?)", n, p.VideoToken)
	}
	v := p.Video
	fps, maxFrames := v.FPS, v.MaxFrames
	if hints.FPS > 0 {
		fps = hints.FPS
	}
	if hints.MaxFrames > 0 {
		maxFrames = hints.MaxFrames
	}
	frames, err := src.Load(ctx, media.VideoOptions{
		SamplesPerSecond: fps, MaxFrames: maxFrames,
		Process: func(m *media.Image) (*media.Image, error) {
			t, err := v.Image.Preprocess(m)
			if err != nil {
				return nil, err
			}
			return t.Images[0], nil
		},
	})
	if err != nil {
		return "", nil, err
	}
	if len(frames.Frames) == 0 {
		return "", nil, vlm.Errorf(vlm.KindVideoProcessing, "the video has no frames")
	}
	s := v.Image.MaxImageSize.LongestEdge
	var pixels []float32
	var b strings.Builder
	fmt.Fprintf(&b, videoIntro, numberWords(len(frames.Frames)), hms(int(frames.Duration)))
	single := p.imageLayout(0, 0)
	for _, f := range frames.Frames {
		if f.Image.W != s || f.Image.H != s {
			return "", nil, vlm.Errorf(vlm.KindVideoProcessing, "frame of %dx%d, want %dx%d", f.Image.W, f.Image.H, s, s)
		}
		pixels = append(pixels, v.Image.Pixels(f.Image)...)
		sec := int(f.Time)
		fmt.Fprintf(&b, frameTimestamp, sec/60, sec%60)
		b.WriteString(single)
	}
	b.WriteString(mediaOuttro)
	img := &vlm.ProcessedImage{Pixels: tensor.FromF32(pixels, len(frames.Frames), 3, s, s)}
	return strings.Replace(text, p.VideoToken, b.String(), 1), img, nil
}

// hms formats seconds as Python's str(timedelta(seconds=n)): H:MM:SS.
func hms(n int) string {
	return fmt.Sprintf("%d:%02d:%02d", n/3600, n/60%60, n%60)
}

var (
	smallNumbers = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tensNames = [...]string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
)

// numberWords spells n in English as num2words does ("twenty-one", "one
// hundred and five", "two thousand and ten") for 0 ≤ n < 1,000,000.
func numberWords(n int) string {
	switch {
	case n < 20:
		return smallNumbers[n]
	case n < 100:
		if n%10 == 0 {
			return tensNames[n/10]
		}
		return tensNames[n/10] + "-" + smallNumbers[n%10]
	case n < 1000:
		s := smallNumbers[n/100] + " hundred"
		if n%100 != 0 {
			s += " and " + numberWords(n%100)
		}
		return s
	}
	s := numberWords(n/1000) + " thousand"
	switch r := n % 1000; {
	case r == 0:
	case r < 100:
		s += " and " + numberWords(r)
	default:
		s += ", " + numberWords(r)
	}
	return s
}
