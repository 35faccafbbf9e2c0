package nn

import (
	"encoding/json"
	"fmt"
	"math"
)

// RopeScaling is a config's rope_scaling object (transformers 4.x) or
// rope_parameters object (5.x). Both spellings of the type key ("rope_type"
// and the older "type") are accepted; RopeTheta and PartialRotaryFactor are
// only present in the 5.x form.
type RopeScaling struct {
	Type                          string    `json:"rope_type"`
	Factor                        float64   `json:"factor"`
	AttentionFactor               *float64  `json:"attention_factor"`
	BetaFast                      float64   `json:"beta_fast"`
	BetaSlow                      float64   `json:"beta_slow"`
	Mscale                        float64   `json:"mscale"`
	MscaleAllDim                  float64   `json:"mscale_all_dim"`
	Truncate                      *bool     `json:"truncate"`
	OriginalMaxPositionEmbeddings int       `json:"original_max_position_embeddings"`
	LowFreqFactor                 float64   `json:"low_freq_factor"`
	HighFreqFactor                float64   `json:"high_freq_factor"`
	ShortFactor                   []float64 `json:"short_factor"`
	LongFactor                    []float64 `json:"long_factor"`
	MropeSection                  []int     `json:"mrope_section"`
	RopeTheta                     float64   `json:"rope_theta"`
	PartialRotaryFactor           float64   `json:"partial_rotary_factor"`
}

// UnmarshalJSON accepts "type" as a synonym of "rope_type".
func (s *RopeScaling) UnmarshalJSON(b []byte) error {
	type plain RopeScaling
	var aux struct {
		plain
		OldType string `json:"type"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*s = RopeScaling(aux.plain)
	if s.Type == "" {
		s.Type = aux.OldType
	}
	return nil
}

// RopeParams is everything that decides a rotary embedding's frequencies.
type RopeParams struct {
	// HeadDim is the attention head size; Dim is derived from it.
	HeadDim int
	// PartialRotaryFactor is the fraction of HeadDim that rotates (0 means 1).
	PartialRotaryFactor float64
	// Base is rope_theta.
	Base float64
	// MaxPositionEmbeddings is the config's max_position_embeddings.
	MaxPositionEmbeddings int
	// Scaling is rope_scaling / rope_parameters; nil means the default type.
	Scaling *RopeScaling
}

// RopeError reports a rotary configuration that cannot be computed.
type RopeError struct {
	Type   string
	Reason string
}

// Error names the rope type and the problem.
func (e *RopeError) Error() string {
	return fmt.Sprintf("nn: rope type %q: %s", e.Type, e.Reason)
}

// Dim returns the number of rotated features: int(HeadDim ×
// PartialRotaryFactor).
func (p RopeParams) Dim() int {
	f := p.PartialRotaryFactor
	if f == 0 {
		f = 1
	}
	return int(float64(p.HeadDim) * f)
}

// Type returns the normalised rope type ("default" when unset; "mrope" counts
// as "default", as transformers treats it).
func (p RopeParams) Type() string {
	if p.Scaling == nil || p.Scaling.Type == "" || p.Scaling.Type == "mrope" {
		return "default"
	}
	return p.Scaling.Type
}

// InvFreq returns the Dim()/2 inverse frequencies and the attention factor
// that scales cos and sin, following transformers' modeling_rope_utils for
// the types default, linear, dynamic, yarn, longrope, llama3 and
// proportional. seqLen matters only to dynamic (NTK) and longrope: it is the
// number of positions the tables must cover (the largest position + 1); pass
// 0 at initialisation.
func (p RopeParams) InvFreq(seqLen int) ([]float32, float32, error) {
	typ := p.Type()
	dim := p.Dim()
	if dim <= 0 || dim%2 != 0 {
		return nil, 0, &RopeError{typ, fmt.Sprintf("rotary dimension %d must be positive and even", dim)}
	}
	base := p.Base
	if base <= 0 {
		return nil, 0, &RopeError{typ, fmt.Sprintf("rope_theta %v must be positive", base)}
	}
	s := p.Scaling
	if s == nil {
		s = &RopeScaling{}
	}
	needFactor := func() error {
		if s.Factor <= 0 {
			return &RopeError{typ, "factor must be positive"}
		}
		return nil
	}
	// pow computes base^(i/dim) for the even indices i the way torch does:
	// exponents in float32, the power in float32.
	defaultFreq := func(b float64) []float64 {
		out := make([]float64, dim/2)
		for j := range out {
			e := float32(2*j) / float32(dim)
			out[j] = float64(float32(1) / float32(math.Pow(b, float64(e))))
		}
		return out
	}
	var inv []float64
	attn := 1.0
	switch typ {
	case "default":
		inv = defaultFreq(base)
	case "linear":
		if err := needFactor(); err != nil {
			return nil, 0, err
		}
		inv = defaultFreq(base)
		for j := range inv {
			inv[j] /= s.Factor
		}
	case "dynamic":
		if err := needFactor(); err != nil {
			return nil, 0, err
		}
		maxPos := p.MaxPositionEmbeddings
		if maxPos <= 0 {
			return nil, 0, &RopeError{typ, "max_position_embeddings must be positive"}
		}
		l := max(seqLen, maxPos)
		b := base * math.Pow(s.Factor*float64(l)/float64(maxPos)-(s.Factor-1), float64(dim)/float64(dim-2))
		inv = defaultFreq(b)
	case "yarn":
		var err error
		inv, attn, err = p.yarn(s, dim, base)
		if err != nil {
			return nil, 0, err
		}
	case "longrope":
		var err error
		inv, attn, err = p.longrope(s, dim, base, seqLen)
		if err != nil {
			return nil, 0, err
		}
	case "llama3":
		var err error
		inv, err = p.llama3(s, dim, base)
		if err != nil {
			return nil, 0, err
		}
	case "proportional":
		// Frequencies over the whole head with only the first
		// partial_rotary_factor of them rotating; the rest are zero.
		angles := dim / 2
		half := p.HeadDim / 2
		inv = make([]float64, half)
		for j := range angles {
			e := float32(2*j) / float32(p.HeadDim)
			inv[j] = float64(float32(1) / float32(math.Pow(base, float64(e))))
		}
		f := s.Factor
		if f == 0 {
			f = 1
		}
		for j := range inv {
			inv[j] /= f
		}
	default:
		return nil, 0, &RopeError{typ, "unsupported rope type"}
	}
	out := make([]float32, len(inv))
	for i, v := range inv {
		out[i] = float32(v)
	}
	return out, float32(attn), nil
}

func (p RopeParams) originalMax(s *RopeScaling) int {
	if s.OriginalMaxPositionEmbeddings > 0 {
		return s.OriginalMaxPositionEmbeddings
	}
	return p.MaxPositionEmbeddings
}

func yarnMscale(scale, m float64) float64 {
	if scale <= 1 {
		return 1
	}
	return 0.1*m*math.Log(scale) + 1
}

func (p RopeParams) yarn(s *RopeScaling, dim int, base float64) ([]float64, float64, error) {
	origMax := p.originalMax(s)
	if origMax <= 0 {
		return nil, 0, &RopeError{"yarn", "original_max_position_embeddings (or max_position_embeddings) must be positive"}
	}
	factor := s.Factor
	if factor == 0 && p.MaxPositionEmbeddings > 0 {
		factor = float64(p.MaxPositionEmbeddings) / float64(origMax)
	}
	if factor <= 0 {
		return nil, 0, &RopeError{"yarn", "factor must be positive"}
	}
	var attn float64
	switch {
	case s.AttentionFactor != nil:
		attn = *s.AttentionFactor
	case s.Mscale != 0 && s.MscaleAllDim != 0:
		attn = yarnMscale(factor, s.Mscale) / yarnMscale(factor, s.MscaleAllDim)
	default:
		attn = yarnMscale(factor, 1)
	}
	betaFast, betaSlow := s.BetaFast, s.BetaSlow
	if betaFast == 0 {
		betaFast = 32
	}
	if betaSlow == 0 {
		betaSlow = 1
	}
	correction := func(rot float64) float64 {
		return float64(dim) * math.Log(float64(origMax)/(rot*2*math.Pi)) / (2 * math.Log(base))
	}
	low, high := correction(betaFast), correction(betaSlow)
	if s.Truncate == nil || *s.Truncate {
		low, high = math.Floor(low), math.Ceil(high)
	}
	low = max(low, 0)
	high = min(high, float64(dim-1))
	if low == high {
		high += 0.001
	}
	inv := make([]float64, dim/2)
	for j := range inv {
		e := float32(2*j) / float32(dim)
		posFreq := float32(math.Pow(base, float64(e)))
		extra := float64(float32(1) / posFreq)
		inter := float64(float32(1) / (float32(factor) * posFreq))
		ramp := float32((float32(j) - float32(low)) / (float32(high) - float32(low)))
		ramp = min(max(ramp, 0), 1)
		extraFactor := float64(1 - ramp)
		inv[j] = float64(float32(inter*(1-extraFactor) + extra*extraFactor))
	}
	return inv, attn, nil
}

func (p RopeParams) longrope(s *RopeScaling, dim int, base float64, seqLen int) ([]float64, float64, error) {
	origMax := p.originalMax(s)
	if origMax <= 0 {
		return nil, 0, &RopeError{"longrope", "original_max_position_embeddings must be positive"}
	}
	if len(s.ShortFactor) != dim/2 || len(s.LongFactor) != dim/2 {
		return nil, 0, &RopeError{"longrope", fmt.Sprintf("short_factor and long_factor must hold %d values", dim/2)}
	}
	factor := s.Factor
	if factor == 0 {
		factor = float64(p.MaxPositionEmbeddings) / float64(origMax)
	}
	var attn float64
	switch {
	case s.AttentionFactor != nil:
		attn = *s.AttentionFactor
	case factor <= 1:
		attn = 1
	default:
		attn = math.Sqrt(1 + math.Log(factor)/math.Log(float64(origMax)))
	}
	ext := s.ShortFactor
	if seqLen > origMax {
		ext = s.LongFactor
	}
	inv := make([]float64, dim/2)
	for j := range inv {
		e := float32(2*j) / float32(dim)
		inv[j] = float64(float32(1) / (float32(ext[j]) * float32(math.Pow(base, float64(e)))))
	}
	return inv, attn, nil
}

func (p RopeParams) llama3(s *RopeScaling, dim int, base float64) ([]float64, error) {
	if s.Factor <= 0 || s.LowFreqFactor <= 0 || s.HighFreqFactor <= s.LowFreqFactor || s.OriginalMaxPositionEmbeddings <= 0 {
		return nil, &RopeError{"llama3", "needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings"}
	}
	old := float64(s.OriginalMaxPositionEmbeddings)
	lowWave := old / s.LowFreqFactor
	highWave := old / s.HighFreqFactor
	inv := make([]float64, dim/2)
	for j := range inv {
		e := float32(2*j) / float32(dim)
		f := float64(float32(1) / float32(math.Pow(base, float64(e))))
		wave := 2 * math.Pi / f
		switch {
		case wave < highWave:
			inv[j] = f
		case wave > lowWave:
			inv[j] = f / s.Factor
		default:
			smooth := (old/wave - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor)
			inv[j] = (1-smooth)*f/s.Factor + smooth*f
		}
	}
	return inv, nil
}
