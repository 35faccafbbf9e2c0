package benchutil

import (
	"fmt"
	"testing"

	"github.com/govlm/govlm/nn"
	"github.com/govlm/govlm/tensor"
	"github.com/govlm/govlm/vlm"
)

// BindRandom binds RandomBF16(m, norms) to the module tree m, failing the
// benchmark when a weight does not fit.
func BindRandom(tb testing.TB, m any, norms Norms) {
	tb.Helper()
	if err := nn.Bind(m, RandomBF16(m, norms), ""); err != nil {
		tb.Fatal(err)
	}
}

// Decode runs steps greedy decode steps of m from the token next (the
// one sampled after the prompt), appending to caches, and returns the
// tokens it sampled.
func Decode(m vlm.LanguageModel, next []int32, caches []nn.Cache, steps int) ([]int32, error) {
	out := make([]int32, 0, steps)
	for i := range steps {
		logits, err := m.Forward(next, caches)
		if err != nil {
			return out, fmt.Errorf("decode step %d: %w", i, err)
		}
		next = []int32{int32(tensor.Argmax(logits.Data()))}
		logits.Release()
		out = append(out, next[0])
	}
	return out, nil
}
