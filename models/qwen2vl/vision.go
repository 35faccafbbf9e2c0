package qwen2vl

import (
	"fmt"
	"slices"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// Norm is the vision tower's normalisation: LayerNorm with a bias
// (Qwen2-VL) or RMSNorm (Qwen2.5-VL), eps 1e-6.
type Norm struct {
	Weight *tensor.Tensor `nn:"weight"`
	Bias   *tensor.Tensor `nn:"bias,optional"`

	dim int
	rms bool
}

const visionEps = 1e-6

func newNorm(dim int, rms bool) *Norm { return &Norm{dim: dim, rms: rms} }

// ParamSpec implements nn.Specifier.
func (n *Norm) ParamSpec(name string) nn.ParamSpec {
	switch name {
	case "weight":
		return nn.ParamSpec{Shape: []int{n.dim}, Presence: nn.Required}
	case "bias":
		if n.rms {
			return nn.ParamSpec{Presence: nn.Absent}
		}
		return nn.ParamSpec{Shape: []int{n.dim}, Presence: nn.Required}
	}
	return nn.ParamSpec{}
}

// Forward normalises x [..., dim].
func (n *Norm) Forward(x *tensor.Tensor) *tensor.Tensor {
	if n.rms {
		return tensor.RMSNorm(x, n.Weight, visionEps, false)
	}
	return tensor.LayerNorm(x, n.Weight, n.Bias, visionEps)
}

// PatchProj is the Conv3d patch embedding, weight [width, C, T, P, P] and
// no bias. Its stride equals its kernel, so it is a matrix product with
// the flattened patches.
type PatchProj struct {
	Weight *tensor.Tensor `nn:"weight"`

	shape []int
}

// ParamSpec implements nn.Specifier.
func (p *PatchProj) ParamSpec(name string) nn.ParamSpec {
	if name == "weight" {
		return nn.ParamSpec{Shape: p.shape, Presence: nn.Required}
	}
	return nn.ParamSpec{}
}

// PatchEmbed holds the patch projection under "patch_embed.proj".
type PatchEmbed struct {
	Proj *PatchProj `nn:"proj"`
}

// Forward maps flattened patches [n, C·T·P·P] to [n, width].
func (p *PatchEmbed) Forward(x *tensor.Tensor) *tensor.Tensor {
	w := p.Proj.Weight
	return tensor.MatMul(x, w.Reshape(w.Dim(0), w.Len()/w.Dim(0)))
}

// VisionAttention is the tower's attention: a fused qkv projection with
// bias, 2-D rotary embeddings and an output projection.
type VisionAttention struct {
	QKV  *nn.Linear `nn:"qkv"`
	Proj *nn.Linear `nn:"proj"`

	heads int
}

// VisionMLP is fc2(act(fc1(x))) for Qwen2-VL and
// down(act(gate(x))·up(x)) with biases for Qwen2.5-VL; the fields of the
// other form stay nil.
type VisionMLP struct {
	FC1  *nn.Linear `nn:"fc1,optional"`
	FC2  *nn.Linear `nn:"fc2,optional"`
	Gate *nn.Linear `nn:"gate_proj,optional"`
	Up   *nn.Linear `nn:"up_proj,optional"`
	Down *nn.Linear `nn:"down_proj,optional"`

	act nn.Activation
}

// Forward maps x [n, width] to [n, width].
func (m *VisionMLP) Forward(x *tensor.Tensor) *tensor.Tensor {
	if m.Gate != nil {
		g := m.Gate.Forward(x)
		u := m.Up.Forward(x)
		a := m.act.Apply(g)
		g.Release()
		tensor.MulInPlace(a, u)
		u.Release()
		out := m.Down.Forward(a)
		a.Release()
		return out
	}
	h := m.FC1.Forward(x)
	a := m.act.Apply(h)
	h.Release()
	out := m.FC2.Forward(a)
	a.Release()
	return out
}

// VisionBlock is one pre-norm tower block.
type VisionBlock struct {
	Norm1 *Norm            `nn:"norm1"`
	Attn  *VisionAttention `nn:"attn"`
	Norm2 *Norm            `nn:"norm2"`
	MLP   *VisionMLP       `nn:"mlp"`
}

// Merger is the patch merger: a norm over each patch, then the
// spatial_merge_size² neighbouring patches concatenated and projected by
// Linear → GELU → Linear to the text width.
type Merger struct {
	LN   *Norm      `nn:"ln_q"`
	MLP0 *nn.Linear `nn:"mlp.0"`
	MLP2 *nn.Linear `nn:"mlp.2"`

	unit int
}

// Forward maps x [n, width] (n a multiple of the merge unit) to
// [n/unit, out].
func (m *Merger) Forward(x *tensor.Tensor) *tensor.Tensor {
	h := m.LN.Forward(x)
	a := m.MLP0.Forward(h.Reshape(h.Dim(0)/m.unit, h.Dim(1)*m.unit))
	h.Release()
	tensor.GELUInPlace(a)
	out := m.MLP2.Forward(a)
	a.Release()
	return out
}

// VisionModel is the vision tower with its merger (the checkpoint's
// "visual" module).
type VisionModel struct {
	PatchEmbed *PatchEmbed    `nn:"patch_embed"`
	Blocks     []*VisionBlock `nn:"blocks"`
	Merger     *Merger        `nn:"merger"`

	cfg     VisionConfig
	invFreq []float32
}

// NewVisionModel returns an unbound tower for the (finished) config v.
func NewVisionModel(v VisionConfig) (*VisionModel, error) {
	act, err := nn.ParseActivation(v.HiddenAct)
	if err != nil {
		return nil, &ConfigError{Field: "vision_config.hidden_act", Reason: err.Error()}
	}
	m := &VisionModel{
		PatchEmbed: &PatchEmbed{Proj: &PatchProj{shape: []int{v.Width, v.InChannels, v.TemporalPatchSize, v.PatchSize, v.PatchSize}}},
		Merger: &Merger{
			LN:   newNorm(v.Width, v.Gated),
			MLP0: nn.NewLinear(v.Width*v.MergeUnit(), v.Width*v.MergeUnit(), true),
			MLP2: nn.NewLinear(v.Width*v.MergeUnit(), v.Out, true),
			unit: v.MergeUnit(),
		},
		cfg:     v,
		invFreq: tensor.InvFreq(v.HeadDim()/2, v.RopeTheta),
	}
	for range v.Depth {
		mlp := &VisionMLP{act: act}
		if v.Gated {
			mlp.Gate = nn.NewLinear(v.Width, v.MLPHidden, true)
			mlp.Up = nn.NewLinear(v.Width, v.MLPHidden, true)
			mlp.Down = nn.NewLinear(v.MLPHidden, v.Width, true)
		} else {
			mlp.FC1 = nn.NewLinear(v.Width, v.MLPHidden, true)
			mlp.FC2 = nn.NewLinear(v.MLPHidden, v.Width, true)
		}
		m.Blocks = append(m.Blocks, &VisionBlock{
			Norm1: newNorm(v.Width, v.Gated),
			Attn:  &VisionAttention{QKV: nn.NewLinear(v.Width, 3*v.Width, true), Proj: nn.NewLinear(v.Width, v.Width, true), heads: v.NumHeads},
			Norm2: newNorm(v.Width, v.Gated),
			MLP:   mlp,
		})
	}
	return m, nil
}

// Forward runs the tower over the flattened patches pixels
// [Σ T·H·W, C·T·P·P] of the media whose patch grids are grids (in order)
// and returns the merged features [Σ T·H·W / merge², out], in the order
// of the placeholder tokens. Bad shapes are KindImageProcessing errors.
func (m *VisionModel) Forward(pixels *tensor.Tensor, grids []vlm.THW) (*tensor.Tensor, error) {
	v := &m.cfg
	total := 0
	for i, g := range grids {
		if g.T <= 0 || g.H <= 0 || g.W <= 0 || g.H%v.SpatialMergeSize != 0 || g.W%v.SpatialMergeSize != 0 {
			return nil, vlm.Errorf(vlm.KindImageProcessing, "grid %d is %dx%dx%d: sides must be positive multiples of the merge size %d", i, g.T, g.H, g.W, v.SpatialMergeSize)
		}
		total += g.Product()
	}
	if pixels.Rank() != 2 || pixels.Dim(0) != total || pixels.Dim(1) != v.PatchDim() {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "pixel values of shape %v, want [%d %d] for grids %v", pixels.Shape(), total, v.PatchDim(), grids)
	}
	cos, sin, err := m.ropeTables(grids)
	if err != nil {
		return nil, vlm.Errorf(vlm.KindImageProcessing, "vision rotary tables: %w", err)
	}
	x := m.PatchEmbed.Forward(pixels)
	frames := frameSegments(grids)
	windows := frames
	var order []int
	if v.Gated {
		var err error
		order, windows, err = windowIndex(grids, v)
		if err != nil {
			x.Release()
			cos.Release()
			sin.Release()
			return nil, vlm.Errorf(vlm.KindImageProcessing, "%w", err)
		}
		unit := v.MergeUnit()
		x = permuteUnits(x, order, unit)
		cos = permuteUnits(cos, order, unit)
		sin = permuteUnits(sin, order, unit)
	}
	for i, b := range m.Blocks {
		seg := frames
		if v.Gated && !slices.Contains(v.FullAttBlockIndexes, i) {
			seg = windows
		}
		h := b.Norm1.Forward(x)
		a := b.Attn.Forward(h, cos, sin, seg)
		h.Release()
		tensor.AddInPlace(x, a)
		a.Release()
		h = b.Norm2.Forward(x)
		f := b.MLP.Forward(h)
		h.Release()
		tensor.AddInPlace(x, f)
		f.Release()
	}
	cos.Release()
	sin.Release()
	out := m.Merger.Forward(x)
	x.Release()
	if v.Gated {
		out = unpermuteRows(out, order)
	}
	return out, nil
}

// ropeTables returns the 2-D rotary tables of every patch [n, headDim].
func (m *VisionModel) ropeTables(grids []vlm.THW) (cos, sin *tensor.Tensor, err error) {
	var cs, ss []*tensor.Tensor
	defer func() {
		for i := range cs {
			cs[i].Release()
			ss[i].Release()
		}
	}()
	for _, g := range grids {
		c, s, err := tensor.VisionRopeTables(g.T, g.H, g.W, m.cfg.SpatialMergeSize, m.invFreq)
		if err != nil {
			return nil, nil, err
		}
		cs, ss = append(cs, c), append(ss, s)
	}
	if len(cs) == 1 {
		c, s := cs[0], ss[0]
		cs, ss = nil, nil
		return c, s, nil
	}
	return tensor.Concat(0, cs...), tensor.Concat(0, ss...), nil
}

// Forward runs attention over x [n, width], each query attending to the
// keys of its own segment (segments are [lo, hi) row ranges covering x).
func (a *VisionAttention) Forward(x, cos, sin *tensor.Tensor, segments [][2]int) *tensor.Tensor {
	n, width := x.Dim(0), x.Dim(1)
	hd := width / a.heads
	qkv := a.QKV.Forward(x)
	parts := qkv.Reshape(n, 3, a.heads, hd)
	// Slicing the middle dimension copies: each piece owns its storage.
	qo, ko, vo := parts.Slice(1, 0, 1), parts.Slice(1, 1, 2), parts.Slice(1, 2, 3)
	qkv.Release()
	q, k, v := qo.Reshape(n, a.heads, hd), ko.Reshape(n, a.heads, hd), vo.Reshape(n, a.heads, hd)
	tensor.RoPEInPlace(q, cos, sin, false)
	tensor.RoPEInPlace(k, cos, sin, false)
	out := tensor.New(n, a.heads, hd)
	od := out.Data()
	for _, s := range segments {
		lo, hi := s[0], s[1]
		o := tensor.Attention(q.Slice(0, lo, hi), k.Slice(0, lo, hi), v.Slice(0, lo, hi), tensor.AttentionOptions{})
		copy(od[lo*width:hi*width], o.Data())
		o.Release()
	}
	qo.Release()
	ko.Release()
	vo.Release()
	y := a.Proj.Forward(out.Reshape(n, width))
	out.Release()
	return y
}

// frameSegments returns one row range per frame of every grid: Qwen's
// "full" attention is limited to one temporal frame.
func frameSegments(grids []vlm.THW) [][2]int {
	var out [][2]int
	lo := 0
	for _, g := range grids {
		for range g.T {
			out = append(out, [2]int{lo, lo + g.H*g.W})
			lo += g.H * g.W
		}
	}
	return out
}

// windowIndex is Qwen2.5-VL's window partition. Merged units (merge²
// patches) of each frame are grouped into windows of
// window_size/(merge·patch) units per side, scanned row-major over the
// windows and row-major inside each; order lists the units in that
// sequence (as indices into the natural order) and windows the row ranges
// (in patches) of the non-empty windows in the permuted sequence.
func windowIndex(grids []vlm.THW, v *VisionConfig) (order []int, windows [][2]int, err error) {
	ws := v.WindowSize / v.SpatialMergeSize / v.PatchSize
	if ws <= 0 {
		return nil, nil, fmt.Errorf("window_size %d is smaller than a merged patch", v.WindowSize)
	}
	unit := v.MergeUnit()
	base, row := 0, 0
	for _, g := range grids {
		gh, gw := g.H/v.SpatialMergeSize, g.W/v.SpatialMergeSize
		for t := range g.T {
			for wy := 0; wy < gh; wy += ws {
				for wx := 0; wx < gw; wx += ws {
					count := 0
					for y := wy; y < min(wy+ws, gh); y++ {
						for x := wx; x < min(wx+ws, gw); x++ {
							order = append(order, base+t*gh*gw+y*gw+x)
							count++
						}
					}
					windows = append(windows, [2]int{row, row + count*unit})
					row += count * unit
				}
			}
		}
		base += g.T * gh * gw
	}
	return order, windows, nil
}

// permuteUnits returns x [n, d] with its row groups of unit rows
// reordered: group i of the result is group order[i] of x. x is released.
func permuteUnits(x *tensor.Tensor, order []int, unit int) *tensor.Tensor {
	d := x.Dim(1)
	out := tensor.New(x.Dim(0), d)
	src, dst := x.Data(), out.Data()
	span := unit * d
	for i, j := range order {
		copy(dst[i*span:(i+1)*span], src[j*span:(j+1)*span])
	}
	x.Release()
	return out
}

// unpermuteRows undoes the window order on merged rows: row order[i] of
// the result is row i of x. x is released.
func unpermuteRows(x *tensor.Tensor, order []int) *tensor.Tensor {
	d := x.Dim(1)
	out := tensor.New(x.Dim(0), d)
	src, dst := x.Data(), out.Data()
	for i, j := range order {
		copy(dst[j*d:(j+1)*d], src[i*d:(i+1)*d])
	}
	x.Release()
	return out
}
