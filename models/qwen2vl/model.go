package qwen2vl

import (
	"context"

	"github.com/govlm/govlm/models/qwen2"
	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Model is Qwen2VLForConditionalGeneration / Qwen2_5_VLForConditionalGeneration:
// the vision tower and merger ("visual"), a Qwen2 decoder ("model") whose
// image and video placeholder embeddings are replaced by the merged
// features, multimodal rotary positions, and the output head.
type Model struct {
	Text   *qwen2.TextModel `nn:"model"`
	Vision *VisionModel     `nn:"visual"`
	Head   *nn.Linear       `nn:"lm_head,alt:model.embed_tokens"`

	cfg Config
	// ropeDelta is the position offset of the current request's decoding
	// steps (set by Prepare, reset by a Forward at cache offset 0).
	ropeDelta int
}

var (
	_ vlm.VLMModel  = (*Model)(nil)
	_ vlm.LoRAModel = (*Model)(nil)
)

// New returns an unbound model for c.
func New(c *Config) (*Model, error) {
	text, err := qwen2.NewTextModel(&c.Text)
	if err != nil {
		return nil, err
	}
	vision, err := NewVisionModel(c.Vision)
	if err != nil {
		return nil, err
	}
	return &Model{Text: text, Vision: vision, Head: nn.NewLinear(c.Text.HiddenSize, c.Text.VocabSize, false), cfg: *c}, nil
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// MediaSupport implements vlm.VLMModel: any number of images and videos,
// mixed in one request.
func (m *Model) MediaSupport() vlm.MediaSupport {
	return vlm.MediaSupport{MaxImages: -1, MaxVideos: -1, Mixed: true}
}

// Features runs the vision tower and merger over flattened patches
// [Σ T·H·W, C·T·P·P] with their grids and returns the merged features
// [Σ T·H·W / merge², text hidden].
func (m *Model) Features(pixels *tensor.Tensor, grids []vlm.THW) (*tensor.Tensor, error) {
	return m.Vision.Forward(pixels, grids)
}

// embed returns the prompt embeddings with the image and video features
// written over their placeholder tokens, in order.
func (m *Model) embed(input *vlm.LMInput) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(input.Tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindProcessing, "prompt: %w", err)
	}
	merge := func(tok int32, pixels *tensor.Tensor, grids []vlm.THW, kind vlm.ErrorKind, what string) error {
		var slots []int
		for i, t := range input.Tokens {
			if t == tok {
				slots = append(slots, i)
			}
		}
		if pixels == nil {
			if len(slots) > 0 {
				return vlm.Errorf(vlm.KindImageRequired, "the prompt has %d %s tokens but no %s pixels", len(slots), what, what)
			}
			return nil
		}
		feats, err := m.Features(pixels, grids)
		if err != nil {
			return err
		}
		defer feats.Release()
		if feats.Dim(0) != len(slots) {
			return vlm.Errorf(kind, "%d %s features for %d %s tokens", feats.Dim(0), what, len(slots), what)
		}
		d := h.Dim(1)
		hd, fd := h.Data(), feats.Data()
		for j, pos := range slots {
			copy(hd[pos*d:(pos+1)*d], fd[j*d:(j+1)*d])
		}
		return nil
	}
	var (
		imgPix, vidPix     *tensor.Tensor
		imgGrids, vidGrids []vlm.THW
	)
	if input.Image != nil {
		imgPix, imgGrids = input.Image.Pixels, input.Image.Grids
	}
	if input.Video != nil {
		vidPix, vidGrids = input.Video.Pixels, input.Video.Grids
	}
	if err := merge(m.cfg.ImageTokenID, imgPix, imgGrids, vlm.KindImageProcessing, "image"); err != nil {
		h.Release()
		return nil, err
	}
	if err := merge(m.cfg.VideoTokenID, vidPix, vidGrids, vlm.KindVideoProcessing, "video"); err != nil {
		h.Release()
		return nil, err
	}
	return h, nil
}

// positions returns the M-RoPE positions of the prompt and the decoding
// offset.
func (m *Model) positions(input *vlm.LMInput) (Positions, int, error) {
	var images, videos []vlm.THW
	var secs []float64
	if input.Image != nil {
		images = input.Image.Grids
	}
	if input.Video != nil {
		videos, secs = input.Video.Grids, input.Video.SecondsPerGrid
	}
	return RopeIndex(input.Tokens, &m.cfg, images, videos, secs)
}

// tables returns the multimodal rotary tables [n, headDim] of pos.
func (m *Model) tables(pos Positions) (cos, sin *tensor.Tensor, err error) {
	return tensor.MRopeTables([3][]int(pos), m.Text.Rotary().InvFreq(), m.cfg.MRopeSection)
}

// Prepare implements vlm.LanguageModel: it runs the vision tower, merges
// the features into the prompt embeddings, computes the M-RoPE positions,
// prefills the whole prompt in chunks of at most step tokens and returns
// the logits of the last position.
func (m *Model) Prepare(ctx context.Context, input *vlm.LMInput, caches []nn.Cache, step int) (vlm.PrepareResult, error) {
	n := len(input.Tokens)
	if n == 0 {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "empty prompt")
	}
	if step <= 0 {
		step = vlm.DefaultPrefillStepSize
	}
	pos, delta, err := m.positions(input)
	if err != nil {
		return vlm.PrepareResult{}, err
	}
	if off := caches[0].Offset(); off > 0 {
		// A follow-up after cached tokens (vlm.Session): text only, placed
		// like decoded tokens, after the cached ones with the cached
		// prompt's rope delta.
		if input.Image != nil || input.Video != nil {
			return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "media after %d cached positions", off)
		}
		for i := range n {
			p := off + i + m.ropeDelta
			pos[0][i], pos[1][i], pos[2][i] = p, p, p
		}
		delta = m.ropeDelta
	}
	h, err := m.embed(input)
	if err != nil {
		return vlm.PrepareResult{}, err
	}
	defer h.Release()
	cos, sin, err := m.tables(pos)
	if err != nil {
		return vlm.PrepareResult{}, vlm.Errorf(vlm.KindProcessing, "rotary tables: %w", err)
	}
	defer cos.Release()
	defer sin.Release()
	m.ropeDelta = delta
	for lo := 0; lo < n; lo += step {
		if err := ctx.Err(); err != nil {
			return vlm.PrepareResult{}, err
		}
		hi := min(lo+step, n)
		out := m.Text.ForwardWithTables(h.Slice(0, lo, hi).Clone(), cos.Slice(0, lo, hi), sin.Slice(0, lo, hi), caches)
		if hi == n {
			logits := m.Head.Forward(out.Slice(0, hi-lo-1, hi-lo))
			out.Release()
			return vlm.PrepareResult{Logits: logits}, nil
		}
		out.Release()
	}
	return vlm.PrepareResult{}, nil // unreachable: the loop returns at hi == n
}

// Forward implements vlm.LanguageModel for text tokens after the prompt:
// logits F32 [len(tokens), vocab]. All three position streams advance
// together from the cache offset plus the prompt's rope delta; at cache
// offset 0 (a new text-only request) the delta is reset.
func (m *Model) Forward(tokens []int32, caches []nn.Cache) (*tensor.Tensor, error) {
	h, err := m.Text.Embeddings(tokens)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindGeneration, "forward: %w", err)
	}
	off := caches[0].Offset()
	if off == 0 {
		m.ropeDelta = 0
	}
	p := make([]int, len(tokens))
	for i := range p {
		p[i] = off + i + m.ropeDelta
	}
	cos, sin := m.Text.Rotary().TablesAt(p)
	defer cos.Release()
	defer sin.Release()
	out := m.Text.ForwardWithTables(h, cos, sin, caches)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// ForwardInput runs a whole prompt with its media through one pass (no
// chunking) into fresh caches and returns the logits of every position;
// for tests and scoring.
func (m *Model) ForwardInput(input *vlm.LMInput, caches []nn.Cache) (*tensor.Tensor, error) {
	pos, delta, err := m.positions(input)
	if err != nil {
		return nil, err
	}
	h, err := m.embed(input)
	if err != nil {
		return nil, err
	}
	cos, sin, err := m.tables(pos)
	if err != nil {
		h.Release()
		return nil, vlm.Errorf(vlm.KindProcessing, "rotary tables: %w", err)
	}
	defer cos.Release()
	defer sin.Release()
	m.ropeDelta = delta
	out := m.Text.ForwardWithTables(h, cos, sin, caches)
	defer out.Release()
	return m.Head.Forward(out), nil
}

// NewCaches implements vlm.LanguageModel.
func (m *Model) NewCaches(params vlm.GenerateParameters) []nn.Cache { return m.Text.NewCaches(params) }

// KVHeads implements vlm.LanguageModel.
func (m *Model) KVHeads() []int { return m.Text.KVHeads() }

// LoRATargets implements vlm.LoRAModel: the decoder's projections.
func (m *Model) LoRATargets() []vlm.LoRATarget { return m.Text.LoRATargets("model.") }
