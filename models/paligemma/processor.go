package paligemma

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/govlm/govlm/media"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/tokenizer"
	"github.com/govlm/govlm/vlm"
)

const defaultImageToken = "<image>"

// Processor is PaliGemmaProcessor: a fixed bicubic resize of the image and
// the prompt "<image>×ImageSeqLen <bos> prompt \n", with no chat template.
type Processor struct {
	Tokenizer *tokenizer.Tokenizer
	Image     siglip.ImageConfig
	// ImageSeqLen is the number of <image> tokens (image_seq_length).
	ImageSeqLen int
	// ImageToken is the placeholder's string.
	ImageToken string
}

var _ vlm.UserInputProcessor = (*Processor)(nil)

// NewProcessor builds the processor of a loaded checkpoint.
func NewProcessor(pc vlm.ProcessorContext) (vlm.UserInputProcessor, error) {
	size, seq := 224, 256
	if m, ok := pc.Model.(*Model); ok {
		size, seq = m.cfg.Vision.ImageSize, m.cfg.ImageSeqLen()
	}
	p := &Processor{Tokenizer: pc.Tokenizer, ImageToken: defaultImageToken, ImageSeqLen: seq}
	var imageRaw, procRaw []byte
	if pc.Processor != nil {
		imageRaw, procRaw = pc.Processor.ImageProcessor, pc.Processor.Processor
	}
	var err error
	if p.Image, err = siglip.ParseImageConfig(imageRaw, siglip.DefaultImageConfig(size, media.Bicubic)); err != nil {
		return nil, err
	}
	for _, raw := range [][]byte{procRaw, imageRaw} {
		var v struct {
			ImageSeqLength int `json:"image_seq_length"`
		}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, fmt.Errorf("paligemma processor config: %w", err)
			}
		}
		if v.ImageSeqLength > 0 {
			p.ImageSeqLen = v.ImageSeqLength
			break
		}
	}
	if b, err := os.ReadFile(filepath.Join(pc.Dir, "tokenizer_config.json")); err == nil {
		var tc struct {
			Image string `json:"image_token"`
		}
		if err := json.Unmarshal(b, &tc); err != nil {
			return nil, fmt.Errorf("paligemma processor: tokenizer_config.json: %w", err)
		}
		if tc.Image != "" {
			p.ImageToken = tc.Image
		}
	}
	if _, ok := p.Tokenizer.TokenID(p.ImageToken); !ok {
		return nil, fmt.Errorf("paligemma processor: token %q is not in the vocabulary", p.ImageToken)
	}
	if p.Tokenizer.BOSToken() == "" {
		return nil, fmt.Errorf("paligemma processor: the tokenizer has no bos token")
	}
	return p, nil
}

// promptText returns the text of the request: the plain prompt, or the text
// of its single user message (PaliGemma has no chat template).
func promptText(input vlm.UserInput) (string, error) {
	if len(input.Messages) == 0 {
		return input.Prompt, nil
	}
	if len(input.Messages) > 1 || input.Messages[0].Role != vlm.RoleUser {
		return "", vlm.Errorf(vlm.KindProcessing, "PaliGemma has no chat template: pass one user message or a plain prompt (got %d messages)", len(input.Messages))
	}
	var parts []string
	for _, p := range input.Messages[0].Content {
		if p.Kind() == "text" && p.Text != "" {
			parts = append(parts, p.Text)
		}
	}
	return strings.Join(parts, " "), nil
}

// Prepare implements vlm.UserInputProcessor. PaliGemma needs exactly one
// image: none is a KindImageRequired error, two a KindSingleImageAllowed
// one, a video a KindVideoProcessing one.
func (p *Processor) Prepare(ctx context.Context, input vlm.UserInput) (*vlm.LMInput, error) {
	if err := input.CheckMedia(1, 0, false); err != nil {
		return nil, err
	}
	sources := input.ImageSources()
	if len(sources) == 0 {
		return nil, vlm.Errorf(vlm.KindImageRequired, "PaliGemma needs an image")
	}
	prompt, err := promptText(input)
	if err != nil {
		return nil, err
	}
	img, err := p.Image.Load(ctx, sources[0])
	if err != nil {
		return nil, err
	}
	if img, err = input.Processing.ResizeImage(img); err != nil {
		return nil, err
	}
	pixels, err := p.Image.Pixels(img)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "image 0 (%s): %w", sources[0].Label(), err)
	}
	s := p.Image.Size
	return &vlm.LMInput{
		Tokens: p.Tokenizer.Encode(p.Layout(prompt, 1), false),
		Image: &vlm.ProcessedImage{
			Pixels: tensor.FromF32(pixels, 1, 3, s.Height, s.Width),
			Sizes:  []media.Size{img.Size()},
		},
	}, nil
}

// Layout returns the prompt string for images images: the placeholders,
// bos, the prompt and a newline. A prompt that already holds placeholders
// has each expanded to ImageSeqLen tokens and bos inserted after the last
// run, as PaliGemmaProcessor does.
func (p *Processor) Layout(prompt string, images int) string {
	bos := p.Tokenizer.BOSToken()
	run := strings.Repeat(p.ImageToken, p.ImageSeqLen)
	if !strings.Contains(prompt, p.ImageToken) {
		return strings.Repeat(run, images) + bos + prompt + "\n"
	}
	s := strings.ReplaceAll(prompt, p.ImageToken, run)
	at := strings.LastIndex(s, run) + len(run)
	return s[:at] + bos + s[at:] + "\n"
}
