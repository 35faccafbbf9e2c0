package idefics3

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
	"github.com/govlm/govlm/vlm"
)

// Default special-token strings of the Idefics3/SmolVLM processors; a
// tokenizer_config.json may name others.
const (
	defaultFakeImageToken   = "<fake_token_around_image>"
	defaultImageToken       = "<image>"
	defaultGlobalImageToken = "<global-img>"
	defaultVideoToken       = "<video>"
)

// Processor is the Idefics3Processor / SmolVLMProcessor: chat template,
// image tiling and the expansion of every <image> into its tile layout.
type Processor struct {
	Tokenizer *tokenizer.Tokenizer
	Image     ImageConfig
	// Video is the SmolVLM video processor, nil when the checkpoint has
	// none (videos are then rejected).
	Video *VideoConfig
	// ImageSeqLen is the number of <image> tokens per tile.
	ImageSeqLen int
	// Token strings used in the prompt layout.
	FakeImageToken, ImageToken, GlobalImageToken, VideoToken string
}

var _ vlm.UserInputProcessor = (*Processor)(nil)

// NewProcessor builds the processor of a loaded checkpoint: the image (and
// video) processor configuration, image_seq_len from the processor
// configuration (or derived from the model's config) and the special token
// strings from tokenizer_config.json.
func NewProcessor(pc vlm.ProcessorContext) (vlm.UserInputProcessor, error) {
	p := &Processor{
		Tokenizer: pc.Tokenizer, FakeImageToken: defaultFakeImageToken, ImageToken: defaultImageToken,
		GlobalImageToken: defaultGlobalImageToken, VideoToken: defaultVideoToken,
	}
	var imageRaw, videoRaw, procRaw []byte
	if pc.Processor != nil {
		imageRaw, videoRaw, procRaw = pc.Processor.ImageProcessor, pc.Processor.VideoProcessor, pc.Processor.Processor
	}
	var err error
	if p.Image, err = ParseImageConfig(imageRaw); err != nil {
		return nil, err
	}
	if len(videoRaw) == 0 && hasVideoSampling(imageRaw) {
		// SmolVLM2 checkpoints saved by transformers 4.x keep the video
		// settings in preprocessor_config.json.
		videoRaw = imageRaw
	}
	if len(videoRaw) > 0 && pc.ModelType == "smolvlm" {
		v, err := ParseVideoConfig(videoRaw)
		if err != nil {
			return nil, err
		}
		p.Video = &v
	}
	var proc struct {
		ImageSeqLen int `json:"image_seq_len"`
	}
	if len(procRaw) > 0 {
		if err := json.Unmarshal(procRaw, &proc); err != nil {
			return nil, fmt.Errorf("idefics3 processor config: %w", err)
		}
	}
	p.ImageSeqLen = proc.ImageSeqLen
	if p.ImageSeqLen == 0 {
		if m, ok := pc.Model.(*Model); ok {
			p.ImageSeqLen = m.cfg.TokensPerTile()
		} else {
			p.ImageSeqLen = 169 // Idefics3Processor's default
		}
	}
	if err := p.readTokenNames(pc.Dir); err != nil {
		return nil, err
	}
	for _, s := range []string{p.FakeImageToken, p.ImageToken, p.GlobalImageToken} {
		if _, ok := p.Tokenizer.TokenID(s); !ok {
			return nil, fmt.Errorf("idefics3 processor: token %q is not in the vocabulary", s)
		}
	}
	return p, nil
}

// readTokenNames takes fake_image_token, image_token, global_image_token
// and video_token from tokenizer_config.json when it names them.
func (p *Processor) readTokenNames(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("idefics3 processor: %w", err)
	}
	var tc struct {
		Fake   string `json:"fake_image_token"`
		Image  string `json:"image_token"`
		Global string `json:"global_image_token"`
		Video  string `json:"video_token"`
	}
	if err := json.Unmarshal(b, &tc); err != nil {
		return fmt.Errorf("idefics3 processor: tokenizer_config.json: %w", err)
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.FakeImageToken, tc.Fake)
	set(&p.ImageToken, tc.Image)
	set(&p.GlobalImageToken, tc.Global)
	set(&p.VideoToken, tc.Video)
	return nil
}

// Prepare implements vlm.UserInputProcessor.
func (p *Processor) Prepare(ctx context.Context, input vlm.UserInput) (*vlm.LMInput, error) {
	maxVideos := 0
	if p.Video != nil {
		maxVideos = 1
	}
	if err := input.CheckMedia(-1, maxVideos, false); err != nil {
		return nil, err
	}
	text, templated, err := p.render(input)
	if err != nil {
		return nil, err
	}
	out := &vlm.LMInput{}
	sources := input.ImageSources()
	if n := strings.Count(text, p.ImageToken); n != len(sources) {
		return nil, vlm.Errorf(vlm.KindProcessing, "the prompt has %d %s placeholders for %d images", n, p.ImageToken, len(sources))
	}
	if videos := input.VideoSources(); len(videos) > 0 {
		if text, out.Image, err = p.prepareVideo(ctx, text, videos[0], input.Processing); err != nil {
			return nil, err
		}
	} else if len(sources) > 0 {
		if text, out.Image, err = p.prepareImages(ctx, text, sources, input.Processing); err != nil {
			return nil, err
		}
	}
	// A rendered template carries its own special tokens (the BOS); a
	// plain prompt gets the tokenizer's, as the processor call does.
	out.Tokens = p.Tokenizer.Encode(text, !templated)
	return out, nil
}

// render applies the chat template (templated true) or, without one, puts
// an image placeholder per image before the plain prompt.
func (p *Processor) render(input vlm.UserInput) (text string, templated bool, err error) {
	if len(p.Tokenizer.ChatTemplateNames()) == 0 {
		if len(input.Messages) > 0 {
			return "", false, vlm.Errorf(vlm.KindProcessing, "the tokenizer has no chat template for %d messages", len(input.Messages))
		}
		images, _ := input.MediaCounts()
		return strings.Repeat(p.ImageToken, images) + input.Prompt, false, nil
	}
	text, err = p.Tokenizer.ApplyChatTemplate(input.TemplateMessages(false), tokenizer.ChatOptions{
		AddGenerationPrompt: true, Tools: input.Tools, Extra: input.Extra,
	})
	if err != nil {
		return "", false, vlm.Errorf(vlm.KindProcessing, "chat template: %w", err)
	}
	return text, true, nil
}

// prepareImages loads and tiles the images (after the user's resize hint,
// if any), builds the pixel tensor [tiles, 3, S, S] and expands each
// placeholder of text.
func (p *Processor) prepareImages(ctx context.Context, text string, sources []vlm.ImageSource, hints vlm.Processing) (string, *vlm.ProcessedImage, error) {
	opt := media.LoadOptions{}
	if p.Image.DoConvertRGB {
		opt.Alpha = media.AlphaOnWhite
	}
	var (
		pixels   []float32
		tiles    int
		sizes    []media.Size
		layouts  []string
		rowsCols [][2]int
	)
	for i, src := range sources {
		img, err := src.Load(ctx, opt)
		if err != nil {
			return "", nil, err
		}
		sizes = append(sizes, img.Size())
		if img, err = hints.ResizeImage(img); err != nil {
			return "", nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): %w", i, src.Label(), err)
		}
		t, err := p.Image.Preprocess(img)
		if err != nil {
			return "", nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): %w", i, src.Label(), err)
		}
		for _, m := range t.Images {
			pixels = append(pixels, p.Image.Pixels(m)...)
		}
		tiles += len(t.Images)
		rowsCols = append(rowsCols, [2]int{t.Rows, t.Cols})
		layouts = append(layouts, p.imageLayout(t.Rows, t.Cols))
	}
	s := p.Image.MaxImageSize.LongestEdge
	img := &vlm.ProcessedImage{
		Pixels: tensor.FromF32(pixels, tiles, 3, s, s),
		Sizes:  sizes,
		Extra:  map[string]any{"rows_cols": rowsCols},
	}
	return expand(text, p.ImageToken, layouts), img, nil
}

// imageLayout is the prompt string one image becomes.
func (p *Processor) imageLayout(rows, cols int) string {
	tokens := strings.Repeat(p.ImageToken, p.ImageSeqLen)
	global := p.FakeImageToken + p.GlobalImageToken + tokens + p.FakeImageToken
	if rows == 0 && cols == 0 {
		return global
	}
	var b strings.Builder
	for r := 1; r <= rows; r++ {
		for c := 1; c <= cols; c++ {
			fmt.Fprintf(&b, "%s<row_%d_col_%d>%s", p.FakeImageToken, r, c, tokens)
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(global)
	return b.String()
}

// expand replaces the i-th occurrence of placeholder in text with
// layouts[i]; the caller has checked that the counts agree.
func expand(text, placeholder string, layouts []string) string {
	parts := strings.Split(text, placeholder)
	var b strings.Builder
	b.WriteString(parts[0])
	for i, l := range layouts {
		b.WriteString(l)
		b.WriteString(parts[i+1])
	}
	return b.String()
}

// hasVideoSampling reports whether an image processor object carries
// SmolVLM2's video_sampling settings.
func hasVideoSampling(raw []byte) bool {
	var v struct {
		Sampling json.RawMessage `json:"video_sampling"`
	}
	return len(raw) > 0 && json.Unmarshal(raw, &v) == nil && len(v.Sampling) > 0 && string(v.Sampling) != "null"
}
