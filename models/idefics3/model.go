package idefics3

import (
	"context"

	"github.com/govlm/govlm/models/llama"
	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Model is Idefics3ForConditionalGeneration / SmolVLMForConditionalGeneration:
// SigLIP tower, pixel-shuffle connector and a Llama decoder whose <image>
// embeddings are replaced by the projected tile features. The tower is
// siglip.VisionModel (SigLIP without its pooling head). Tiles are always
// complete (the processor resizes and splits images into whole tiles), so
// every patch is real and position ids run 0…n−1, as transformers computes
// them for an unpadded tile.
type Model struct {
	Text      *llama.TextModel    `nn:"model.text_model"`
	Vision    *siglip.VisionModel `nn:"model.vision_model"`
	Connector *Connector          `nn:"model.connector"`
	Head      *nn.Linear          `nn:"lm_head,alt:model.text_model.embed_tokens"`

	cfg Config
}

var (
	_ vlm.VLMModel  = (*Model)(nil)
	_ vlm.LoRAModel = (*Model)(nil)
)

// New returns an unbound model for c.
func New(c *Config) (*Model, error) {
	text, err := llama.NewTextModel(&c.Text)
	if err != nil {
		return nil, err
	}
	vision, err := siglip.New(c.Vision)
	if err != nil {
		return nil, err
	}
	return &Model{
		Text: text, Vision: vision, Connector: NewConnector(c),
		Head: nn.NewLinear(c.Text.HiddenSize, c.Text.VocabSize, false),
		cfg:  *c,
	}, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// MediaSupport implements vlm.VLMModel: any number of images; SmolVLM also
// takes one video (as frames), never together with images.
func (m *Model) MediaSupport() vlm.MediaSupport {
	s := vlm.MediaSupport{MaxImages: -1}
	if m.cfg.ModelType == "smolvlm" {
		s.MaxVideos = 1
	}
	return s
}

// ImageFeatures runs the tower and the connector over pixels
// [tiles, 3, S, S] and returns the projected features
// [tiles·TokensPerTile, textHidden], tile after tile.
func (m *Model) ImageFeatures(pixels *tensor.Tensor) (*tensor.Tensor, error) {
	s := m.cfg.Vision.ImageSize
	if pixels.Rank() != 4 || pixels.Dim(1) != m.cfg.Vision.NumChannels || pixels.Dim(2) != s || pixels.Dim(3) != s {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "pixel values of shape %v, want [tiles %d %d %d] (is max_image_size the tower's image_size?)",
			pixels.Shape(), m.cfg.Vision.NumChannels, s, s)
	}
	tiles := pixels.Dim(0)
	per := m.cfg.TokensPerTile()
	out := tensor.New(tiles*per, m.cfg.Text.HiddenSize)
	for i := range tiles {
		h, err := m.Vision.Forward(pixels.Slice(0, i, i+1).Reshape(pixels.Dim(1), s, s))
		if err != nil {
			out.Release()
			return nil, vlm.Errorf(vlm.KindImageProcessing, "tile %d: %w", i, err)
		}
		f := m.Connector.Forward(h)
		h.Release()
		copy(out.Data()[i*per*f.Dim(1):], f.Data())
		f.Release()
	}
	return out, nil
}

// embed returns the prompt embeddings with the image features written over
// the <image> positions in order.
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
	var pixels *tensor.Tensor
	if input.Image != nil {
		pixels = input.Image.Pixels
	}
	if input.Video != nil && pixels == nil {
		pixels = input.Video.Pixels
	}
	if pixels == nil {
		if len(slots) > 0 {
			h.Release()
			return nil, vlm.Errorf(vlm.KindImageRequired, "the prompt has %d image tokens but no pixels", len(slots))
		}
		return h, nil
	}
	feats, err := m.ImageFeatures(pixels)
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

// Prepare implements vlm.LanguageModel: it merges the image features into
// the prompt embeddings, prefills every position but the last in chunks
// and returns the last token for the first Forward. When the last prompt
// token is itself an image token it prefills everything and returns the
// logits of the last row instead.
func (m *Model) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	n := len(input.Tokens)
	if n == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	if step <= 0 {
		step = vlm.DefaultPrefillStepSize
	}
	h, err := m.embed(input)
	if err != nil {
		return vlm.PrepareResult{}, err
	}
	defer h.Release()
	last := input.Tokens[n-1]
	end := n - 1
	if last == m.cfg.ImageTokenID {
		end = n
	}
	for lo := 0; lo < end; lo += step {
		if err := ctx.Err(); err != nil {
			return vlm.PrepareResult{}, err
		}
		hi := min(lo+step, end)
		chunk := h.Slice(0, lo, hi).Clone()
		out := m.Text.Forward(chunk, caches)
		if hi == n {
			logits := m.Head.Forward(out.Slice(0, hi-lo-1, hi-lo))
			out.Release()
			return vlm.PrepareResult{Logits: logits}, nil
		}
		out.Release()
	}
	return vlm.PrepareResult{Tokens: []int32{last}}, nil
}

// Forward implements vlm.LanguageModel for text tokens: logits F32
// [len(tokens), vocab].
func (m *Model) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	out := m.Text.Forward(h, caches)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// ForwardInput runs a whole prompt with its media through one pass (no
// prefill chunking) and returns the logits of every position; for tests
// and scoring.
func (m *Model) ForwardInput(input *vlm.LMInput, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.embed(input)
	if err != nil {
		return nil, err
	}
	out := m.Text.Forward(h, caches)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *Model) NewCaches(params vlm.GenerateParameters) []nn.Cache { return m.Text.NewCaches(params) }

// KVHeads implements vlm.LanguageModel.
func (m *Model) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel: the decoder's projections.
func (m *Model) LoRATargets() []vlm.LoRATarget { return m.Text.LoRATargets("model.text_model.") }
