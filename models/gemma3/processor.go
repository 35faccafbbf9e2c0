package gemma3

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

// Default special-token strings of Gemma3Processor; tokenizer_config.json
// may name others (boi_token, eoi_token, image_token).
const (
	defaultBOIToken   = "<start_of_image>"
	defaultEOIToken   = "<end_of_image>"
	defaultImageToken = "<image_soft_token>"
)

// panAndScanIntro is the text Gemma3Processor puts around an image that has
// pan-and-scan crops: the first %s is the whole image, the crops follow.
const panAndScanIntro = "Here is the original image %s and here are some crops to help you see better "

// Processor is Gemma3Processor: the chat template puts one
// <start_of_image> per image; each becomes
// "\n\n<start_of_image>" + <image_soft_token>×ImageSeqLen +
// "<end_of_image>\n\n", and with pan-and-scan the crops get their own such
// blocks after an introduction.
type Processor struct {
	Tokenizer *tokenizer.Tokenizer
	Image     ImageConfig
	// ImageSeqLen is the number of soft tokens per image
	// (image_seq_length, = mm_tokens_per_image).
	ImageSeqLen int
	// BOIToken, EOIToken and ImageToken are the token strings of the
	// layout.
	BOIToken, EOIToken, ImageToken string
}

var _ vlm.UserInputProcessor = (*Processor)(nil)

// NewProcessor builds the processor of a loaded checkpoint.
func NewProcessor(pc vlm.ProcessorContext) (vlm.UserInputProcessor, error) {
	size, seq := 896, 256
	if m, ok := pc.Model.(*Model); ok {
		size, seq = m.cfg.Vision.ImageSize, m.cfg.MMTokensPerImage
	}
	p := &Processor{Tokenizer: pc.Tokenizer, BOIToken: defaultBOIToken, EOIToken: defaultEOIToken, ImageToken: defaultImageToken}
	var imageRaw, procRaw []byte
	if pc.Processor != nil {
		imageRaw, procRaw = pc.Processor.ImageProcessor, pc.Processor.Processor
	}
	var err error
	if p.Image, err = ParseImageConfig(imageRaw, size); err != nil {
		return nil, err
	}
	var proc struct {
		ImageSeqLength int `json:"image_seq_length"`
	}
	if err := jsonUnmarshalIfAny(procRaw, &proc); err != nil {
		return nil, fmt.Errorf("gemma3 processor config: %w", err)
	}
	p.ImageSeqLen = seq
	if proc.ImageSeqLength > 0 {
		p.ImageSeqLen = proc.ImageSeqLength
	}
	if err := p.readTokenNames(pc.Dir); err != nil {
		return nil, err
	}
	for _, s := range []string{p.BOIToken, p.EOIToken, p.ImageToken} {
		if _, ok := p.Tokenizer.TokenID(s); !ok {
			return nil, fmt.Errorf("gemma3 processor: token %q is not in the vocabulary", s)
		}
	}
	return p, nil
}

func jsonUnmarshalIfAny(raw []byte, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// readTokenNames takes boi_token, eoi_token and image_token from
// tokenizer_config.json when it names them.
func (p *Processor) readTokenNames(dir string) error {
	b, err := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("gemma3 processor: %w", err)
	}
	var tc struct {
		BOI   string `json:"boi_token"`
		EOI   string `json:"eoi_token"`
		Image string `json:"image_token"`
	}
	if err := json.Unmarshal(b, &tc); err != nil {
		return fmt.Errorf("gemma3 processor: tokenizer_config.json: %w", err)
	}
	for _, s := range []struct {
		dst *string
		v   string
	}{{&p.BOIToken, tc.BOI}, {&p.EOIToken, tc.EOI}, {&p.ImageToken, tc.Image}} {
		if s.v != "" {
			*s.dst = s.v
		}
	}
	return nil
}

// Prepare implements vlm.UserInputProcessor. Videos are a
// KindVideoProcessing error.
func (p *Processor) Prepare(ctx context.Context, input vlm.UserInput) (*vlm.LMInput, error) {
	if err := input.CheckMedia(-1, 0, false); err != nil {
		return nil, err
	}
	text, err := p.render(input)
	if err != nil {
		return nil, err
	}
	sources := input.ImageSources()
	if n := strings.Count(text, p.BOIToken); n != len(sources) {
		return nil, vlm.Errorf(vlm.KindProcessing, "the prompt has %d %s placeholders for %d images", n, p.BOIToken, len(sources))
	}
	out := &vlm.LMInput{}
	if len(sources) > 0 {
		if text, out.Image, err = p.prepareImages(ctx, text, sources, input.Processing); err != nil {
			return nil, err
		}
	}
	out.Tokens = p.Tokenizer.Encode(text, false)
	return out, nil
}

// render applies the chat template (or, without one, puts a
// <start_of_image> per image before the plain prompt, after bos).
func (p *Processor) render(input vlm.UserInput) (string, error) {
	if len(p.Tokenizer.ChatTemplateNames()) == 0 {
		if len(input.Messages) > 0 {
			return "", vlm.Errorf(vlm.KindProcessing, "the tokenizer has no chat template for %d messages", len(input.Messages))
		}
		images, _ := input.MediaCounts()
		return p.Tokenizer.BOSToken() + strings.Repeat(p.BOIToken, images) + input.Prompt, nil
	}
	text, err := p.Tokenizer.ApplyChatTemplate(input.TemplateMessages(false), tokenizer.ChatOptions{
		AddGenerationPrompt: true, Tools: input.Tools, Extra: input.Extra,
	})
	if err != nil {
		return "", vlm.Errorf(vlm.KindProcessing, "chat template: %w", err)
	}
	return text, nil
}

// prepareImages loads the images (and their pan-and-scan crops), builds
// the pixel tensor [images+crops, 3, S, S] (each image followed by its
// crops) and expands the placeholders of text. The request's hints may
// resize the images first and switch pan-and-scan on or off.
func (p *Processor) prepareImages(ctx context.Context, text string, sources []vlm.ImageSource, hints vlm.Processing) (string, *vlm.ProcessedImage, error) {
	panAndScan := p.Image.DoPanAndScan
	if hints.PanAndScan != nil {
		panAndScan = *hints.PanAndScan
	}
	var (
		pixels []float32
		count  int
		sizes  []media.Size
		crops  []int
	)
	for i, src := range sources {
		img, err := p.Image.Load(ctx, src)
		if err != nil {
			return "", nil, err
		}
		if img, err = hints.ResizeImage(img); err != nil {
			return "", nil, err
		}
		sizes = append(sizes, img.Size())
		views := []*media.Image{img}
		if panAndScan {
			c, err := p.Image.PanAndScan(img)
			if err != nil {
				return "", nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): pan and scan: %w", i, src.Label(), err)
			}
			views = append(views, c...)
		}
		crops = append(crops, len(views)-1)
		for _, v := range views {
			px, err := p.Image.Pixels(v)
			if err != nil {
				return "", nil, vlm.Errorf(vlm.KindImageProcessing, "image %d (%s): %w", i, src.Label(), err)
			}
			pixels = append(pixels, px...)
			count++
		}
	}
	s := p.Image.Size
	img := &vlm.ProcessedImage{
		Pixels: tensor.FromF32(pixels, count, 3, s.Height, s.Width),
		Sizes:  sizes,
		Extra:  map[string]any{"num_crops": crops},
	}
	return p.expand(text, crops), img, nil
}

// expand writes the pan-and-scan introduction for images with crops, then
// replaces every <start_of_image> with the full image block.
func (p *Processor) expand(text string, crops []int) string {
	parts := strings.Split(text, p.BOIToken)
	var b strings.Builder
	b.WriteString(parts[0])
	for i, n := range crops {
		if n > 0 {
			fmt.Fprintf(&b, panAndScanIntro, p.BOIToken)
			b.WriteString(strings.TrimSuffix(strings.Repeat(p.BOIToken+" ", n), " "))
		} else {
			b.WriteString(p.BOIToken)
		}
		b.WriteString(parts[i+1])
	}
	block := "\n\n" + p.BOIToken + strings.Repeat(p.ImageToken, p.ImageSeqLen) + p.EOIToken + "\n\n"
	return strings.ReplaceAll(b.String(), p.BOIToken, block)
}
