package gemma

import (
	"math"

	"github.com/govlm/govlm/tensor"
)

// EmbedScale returns √hidden as the Gemma family multiplies embeddings by
// it: transformers casts the factor to the dtype the model runs in (the
// checkpoint's: √2048 becomes 45.25 in bf16), so it is rounded to the
// embedding table's storage type; F32 tables keep it exact, quantized
// tables (mlx-community) use bf16 as mlx-lm does.
func EmbedScale(hidden int, table tensor.DType) float32 {
	s := float32(math.Sqrt(float64(hidden)))
	switch table {
	case tensor.F32:
		return s
	case tensor.F16:
		return RoundMantissa(s, 10)
	}
	return RoundMantissa(s, 7)
}

// RoundMantissa rounds a normal float32 to the nearest value with bits
// fraction bits (7: bfloat16, 10: float16), ties to even.
func RoundMantissa(v float32, bits uint) float32 {
	shift := 23 - bits
	u := math.Float32bits(v)
	half := uint32(1)<<(shift-1) - 1 + (u>>shift)&1
	u = (u + half) &^ (uint32(1)<<shift - 1)
	return math.Float32frombits(u)
}
