package vlm

import (
	"context"
	"errors"
	"fmt"

	"github.com/govlm/govlm/media"
)

// Load decodes the image, reading it from its path, URL or bytes as needed.
// Failures are KindImageProcessing *Error values naming the source.
func (s ImageSource) Load(ctx context.Context, opt media.LoadOptions) (*media.Image, error) {
	var (
		img *media.Image
		err error
	)
	switch {
	case s.Image != nil:
		if err := checkPixels(s.Image); err != nil {
			return nil, Errorf(KindImageProcessing, "%s: %w", s.Label(), err)
		}
		return s.Image, nil
	case s.Bytes != nil:
		img, err = media.DecodeBytes(s.Bytes, "image bytes", opt.DecodeOptions)
	case s.Path != "":
		img, err = media.Load(ctx, s.Path, opt)
	case s.URL != "":
		img, err = media.Load(ctx, s.URL, opt)
	default:
		return nil, Errorf(KindImageProcessing, "empty image source")
	}
	if err != nil {
		return nil, Errorf(KindImageProcessing, "loading %s: %w", s.Label(), err)
	}
	return img, nil
}

// Label names the image in messages: its path, its URL (long ones cut to
// 60 characters) or "image bytes" / "decoded image".
func (s ImageSource) Label() string {
	switch {
	case s.Path != "":
		return s.Path
	case s.URL != "":
		if len(s.URL) > 64 {
			return s.URL[:60] + "…"
		}
		return s.URL
	case s.Image != nil:
		return "decoded image"
	}
	return "image bytes"
}

// checkPixels reports a decoded image the caller built by hand whose
// pixels do not fill its size (nil, a negative side, a short Pix).
func checkPixels(m *media.Image) error {
	switch {
	case m == nil:
		return errors.New("nil image")
	case m.W < 0 || m.H < 0:
		return fmt.Errorf("negative size %dx%d", m.W, m.H)
	case len(m.Pix) < 3*m.W*m.H:
		return fmt.Errorf("%dx%d image has %d pixel bytes, want %d (RGB)", m.W, m.H, len(m.Pix), 3*m.W*m.H)
	}
	return nil
}

// Load samples the video's frames (decoding a path or URL through ffmpeg,
// or taking the given frames as they are, timed by FrameTimes or at 1 fps).
// opt.Process is applied to given frames too. Failures are
// KindVideoProcessing *Error values.
func (s VideoSource) Load(ctx context.Context, opt media.VideoOptions) (*media.ProcessedFrames, error) {
	if len(s.Frames) > 0 {
		if len(s.FrameTimes) != 0 && len(s.FrameTimes) != len(s.Frames) {
			return nil, Errorf(KindVideoProcessing, "%d frames but %d frame times", len(s.Frames), len(s.FrameTimes))
		}
		out := &media.ProcessedFrames{}
		for i, f := range s.Frames {
			if err := checkPixels(f); err != nil {
				return nil, Errorf(KindVideoProcessing, "frame %d: %w", i, err)
			}
			at := float64(i)
			if len(s.FrameTimes) > 0 {
				at = s.FrameTimes[i]
			}
			if opt.Process != nil {
				var err error
				if f, err = opt.Process(f); err != nil {
					return nil, Errorf(KindVideoProcessing, "frame %d: %w", i, err)
				}
			}
			out.Frames = append(out.Frames, media.VideoFrame{Image: f, Time: at})
			out.Duration = max(out.Duration, at)
		}
		return out, nil
	}
	src := s.Path
	if src == "" {
		src = s.URL
	}
	if src == "" {
		return nil, Errorf(KindVideoProcessing, "empty video source")
	}
	frames, err := media.LoadVideo(ctx, src, opt)
	if err != nil {
		return nil, Errorf(KindVideoProcessing, "loading %s: %w", src, err)
	}
	return frames, nil
}

// ImageSources returns the input's images in prompt order: those of
// Images (a plain prompt) or of the message parts.
func (u *UserInput) ImageSources() []ImageSource {
	out := append([]ImageSource(nil), u.Images...)
	for _, m := range u.Messages {
		for _, p := range m.Content {
			if p.Image != nil {
				out = append(out, *p.Image)
			}
		}
	}
	return out
}

// VideoSources returns the input's videos in prompt order.
func (u *UserInput) VideoSources() []VideoSource {
	out := append([]VideoSource(nil), u.Videos...)
	for _, m := range u.Messages {
		for _, p := range m.Content {
			if p.Video != nil {
				out = append(out, *p.Video)
			}
		}
	}
	return out
}
