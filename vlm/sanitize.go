package vlm

import (
	"strings"

	"github.com/govlm/govlm/tensor"
)

// Helpers for LanguageModel.Sanitize implementations: checkpoint layouts
// differ mostly by name prefixes (transformers 4.x "language_model.model."
// vs 5.x "model.language_model.", mlx-community's own names).

// ReplacePrefix renames every weight whose name starts with from so that it
// starts with to instead, in place, and returns weights.
func ReplacePrefix(weights map[string]*tensor.Tensor, from, to string) map[string]*tensor.Tensor {
	renamed := map[string]*tensor.Tensor{}
	for name, t := range weights {
		if rest, ok := strings.CutPrefix(name, from); ok {
			delete(weights, name)
			renamed[to+rest] = t
		}
	}
	for name, t := range renamed {
		weights[name] = t
	}
	return weights
}

// DropWeights deletes, in place, every weight for which drop returns true
// (e.g. rotary inv_freq buffers), and returns weights.
func DropWeights(weights map[string]*tensor.Tensor, drop func(name string) bool) map[string]*tensor.Tensor {
	for name := range weights {
		if drop(name) {
			delete(weights, name)
		}
	}
	return weights
}

// HasPrefix reports whether any weight name starts with prefix, to tell
// checkpoint layouts apart.
func HasPrefix(weights map[string]*tensor.Tensor, prefix string) bool {
	for name := range weights {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}
