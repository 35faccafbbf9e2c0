package media

import (
	"fmt"

	"github.com/govlm/govlm/internal/parallel"
)

// Normalisation constants used by the reference image processors.
var (
	// OpenAI CLIP mean and std (CLIP, LLaVA, Qwen2-VL).
	CLIPMean = [3]float32{0.48145466, 0.4578275, 0.40821073}
	CLIPStd  = [3]float32{0.26862954, 0.26130258, 0.27577711}
	// ImageNet mean and std.
	ImageNetMean = [3]float32{0.485, 0.456, 0.406}
	ImageNetStd  = [3]float32{0.229, 0.224, 0.225}
	// SigLIP (Idefics3, SmolVLM, Gemma 3, PaliGemma): 0.5 mean and std,
	// mapping [0, 1] to [-1, 1].
	SigLIPMean = [3]float32{0.5, 0.5, 0.5}
	SigLIPStd  = [3]float32{0.5, 0.5, 0.5}
)

// Rescale255 is the usual rescale factor 1/255 as the processors store it.
const Rescale255 = 1.0 / 255

// Rescale multiplies every value by scale in float32, in place.
func Rescale(data []float32, scale float64) {
	s := float32(scale)
	parallel.For(len(data), 1<<16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			data[i] *= s
		}
	})
}

// Normalize applies (x - mean[c]) / std[c] in place to a planar [C, H, W]
// float32 array with C = len(mean) = len(std) channels, dividing (not
// multiplying by a reciprocal) as transformers' numpy normalize does.
func Normalize(chw []float32, mean, std []float32) error {
	c := len(mean)
	if c == 0 || len(std) != c || len(chw)%c != 0 {
		return &SizeError{Op: "normalize", Reason: fmt.Sprintf("%d values, %d means, %d stds", len(chw), len(mean), len(std))}
	}
	plane := len(chw) / c
	for ch := 0; ch < c; ch++ {
		p := chw[ch*plane : (ch+1)*plane]
		m, s := mean[ch], std[ch]
		parallel.For(len(p), 1<<16, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				p[i] = (p[i] - m) / s
			}
		})
	}
	return nil
}

// ToCHW converts m to planar float32 [3, H, W], computing
// (float32(v)*float32(scale) - mean[c]) / std[c] for each value: the
// rescale-then-normalise of transformers' PIL-backend processors, in the same
// float32 operations, fused into one pass. Pass scale 1, mean 0 and std 1 for
// raw values.
func ToCHW(m *Image, scale float64, mean, std [3]float32) []float32 {
	n := m.W * m.H
	out := make([]float32, 3*n)
	s := float32(scale)
	parallel.For(n, 1<<14, func(lo, hi int) {
		for c := 0; c < 3; c++ {
			dst := out[c*n : (c+1)*n]
			mc, sc := mean[c], std[c]
			for i := lo; i < hi; i++ {
				// float32(...) rounds the product before the subtraction, as
				// numpy does; without it arm64 would fuse them into an FMA.
				dst[i] = (float32(float32(m.Pix[3*i+c])*s) - mc) / sc
			}
		}
	})
	return out
}
