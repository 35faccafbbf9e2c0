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

// nucleusFloor is how far below the most likely token (in log-probability)
// a token must lie to be dropped before sorting when top-p is active: its
// probability is below e^-40 ≈ 4e-18 of the top one, so even a whole
// vocabulary of such tokens weighs less than 1e-12 and always falls outside
// a nucleus top_p < 1.
const nucleusFloor = 40

// draw samples at a positive temperature.
func (s *Sampler) draw(logits []float32) int32 {
	lp, keep := s.filter(logits)
	return s.orArgmax(s.categorical(lp, keep), logits)
}

// filter computes the log-probabilities of logits, up to a constant
// (lp[i] = logits[i] − max), and the ids that survive top-p, min-p and
// top-k, best first (nil: no filter, every id). It sorts only the
// candidates that can survive, not the whole vocabulary, and normalises
// (one exp per id) only for top-p, which needs true probabilities.
func (s *Sampler) filter(logits []float32) ([]float64, []int32) {
	n := len(logits)
	s.lp = slices.Grow(s.lp[:0], n)[:n]
	lp := s.lp
	mx := float32(math.Inf(-1))
	for _, v := range logits {
		mx = max(mx, v)
	}
	for i, v := range logits {
		lp[i] = float64(v) - float64(mx)
	}
	const top = 0.0 // the largest lp
	topP := s.p.TopP > 0 && s.p.TopP < 1
	minP := s.p.MinP > 0
	topK := s.p.TopK > 0 && s.p.TopK < n
	if !topP && !minP && !topK {
		return lp, nil
	}
	// Candidates by decreasing log-probability, ties by id.
	cutoff := math.Inf(-1)
	if topP {
		cutoff = top - nucleusFloor
	}
	if minP {
		// min-p keeps tokens with p ≥ min_p·p_max (and always the top).
		cutoff = max(cutoff, top+math.Log(float64(s.p.MinP)))
	}
	s.order = s.order[:0]
	for i, v := range lp {
		if v >= cutoff || v == top {
			s.order = append(s.order, int32(i))
		}
	}
	byProb := func(a, b int32) int {
		switch {
		case lp[a] > lp[b]:
			return -1
		case lp[a] < lp[b]:
			return 1
		}
		return int(a) - int(b)
	}
	// top-p, min-p and top-k each keep a prefix of the descending order
	// (they filter the original log-probabilities, without renormalising
	// in between, as mlx-lm does), so the result is the shortest prefix.
	// Select it without sorting the whole candidate list.
	limit := len(s.order)
	if topK {
		limit = min(limit, s.p.TopK)
	}
	var logZ float64 // log of the normaliser, for top-p
	if topP {
		var z float64
		for _, v := range lp {
			z += math.Exp(v)
		}
		logZ = math.Log(z)
		// Grow a selection of the best m until it holds top_p of the mass.
		m := min(64, limit)
		for {
			sel := topKOf(s.order, m, byProb)
			var mass float64
			for _, t := range sel {
				mass += math.Exp(lp[t] - logZ)
			}
			if mass >= float64(s.p.TopP) || m >= limit {
				break
			}
			m = min(4*m, limit)
		}
		s.order = s.order[:m]
	} else if limit < len(s.order) {
		s.order = topKOf(s.order, limit, byProb)
	}
	slices.SortFunc(s.order, byProb)
	keep := s.order
	if topP {
		// mlx-lm keeps a token when the probability mass of the tokens
		// above it is below top_p.
		var above float64
		for i, t := range keep {
			if above >= float64(s.p.TopP) {
				keep = keep[:i]
				break
			}
			above += math.Exp(lp[t] - logZ)
		}
	}
	return lp, keep
}

// orArgmax returns tok, or the arg-max when the draw found nothing to draw
// from (NaN logits).
func (s *Sampler) orArgmax(tok int32, logits []float32) int32 {
	if tok < 0 {
		return argmax(logits)
	}
	return tok
}

// topKOf returns the k best ids of ids under cmp (unordered), by a
// selection that does not sort the rest.
func topKOf(ids []int32, k int, cmp func(a, b int32) int) []int32 {
	if k >= len(ids) {
		return ids
	}
	lo, hi := 0, len(ids)
	for hi-lo > 1 {
		// Partition ids[lo:hi] around a pivot: better ones first.
		p := ids[lo+(hi-lo)/2]
		i, j := lo, hi-1
		for i <= j {
			for cmp(ids[i], p) < 0 {
				i++
			}
			for cmp(ids[j], p) > 0 {
				j--
			}
			if i <= j {
				ids[i], ids[j] = ids[j], ids[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j + 1
		case k >= i:
			lo = i
		default:
			return ids[:k]
		}
	}
	return ids[:k]
}

// categorical draws from softmax(lp / T) restricted to the ids in keep (all
// ids when keep is nil) by inverse CDF. It returns −1 when there is nothing
// to draw from (NaN logits). lp is overwritten with the weights.
func (s *Sampler) categorical(lp []float64, keep []int32) int32 {
	invT := 1 / float64(s.p.Temperature)
	var total float64
	weigh := func(i int) {
		// lp ≤ 0 with 0 at the top, so the exponent cannot overflow.
		w := math.Exp(lp[i] * invT)
		if math.IsNaN(w) {
			w = 0
		}
		lp[i] = w
		total += w
	}
	if keep == nil {
		for i := range lp {
			weigh(i)
		}
	} else {
		for _, i := range keep {
			weigh(int(i))
		}
	}
	if !(total > 0) {
		return -1
	}
	u := s.rng.Float64() * total
	last := -1
	pick := func(i int) bool {
		if lp[i] == 0 {
			return false
		}
		last = i
		u -= lp[i]
		return u < 0
	}
	if keep == nil {
		for i := range lp {
			if pick(i) {
				break
			}
		}
	} else {
		for _, i := range keep {
			if pick(int(i)) {
				break
			}
		}
	}
	return int32(last)
}
