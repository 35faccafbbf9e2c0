package paligemma

import (
	"context"
	"math"

	"github.com/govlm/govlm/models/gemma"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Projector is PaliGemmaMultiModalProjector: one biased Linear from the
// tower's width to the text width.
type Projector struct {
	Linear *nn.Linear `nn:"linear"`
}

// Model is PaliGemmaForConditionalGeneration.
type Model struct {
	Text      *gemma.TextModel    `nn:"language_model.model"`
	Head      *nn.Linear          `nn:"language_model.lm_head,alt:language_model.model.embed_tokens"`
	Vision    *siglip.VisionModel `nn:"vision_tower.vision_model"`
	Projector *Projector          `nn:"multi_modal_projector"`

	cfg Config
}

var (
	_ vlm.VLMModel  = (*Model)(nil)
	_ vlm.LoRAModel = (*Model)(nil)
)

// New returns an unbound model for c.
func New(c *Config) (*Model, error) {
	text, err := gemma.NewTextModel(&c.Text)
	if err != nil {
		return nil, err
	}
	vision, err := siglip.New(c.Vision)
	if err != nil {
		return nil, err
	}
	return &Model{
		Text: text, Vision: vision,
		Projector: &Projector{Linear: nn.NewLinear(c.Vision.HiddenSize, c.ProjectionDim, true)},
		Head:      nn.NewLinear(c.Text.HiddenSize, c.Text.VocabSize, false),
		cfg:       *c,
	}, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// MediaSupport implements vlm.VLMModel: one image, no video.
func (m *Model) MediaSupport() vlm.MediaSupport { return vlm.MediaSupport{MaxImages: 1} }

// ImageFeatures runs the tower and the projector over pixels
// [images, 3, S, S] and returns the rows the language model receives at the
// <image> positions: the projected features divided by √hidden,
// [images·patches, textHidden].
func (m *Model) ImageFeatures(pixels *tensor.Tensor) (*tensor.Tensor, error) {
	v := m.cfg.Vision
	if pixels.Rank() != 4 || pixels.Dim(1) != v.NumChannels || pixels.Dim(2) != v.ImageSize || pixels.Dim(3) != v.ImageSize {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "pixel values of shape %v, want [images %d %d %d]",
			pixels.Shape(), v.NumChannels, v.ImageSize, v.ImageSize)
	}
	n, per, d := pixels.Dim(0), v.NumPatches(), m.cfg.Text.HiddenSize
	out := tensor.New(n*per, d)
	norm := float32(math.Sqrt(float64(d))) // divided, as transformers does
	for i := range n {
		h, err := m.Vision.Forward(pixels.Slice(0, i, i+1).Reshape(v.NumChannels, v.ImageSize, v.ImageSize))
		if err != nil {
			out.Release()
			return nil, vlm.Errorf(vlm.KindImageProcessing, "image %d: %w", i, err)
		}
		f := m.Projector.Linear.Forward(h)
		h.Release()
		fd := f.Data()
		for j := range fd {
			fd[j] /= norm
		}
		copy(out.Data()[i*per*d:], fd)
		f.Release()
	}
	return out, nil
}

// embed returns the unscaled prompt embeddings with the image rows written
// over the <image> positions.
func (m *Model) embed(input *vlm.LMInput) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(input.Tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindProcessing, "prompt: %w", err)
	}
	var slots []int
	for i, t := range input.Tokens {
		if t == m.cfg.ImageTokenID {
			slots = append(slots, i)
		}
	}
	if input.Image == nil || input.Image.Pixels == nil {
		if len(slots) > 0 {
			h.Release()
			return nil, vlm.Errorf(vlm.KindImageRequired, "the prompt has %d image tokens but no pixels", len(slots))
		}
		return h, nil
	}
	feats, err := m.ImageFeatures(input.Image.Pixels)
	if err != nil {
		h.Release()
		return nil, err
	}
	defer feats.Release()
	if feats.Dim(0) != len(slots) {
		h.Release()
		return nil, vlm.Errorf(vlm.KindProcessing, "%d image features for %d image tokens", feats.Dim(0), len(slots))
	}
	d := h.Dim(1)
	hd, fd := h.Data(), feats.Data()
	for j, pos := range slots {
		copy(hd[pos*d:(pos+1)*d], fd[j*d:(j+1)*d])
	}
	return h, nil
}

// prefixMask lets every prompt position see every other: the prompt ends
// at absolute position end (exclusive).
func prefixMask(end int) nn.MaskFunc {
	return func(q, k int) bool { return k < end }
}

// Prepare implements vlm.LanguageModel: the image and the prefix attend to
// each other bidirectionally, so the whole prompt runs in one pass (step is
// not used) and the logits of its last position are returned.
func (m *Model) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	n := len(input.Tokens)
	if n == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	if err := ctx.Err(); err != nil {
		return vlm.PrepareResult{}, err
	}
	h, err := m.embed(input)
	if err != nil {
		return vlm.PrepareResult{}, err
	}
	out := m.Text.Forward(h, caches, prefixMask(caches[0].Offset()+n))
	defer out.Release()
	return vlm.PrepareResult{Logits: m.Head.Forward(out.Slice(0, n-1, n))}, nil
}

// Forward implements vlm.LanguageModel for generated (causal) tokens:
// logits F32 [len(tokens), vocab].
func (m *Model) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	out := m.Text.Forward(h, caches, nil)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// ForwardInput runs a whole prompt with its image (bidirectional prefix)
// and returns the logits of every position; for tests and scoring.
func (m *Model) ForwardInput(input *vlm.LMInput, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.embed(input)
	if err != nil {
		return nil, err
	}
	out := m.Text.Forward(h, caches, prefixMask(caches[0].Offset()+len(input.Tokens)))
	defer out.Release()
	return m.Head.Forward(out), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *Model) NewCaches(params vlm.GenerateParameters) []nn.Cache {
	return vlm.DefaultCaches(len(m.Text.Layers), params)
}

// KVHeads implements vlm.LanguageModel.
func (m *Model) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel: the decoder's projections.
func (m *Model) LoRATargets() []vlm.LoRATarget { return m.Text.LoRATargets("language_model.model.") }
