package vlm

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func mustSampler(t *testing.T, p GenerateParameters) *Sampler {
	t.Helper()
	s, err := NewSampler(p.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSamplerGreedy(t *testing.T) {
	s := mustSampler(t, GenerateParameters{})
	if got := s.Sample([]float32{0.1, 3, -2, 3}, nil); got != 1 {
		t.Errorf("arg-max with a tie: %d, want the lowest id 1", got)
	}
}

func TestSamplerPenalties(t *testing.T) {
	cases := []struct {
		name    string
		p       GenerateParameters
		history []int32
		want    []float32
	}{
		{"repetition", GenerateParameters{RepetitionPenalty: 2}, []int32{0, 1, 1}, []float32{1, -4, 3}},
		{"repetition context", GenerateParameters{RepetitionPenalty: 2, RepetitionContextSize: 1}, []int32{0, 1}, []float32{2, -4, 3}},
		{"presence", GenerateParameters{PresencePenalty: 0.5}, []int32{0, 1, 1}, []float32{1.5, -2.5, 3}},
		{"frequency", GenerateParameters{FrequencyPenalty: 0.5}, []int32{0, 1, 1}, []float32{1.5, -3, 3}},
		{"off", GenerateParameters{RepetitionPenalty: 1}, []int32{0, 1}, []float32{2, -2, 3}},
	}
	for _, tc := range cases {
		s := mustSampler(t, tc.p)
		logits := []float32{2, -2, 3}
		s.penalize(logits, tc.history)
		if !slices.Equal(logits, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, logits, tc.want)
		}
	}
}

// histogram draws n samples from logits with p.
func histogram(t *testing.T, p GenerateParameters, logits []float32, n int) []int {
	t.Helper()
	s := mustSampler(t, p)
	h := make([]int, len(logits))
	buf := make([]float32, len(logits))
	for range n {
		copy(buf, logits)
		h[s.Sample(buf, nil)]++
	}
	return h
}

func TestSamplerFilters(t *testing.T) {
	// probabilities 0.5, 0.25, 0.125, 0.125
	logits := []float32{float32(math.Log(0.5)), float32(math.Log(0.25)), float32(math.Log(0.125)), float32(math.Log(0.125))}
	cases := []struct {
		name    string
		p       GenerateParameters
		allowed []bool
	}{
		{"temperature only", GenerateParameters{Temperature: 1}, []bool{true, true, true, true}},
		{"top-k 2", GenerateParameters{Temperature: 1, TopK: 2}, []bool{true, true, false, false}},
		{"top-p 0.7", GenerateParameters{Temperature: 1, TopP: 0.7}, []bool{true, true, false, false}},
		{"top-p 0.4", GenerateParameters{Temperature: 1, TopP: 0.4}, []bool{true, false, false, false}},
		{"min-p 0.3", GenerateParameters{Temperature: 1, MinP: 0.3}, []bool{true, true, false, false}},
		{"min-p 0.2", GenerateParameters{Temperature: 1, MinP: 0.2}, []bool{true, true, true, true}},
	}
	for _, tc := range cases {
		h := histogram(t, tc.p, logits, 4000)
		for i, ok := range tc.allowed {
			if ok != (h[i] > 0) {
				t.Errorf("%s: histogram %v, allowed %v", tc.name, h, tc.allowed)
				break
			}
		}
	}
	// With no filter the frequencies follow the probabilities.
	h := histogram(t, GenerateParameters{Temperature: 1, Seed: 3}, logits, 8000)
	for i, p := range []float64{0.5, 0.25, 0.125, 0.125} {
		if f := float64(h[i]) / 8000; math.Abs(f-p) > 0.03 {
			t.Errorf("token %d drawn with frequency %.3f, probability %.3f", i, f, p)
		}
	}
	// A low temperature sharpens the distribution.
	cold := histogram(t, GenerateParameters{Temperature: 0.1, Seed: 3}, logits, 2000)
	if cold[0] < 1990 {
		t.Errorf("temperature 0.1: %v", cold)
	}
}

func TestSamplerSeed(t *testing.T) {
	logits := []float32{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}
	a := histogram(t, GenerateParameters{Temperature: 1, Seed: 9}, logits, 50)
	b := histogram(t, GenerateParameters{Temperature: 1, Seed: 9}, logits, 50)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different draws: %v vs %v", a, b)
	}
}

func TestSamplerDegenerate(t *testing.T) {
	s := mustSampler(t, GenerateParameters{Temperature: 1})
	nan := float32(math.NaN())
	if got := s.Sample([]float32{nan, nan}, nil); got != 0 {
		t.Errorf("NaN logits gave %d", got)
	}
}

func TestNewSamplerValidates(t *testing.T) {
	for _, p := range []GenerateParameters{{Temperature: -1}, {TopP: 1.5}, {MinP: -0.1}, {TopK: -1}, {RepetitionPenalty: -1}} {
		if _, err := NewSampler(p); err == nil {
			t.Errorf("%+v accepted", p)
		}
	}
}

// BenchmarkSampler draws from a Qwen-sized vocabulary: "peaked" logits
// look like a language model's (normal noise, a handful of likely tokens),
// "flat" ones are the worst case for top-p (most of the vocabulary inside
// the nucleus).
func BenchmarkSampler(b *testing.B) {
	const vocab = 151936
	r := rand.New(rand.NewPCG(1, 2))
	peaked := make([]float32, vocab)
	flat := make([]float32, vocab)
	for i := range peaked {
		peaked[i] = float32(2.5 * r.NormFloat64())
		flat[i] = float32(math.Sin(float64(i)))
	}
	for i := range 8 {
		peaked[r.IntN(vocab)] = float32(14 + i)
	}
	buf := make([]float32, vocab)
	for _, tc := range []struct {
		name   string
		logits []float32
		p      GenerateParameters
	}{
		{"greedy", peaked, GenerateParameters{}},
		{"temp", peaked, GenerateParameters{Temperature: 0.7}},
		{"temp+topp+penalty", peaked, GenerateParameters{Temperature: 0.7, TopP: 0.9, RepetitionPenalty: 1.1}},
		{"temp+topk", peaked, GenerateParameters{Temperature: 0.7, TopK: 50}},
		{"flat/temp+topp", flat, GenerateParameters{Temperature: 0.7, TopP: 0.9}},
	} {
		s, _ := NewSampler(tc.p.withDefaults())
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				copy(buf, tc.logits)
				s.Sample(buf, []int32{1, 2, 3})
			}
		})
	}
}

// referenceKeep is mlx-lm's filter chain written plainly: sort the whole
// vocabulary, apply top-p (ascending cumulative mass > 1 − top_p), then
// min-p, then top-k, each on the unrenormalised log-probabilities.
func referenceKeep(logits []float32, p GenerateParameters) map[int32]bool {
	n := len(logits)
	mx := math.Inf(-1)
	for _, v := range logits {
		mx = math.Max(mx, float64(v))
	}
	var sum float64
	for _, v := range logits {
		sum += math.Exp(float64(v) - mx)
	}
	lp := make([]float64, n)
	for i, v := range logits {
		lp[i] = float64(v) - mx - math.Log(sum)
	}
	ids := make([]int32, n)
	for i := range ids {
		ids[i] = int32(i)
	}
	slices.SortStableFunc(ids, func(a, b int32) int { // ascending
		switch {
		case lp[a] < lp[b]:
			return -1
		case lp[a] > lp[b]:
			return 1
		}
		return int(b) - int(a)
	})
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	if p.TopP > 0 && p.TopP < 1 {
		var cum float64
		for _, t := range ids {
			cum += math.Exp(lp[t])
			if cum <= 1-float64(p.TopP) {
				alive[t] = false
			}
		}
	}
	if p.MinP > 0 {
		top := lp[ids[n-1]]
		for i, t := range ids {
			if i != n-1 && lp[t] < top+math.Log(float64(p.MinP)) {
				alive[t] = false
			}
		}
	}
	if p.TopK > 0 && p.TopK < n {
		for _, t := range ids[:n-p.TopK] {
			alive[t] = false
		}
	}
	out := map[int32]bool{}
	for i, a := range alive {
		if a {
			out[int32(i)] = true
		}
	}
	return out
}

func TestSamplerFilterMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	params := []GenerateParameters{
		{TopP: 0.9}, {TopP: 0.5}, {TopP: 0.99}, {MinP: 0.05}, {MinP: 0.3}, {TopK: 1}, {TopK: 40},
		{TopP: 0.9, TopK: 20}, {TopP: 0.8, MinP: 0.1}, {TopP: 0.95, MinP: 0.02, TopK: 100},
	}
	for trial := range 20 {
		n := 50 + r.IntN(3000)
		scale := 0.5 + 5*r.Float64()
		logits := make([]float32, n)
		for i := range logits {
			logits[i] = float32(scale * r.NormFloat64())
		}
		for _, p := range params {
			p.Temperature = 1
			s := mustSampler(t, p)
			_, keep := s.filter(slices.Clone(logits))
			want := referenceKeep(logits, p)
			if len(keep) != len(want) {
				t.Fatalf("trial %d %+v: kept %d ids, reference %d", trial, p, len(keep), len(want))
			}
			for _, id := range keep {
				if !want[id] {
					t.Fatalf("trial %d %+v: kept %d, which the reference drops", trial, p, id)
				}
			}
		}
	}
}
