package qwen2vl

import (
	"context"
	"fmt"
	"strings"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
	"github.com/govlm/govlm/vlm"
)

// defaultVideoFPS is the frame rate transformers' Qwen2.5-VL processor
// assumes for frames given without metadata (second_per_grid_ts =
// temporal_patch_size / fps).
const defaultVideoFPS = 24

// samplingFPS is the rate videos read from files are sampled at unless the
// request says otherwise (Qwen2-VL's video processor default fps 2).
const samplingFPS = 2

// Processor is the Qwen2VLProcessor / Qwen2_5_VLProcessor: the chat
// template, image and video preprocessing into flattened patches, and the
// expansion of every <|image_pad|> (<|video_pad|>) into one placeholder per
// merged patch.
type Processor struct {
	Tokenizer *tokenizer.Tokenizer
	Image     ImageConfig
	Video     ImageConfig
	Config    *Config
	// ImagePad and VideoPad are the placeholder token strings (from the
	// config's image_token_id / video_token_id).
	ImagePad, VideoPad string
}

var _ vlm.UserInputProcessor = (*Processor)(nil)

// NewProcessor builds the processor of a loaded checkpoint from its image
// and video processor configurations (either layout; without a video
// configuration videos use the image settings, as transformers 4.x did) and
// the placeholder tokens named by config.json.
func NewProcessor(pc vlm.ProcessorContext) (vlm.UserInputProcessor, error) {
	cfg, err := ParseConfig(pc.ModelConfig)
	if err != nil {
		return nil, err
	}
	var imageRaw, videoRaw []byte
	if pc.Processor != nil {
		imageRaw, videoRaw = pc.Processor.ImageProcessor, pc.Processor.VideoProcessor
	}
	p := &Processor{Tokenizer: pc.Tokenizer, Config: cfg}
	if p.Image, err = ParseImageConfig(imageRaw, false); err != nil {
		return nil, err
	}
	if len(videoRaw) > 0 {
		if p.Video, err = ParseImageConfig(videoRaw, true); err != nil {
			return nil, err
		}
	} else {
		p.Video = p.Image
	}
	if p.Image.MergeSize != cfg.Vision.SpatialMergeSize || p.Image.PatchSize != cfg.Vision.PatchSize ||
		p.Image.TemporalPatches != cfg.Vision.TemporalPatchSize {
		return nil, &ProcessorConfigError{Field: "patch_size/merge_size/temporal_patch_size", Reason: fmt.Sprintf(
			"processor %d/%d/%d differs from the vision config %d/%d/%d", p.Image.PatchSize, p.Image.MergeSize,
			p.Image.TemporalPatches, cfg.Vision.PatchSize, cfg.Vision.SpatialMergeSize, cfg.Vision.TemporalPatchSize)}
	}
	for _, t := range []struct {
		id  int32
		dst *string
	}{{cfg.ImageTokenID, &p.ImagePad}, {cfg.VideoTokenID, &p.VideoPad}} {
		s := pc.Tokenizer.Token(t.id)
		if s == "" {
			return nil, fmt.Errorf("qwen2-vl processor: token id %d is not in the vocabulary", t.id)
		}
		*t.dst = s
	}
	return p, nil
}

// Prepare implements vlm.UserInputProcessor. Pixel hints with MinPixels
// above MaxPixels are a KindImageProcessing error.
func (p *Processor) Prepare(ctx context.Context, input vlm.UserInput) (*vlm.LMInput, error) {
	if err := input.CheckMedia(-1, -1, true); err != nil {
		return nil, err
	}
	if h := input.Processing; h.MinPixels > 0 && h.MaxPixels > 0 && h.MinPixels > h.MaxPixels {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "min pixels %d > max pixels %d", h.MinPixels, h.MaxPixels)
	}
	text, err := p.render(input)
	if err != nil {
		return nil, err
	}
	out := &vlm.LMInput{}
	unit := p.Image.MergeSize * p.Image.MergeSize
	if sources := input.ImageSources(); len(sources) > 0 || strings.Contains(text, p.ImagePad) {
		img, err := p.images(ctx, sources, input.Processing)
		if err != nil {
			return nil, err
		}
		if text, err = expand(text, p.ImagePad, img.Grids, unit, "image"); err != nil {
			return nil, err
		}
		if len(sources) > 0 {
			out.Image = img
		}
	}
	if sources := input.VideoSources(); len(sources) > 0 || strings.Contains(text, p.VideoPad) {
		vid, err := p.videos(ctx, sources, input.Processing)
		if err != nil {
			out.Release()
			return nil, err
		}
		if text, err = expand(text, p.VideoPad, vid.Grids, unit, "video"); err != nil {
			out.Release()
			return nil, err
		}
		if len(sources) > 0 {
			out.Video = vid
		}
	}
	out.Tokens = p.Tokenizer.Encode(text, true)
	return out, nil
}

// render applies the chat template; without one, the plain prompt gets a
// vision block per image and video in front.
func (p *Processor) render(input vlm.UserInput) (string, error) {
	if len(p.Tokenizer.ChatTemplateNames()) == 0 {
		if len(input.Messages) > 0 {
			return "", vlm.Errorf(vlm.KindProcessing, "the tokenizer has no chat template for %d messages", len(input.Messages))
		}
		start, end := p.Tokenizer.Token(p.Config.VisionStartTokenID), p.Tokenizer.Token(p.Config.VisionEndTokenID)
		images, videos := input.MediaCounts()
		return strings.Repeat(start+p.ImagePad+end, images) + strings.Repeat(start+p.VideoPad+end, videos) + input.Prompt, nil
	}
	text, err := p.Tokenizer.ApplyChatTemplate(input.TemplateMessages(false), tokenizer.ChatOptions{
		AddGenerationPrompt: true, Tools: input.Tools, Extra: input.Extra,
	})
	if err != nil {
		return "", vlm.Errorf(vlm.KindProcessing, "chat template: %w", err)
	}
	return text, nil
}

// pixelLimits returns the pixel bounds of c, overridden by the request.
func pixelLimits(c *ImageConfig, hint vlm.Processing) (lo, hi int) {
	lo, hi = c.MinPixels, c.MaxPixels
	if hint.MinPixels > 0 {
		lo = hint.MinPixels
	}
	if hint.MaxPixels > 0 {
		hi = hint.MaxPixels
	}
	return lo, max(lo, hi)
}

// images loads and preprocesses the images into one pixel tensor.
func (p *Processor) images(ctx context.Context, sources []vlm.ImageSource, hint vlm.Processing) (*vlm.ProcessedImage, error) {
	opt := media.LoadOptions{}
	if p.Image.DoConvertRGB {
		opt.Alpha = media.AlphaOnWhite
	}
	lo, hi := pixelLimits(&p.Image, hint)
	out := &vlm.ProcessedImage{}
	var pixels []float32
	for i, src := range sources {
		img, err := src.Load(ctx, opt)
		if err != nil {
			return nil, err
		}
		out.Sizes = append(out.Sizes, img.Size())
		if img, err = hint.ResizeImage(img); err != nil {
			return nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): %w", i, src.Label(), err)
		}
		rows, g, err := p.Image.PreprocessImage(img, lo, hi)
		if err != nil {
			return nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): %w", i, src.Label(), err)
		}
		pixels = append(pixels, rows...)
		out.Grids = append(out.Grids, vlm.THW{T: g[0], H: g[1], W: g[2]})
	}
	dim := 3 * p.Image.TemporalPatches * p.Image.PatchSize * p.Image.PatchSize
	out.Pixels = tensor.FromF32(pixels, len(pixels)/dim, dim)
	return out, nil
}

// videos loads and preprocesses the videos into one pixel tensor, with
// the seconds each temporal grid step spans.
func (p *Processor) videos(ctx context.Context, sources []vlm.VideoSource, hint vlm.Processing) (*vlm.ProcessedVideo, error) {
	fps := hint.FPS
	if fps <= 0 {
		fps = samplingFPS
	}
	lo, hi := pixelLimits(&p.Video, hint)
	out := &vlm.ProcessedVideo{}
	var pixels []float32
	for i, src := range sources {
		frames, err := src.Load(ctx, media.VideoOptions{SamplesPerSecond: fps, MaxFrames: hint.MaxFrames})
		if err != nil {
			return nil, err
		}
		imgs := make([]*media.Image, len(frames.Frames))
		for j, f := range frames.Frames {
			if imgs[j], err = hint.ResizeImage(f.Image); err != nil {
				return nil, vlm.Errorf(vlm.KindVideoProcessing, "video %d frame %d: %w", i, j, err)
			}
		}
		rows, g, err := p.Video.PreprocessVideo(imgs, lo, hi)
		if err != nil {
			return nil, vlm.Errorf(vlm.KindVideoProcessing, "video %d: %w", i, err)
		}
		pixels = append(pixels, rows...)
		out.Grids = append(out.Grids, vlm.THW{T: g[0], H: g[1], W: g[2]})
		out.SecondsPerGrid = append(out.SecondsPerGrid, float64(p.Video.TemporalPatches)/videoFPS(src, fps))
	}
	dim := 3 * p.Video.TemporalPatches * p.Video.PatchSize * p.Video.PatchSize
	out.Pixels = tensor.FromF32(pixels, len(pixels)/dim, dim)
	return out, nil
}

// videoFPS is the frame rate of the sampled frames: the sampling rate for
// decoded files, the rate implied by FrameTimes for given frames, and
// transformers' default 24 for frames given without times.
func videoFPS(src vlm.VideoSource, sampled float64) float64 {
	if len(src.Frames) == 0 {
		return sampled
	}
	if n := len(src.FrameTimes); n > 1 {
		if span := src.FrameTimes[n-1] - src.FrameTimes[0]; span > 0 {
			return float64(n-1) / span
		}
	}
	return defaultVideoFPS
}

// expand replaces the i-th placeholder of text with grids[i].Product()/unit
// copies of it. A count that differs from the number of grids is a
// KindProcessing error.
func expand(text, pad string, grids []vlm.THW, unit int, what string) (string, error) {
	parts := strings.Split(text, pad)
	if len(parts)-1 != len(grids) {
		return "", vlm.Errorf(vlm.KindProcessing, "the prompt has %d %s placeholders for %d %ss", len(parts)-1, pad, len(grids), what)
	}
	var b strings.Builder
	b.WriteString(parts[0])
	for i, g := range grids {
		b.WriteString(strings.Repeat(pad, g.Product()/unit))
		b.WriteString(parts[i+1])
	}
	return b.String(), nil
}
