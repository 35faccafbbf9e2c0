package gemma3

import (
	"context"

	"github.com/govlm/govlm/models/siglip"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Model is Gemma3ForConditionalGeneration (model_type "gemma3"): a SigLIP
// tower, the pooling projector and the Gemma 3 decoder, whose
// <image_soft_token> embeddings are replaced by the projected image
// features. The soft tokens of one image attend to each other
// bidirectionally; everything else is causal (sliding-window on the local
// layers).
type Model struct {
	Text      *TextModel          `nn:"language_model.model"`
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
	text, err := NewTextModel(&c.Text)
	if err != nil {
		return nil, err
	}
	vision, err := siglip.New(c.Vision)
	if err != nil {
		return nil, err
	}
	return &Model{
		Text: text, Vision: vision, Projector: NewProjector(c),
		Head: nn.NewLinear(c.Text.HiddenSize, c.Text.VocabSize, false),
		cfg:  *c,
	}, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// MediaSupport implements vlm.VLMModel: any number of images, no video.
func (m *Model) MediaSupport() vlm.MediaSupport { return vlm.MediaSupport{MaxImages: -1} }

// ImageFeatures runs the tower and the projector over pixels
// [images, 3, S, S] and returns [images·mm_tokens_per_image, textHidden],
// image after image.
func (m *Model) ImageFeatures(pixels *tensor.Tensor) (*tensor.Tensor, error) {
	v := m.cfg.Vision
	if pixels.Rank() != 4 || pixels.Dim(1) != v.NumChannels || pixels.Dim(2) != v.ImageSize || pixels.Dim(3) != v.ImageSize {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "pixel values of shape %v, want [images %d %d %d]",
			pixels.Shape(), v.NumChannels, v.ImageSize, v.ImageSize)
	}
	n, per, d := pixels.Dim(0), m.cfg.MMTokensPerImage, m.cfg.Text.HiddenSize
	out := tensor.New(n*per, d)
	for i := range n {
		h, err := m.Vision.Forward(pixels.Slice(0, i, i+1).Reshape(v.NumChannels, v.ImageSize, v.ImageSize))
		if err != nil {
			out.Release()
			return nil, vlm.Errorf(vlm.KindImageProcessing, "image %d: %w", i, err)
		}
		f := m.Projector.Forward(h)
		h.Release()
		copy(out.Data()[i*per*d:], f.Data())
		f.Release()
	}
	return out, nil
}

// imageGroups numbers the runs of image soft tokens in tokens (-1 for
// other tokens): the soft tokens of one image (or crop) form one run.
func (m *Model) imageGroups(tokens []int32) (groups []int, slots []int) {
	groups = make([]int, len(tokens))
	g := -1
	for i, t := range tokens {
		if t != m.cfg.ImageTokenID {
			groups[i] = -1
			continue
		}
		if i == 0 || tokens[i-1] != m.cfg.ImageTokenID {
			g++
		}
		groups[i] = g
		slots = append(slots, i)
	}
	return groups, slots
}

// blockMask returns the MaskFunc that lets the soft tokens of one image
// see each other; start is the absolute position of tokens[0].
func blockMask(groups []int, start int) nn.MaskFunc {
	return func(q, k int) bool {
		q, k = q-start, k-start
		if q < 0 || k < 0 || q >= len(groups) || k >= len(groups) {
			return false
		}
		return groups[q] >= 0 && groups[q] == groups[k]
	}
}

// embed returns the prompt embeddings with the image features written over
// the soft-token positions in order, and the image groups.
func (m *Model) embed(input *vlm.LMInput) (*tensor.Tensor, []int, error) {
	h, err := m.Text.Embeddings(input.Tokens)
	if err != nil {
		return nil, nil, vlm.Errorf(vlm.KindProcessing, "prompt: %w", err)
	}
	groups, slots := m.imageGroups(input.Tokens)
	if input.Image == nil || input.Image.Pixels == nil {
		if len(slots) > 0 {
			h.Release()
			return nil, nil, vlm.Errorf(vlm.KindImageRequired, "the prompt has %d image tokens but no pixels", len(slots))
		}
		return h, groups, nil
	}
	feats, err := m.ImageFeatures(input.Image.Pixels)
	if err != nil {
		h.Release()
		return nil, nil, err
	}
	defer feats.Release()
	if feats.Dim(0) != len(slots) {
		h.Release()
		return nil, nil, vlm.Errorf(vlm.KindProcessing, "%d image features for %d image tokens", feats.Dim(0), len(slots))
	}
	d := h.Dim(1)
	hd, fd := h.Data(), feats.Data()
	for j, pos := range slots {
		copy(hd[pos*d:(pos+1)*d], fd[j*d:(j+1)*d])
	}
	return h, groups, nil
}

// Prepare implements vlm.LanguageModel: it merges the image features into
// the prompt embeddings and prefills every position but the last in chunks
// of about step tokens, never splitting an image's soft tokens (they
// attend to each other); it returns the last token for the first Forward,
// or the logits of the last row when the prompt ends inside an image.
func (m *Model) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	n := len(input.Tokens)
	if n == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	if step <= 0 {
		step = vlm.DefaultPrefillStepSize
	}
	h, groups, err := m.embed(input)
	if err != nil {
		return vlm.PrepareResult{}, err
	}
	defer h.Release()
	start := caches[0].Offset()
	end := n - 1
	if groups[n-1] >= 0 {
		end = n
	}
	for lo := 0; lo < end; {
		if err := ctx.Err(); err != nil {
			return vlm.PrepareResult{}, err
		}
		hi := min(lo+step, end)
		for hi < n && hi > 0 && groups[hi] >= 0 && groups[hi] == groups[hi-1] {
			hi++ // keep an image's soft tokens in one chunk
		}
		var mask nn.MaskFunc
		if hasImage(groups[lo:hi]) {
			mask = blockMask(groups, start)
		}
		out := m.Text.Forward(h.Slice(0, lo, hi).Clone(), caches, mask)
		if hi == n {
			l := logits(m.Head, out.Slice(0, hi-lo-1, hi-lo), m.cfg.Text.FinalLogitSoftcapping)
			out.Release()
			return vlm.PrepareResult{Logits: l}, nil
		}
		out.Release()
		lo = hi
	}
	return vlm.PrepareResult{Tokens: []int32{input.Tokens[n-1]}}, nil
}

func hasImage(groups []int) bool {
	for _, g := range groups {
		if g >= 0 {
			return true
		}
	}
	return false
}

// Forward implements vlm.LanguageModel for text tokens: logits F32
// [len(tokens), vocab].
func (m *Model) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	out := m.Text.Forward(h, caches, nil)
	defer out.Release()
	return logits(m.Head, out, m.cfg.Text.FinalLogitSoftcapping), nil
}

// ForwardInput runs a whole prompt with its images through one pass and
// returns the logits of every position; for tests and scoring.
func (m *Model) ForwardInput(input *vlm.LMInput, caches []nn.Cache) (*tensor.Tensor, error) {
	h, groups, err := m.embed(input)
	if err != nil {
		return nil, err
	}
	var mask nn.MaskFunc
	if hasImage(groups) {
		mask = blockMask(groups, caches[0].Offset())
	}
	out := m.Text.Forward(h, caches, mask)
	defer out.Release()
	return logits(m.Head, out, m.cfg.Text.FinalLogitSoftcapping), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *Model) NewCaches(params vlm.GenerateParameters) []nn.Cache { return m.Text.NewCaches(params) }

// KVHeads implements vlm.LanguageModel.
func (m *Model) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel: the decoder's projections.
func (m *Model) LoRATargets() []vlm.LoRATarget {
	return m.Text.LoRATargets("language_model.model.")
}
