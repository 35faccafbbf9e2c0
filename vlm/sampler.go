package vlm

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Sampler picks the next token from a row of logits. It applies the
// penalties of mlx-lm's logits processors (over the last
// RepetitionContextSize tokens of the history, prompt included), then, at a
// positive temperature, the filters top-p, min-p and top-k on the
// log-probabilities (in that order, as mlx-lm does) and draws from
// softmax(logprobs / temperature) with a PCG generator seeded from Seed. At
// temperature 0 it returns the arg-max (the lowest id among ties).
//
// A Sampler is not safe for concurrent use.
type Sampler struct {
	p   GenerateParameters
	rng *rand.Rand
	// scratch
	lp    []float64
	order []int32
	seen  map[int32]int
}

// NewSampler validates the sampling parameters of p and returns a sampler.
func NewSampler(p GenerateParameters) (*Sampler, error) {
	switch {
	case p.Temperature < 0 || math.IsNaN(float64(p.Temperature)):
		return nil, Errorf(KindGeneration, "temperature %v must be ≥ 0", p.Temperature)
	case p.TopP < 0 || p.TopP > 1:
		return nil, Errorf(KindGeneration, "top-p %v must be in [0, 1]", p.TopP)
	case p.MinP < 0 || p.MinP > 1:
		return nil, Errorf(KindGeneration, "min-p %v must be in [0, 1]", p.MinP)
	case p.TopK < 0:
		return nil, Errorf(KindGeneration, "top-k %d must be ≥ 0", p.TopK)
	case p.RepetitionPenalty < 0:
		return nil, Errorf(KindGeneration, "repetition penalty %v must be ≥ 0", p.RepetitionPenalty)
	}
	seed := p.Seed
	return &Sampler{p: p, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), seen: map[int32]int{}}, nil
}

// Sample returns the next token for logits (one row, [vocab]) given the
// tokens so far. logits is modified in place by the penalties.
func (s *Sampler) Sample(logits []float32, history []int32) int32 {
	s.penalize(logits, history)
	if s.p.Temperature == 0 {
		return argmax(logits)
	}
	return s.draw(logits)
}

func argmax(x []float32) int32 {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return int32(best)
}

func (s *Sampler) contextSize() int {
	if s.p.RepetitionContextSize > 0 {
		return s.p.RepetitionContextSize
	}
	return DefaultRepetitionContextSize
}

// penalize applies the repetition (sign-aware multiplicative), presence
// (once per distinct token) and frequency (per occurrence) penalties.
func (s *Sampler) penalize(logits []float32, history []int32) {
	rep := s.p.RepetitionPenalty
	pres, freq := s.p.PresencePenalty, s.p.FrequencyPenalty
	if (rep == 0 || rep == 1) && pres == 0 && freq == 0 {
		return
	}
	ctx := history[max(0, len(history)-s.contextSize()):]
	clear(s.seen)
	for _, t := range ctx {
		if t >= 0 && int(t) < len(logits) {
			s.seen[t]++
		}
	}
	for t, n := range s.seen {
		v := logits[t]
		if rep != 0 && rep != 1 {
			if v < 0 {
				v *= rep
			} else {
				v /= rep
			}
		}
		v -= pres
		v -= freq * float32(n)
		logits[t] = v
	}
}

// draw samples at a positive temperature.
func (s *Sampler) draw(logits []float32) int32 {
	n := len(logits)
	s.lp = slices.Grow(s.lp[:0], n)[:n]
	lp := s.lp
	// log-softmax in float64.
	mx := math.Inf(-1)
	for _, v := range logits {
		mx = max(mx, float64(v))
	}
	var sum float64
	for _, v := range logits {
		sum += math.Exp(float64(v) - mx)
	}
	lse := mx + math.Log(sum)
	for i, v := range logits {
		lp[i] = float64(v) - lse
	}
	needOrder := (s.p.TopP > 0 && s.p.TopP < 1) || s.p.MinP > 0 || (s.p.TopK > 0 && s.p.TopK < n)
	if needOrder {
		// Token ids by decreasing log-probability, ties by id.
		s.order = slices.Grow(s.order[:0], n)[:n]
		for i := range s.order {
			s.order[i] = int32(i)
		}
		slices.SortStableFunc(s.order, func(a, b int32) int {
			switch {
			case lp[a] > lp[b]:
				return -1
			case lp[a] < lp[b]:
				return 1
			}
			return 0
		})
	}
	inf := math.Inf(-1)
	if s.p.TopP > 0 && s.p.TopP < 1 {
		// Keep tokens whose cumulative probability counted from the least
		// likely upwards exceeds 1 − top_p.
		var cum float64
		thresh := 1 - float64(s.p.TopP)
		for i := n - 1; i >= 0; i-- {
			t := s.order[i]
			cum += math.Exp(lp[t])
			if cum <= thresh {
				lp[t] = inf
			}
		}
	}
	if s.p.MinP > 0 {
		top := lp[s.order[0]]
		limit := top + math.Log(float64(s.p.MinP))
		for i, t := range s.order {
			if i >= 1 && lp[t] < limit {
				lp[t] = inf
			}
		}
	}
	if s.p.TopK > 0 && s.p.TopK < n {
		for _, t := range s.order[s.p.TopK:] {
			lp[t] = inf
		}
	}
	// Categorical draw from softmax(lp / T) by inverse CDF.
	invT := 1 / float64(s.p.Temperature)
	best := math.Inf(-1)
	for _, v := range lp {
		best = max(best, v*invT)
	}
	var total float64
	for i, v := range lp {
		w := math.Exp(v*invT - best)
		if math.IsNaN(w) {
			w = 0
		}
		lp[i] = w
		total += w
	}
	u := s.rng.Float64() * total
	last := int32(-1)
	for i, w := range lp {
		if w == 0 {
			continue
		}
		last = int32(i)
		u -= w
		if u < 0 {
			return int32(i)
		}
	}
	if last < 0 {
		// Every token was filtered out (NaN logits or a degenerate top-p):
		// fall back to the most likely one.
		return argmax(logits)
	}
	return last
}
