package media

import (
	"fmt"
	"math"
)

// Filter is a resampling filter. The numeric values are PIL's resample codes,
// as they appear in processor configs ("resample": 3 is Bicubic).
type Filter int

// The filters of PIL's Image.resize, with PIL's codes.
const (
	Nearest  Filter = 0
	Lanczos  Filter = 1 // Lanczos-3 (windowed sinc)
	Bilinear Filter = 2 // triangle
	Bicubic  Filter = 3 // Keys cubic, a = -0.5
	Box      Filter = 4
	Hamming  Filter = 5
)

// String names the filter as PIL does.
func (f Filter) String() string {
	switch f {
	case Nearest:
		return "nearest"
	case Lanczos:
		return "lanczos"
	case Bilinear:
		return "bilinear"
	case Bicubic:
		return "bicubic"
	case Box:
		return "box"
	case Hamming:
		return "hamming"
	}
	return fmt.Sprintf("Filter(%d)", int(f))
}

// Valid reports whether f is one of the defined filters.
func (f Filter) Valid() bool { return f >= Nearest && f <= Hamming }

// kernel is a filter function and its support radius at scale 1.
type kernel struct {
	fn      func(x float64) float64
	support float64
}

func boxKernel(x float64) float64 {
	if x > -0.5 && x <= 0.5 {
		return 1
	}
	return 0
}

func triangleKernel(x float64) float64 {
	x = math.Abs(x)
	if x < 1 {
		return 1 - x
	}
	return 0
}

func hammingKernel(x float64) float64 {
	x = math.Abs(x)
	if x == 0 {
		return 1
	}
	if x >= 1 {
		return 0
	}
	x *= math.Pi
	return math.Sin(x) / x * (0.54 + float64(0.46*math.Cos(x)))
}

// cubicKernel returns the Keys cubic convolution kernel with parameter a.
func cubicKernel(a float64) func(float64) float64 {
	return func(x float64) float64 {
		x = math.Abs(x)
		if x < 1 {
			return float64(float64(float64((a+2)*x)-(a+3))*x)*x + 1
		}
		if x < 2 {
			return float64(float64(float64((x-5)*x)+8)*x-4) * a
		}
		return 0
	}
}

func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	x *= math.Pi
	return math.Sin(x) / x
}

func lanczosKernel(x float64) float64 {
	if x >= -3 && x < 3 {
		return sinc(x) * sinc(x/3)
	}
	return 0
}

var pilBicubic = cubicKernel(-0.5)

// kernelOf returns PIL's kernel for f (Nearest has none).
func kernelOf(f Filter) kernel {
	switch f {
	case Box:
		return kernel{boxKernel, 0.5}
	case Bilinear:
		return kernel{triangleKernel, 1}
	case Hamming:
		return kernel{hammingKernel, 1}
	case Bicubic:
		return kernel{pilBicubic, 2}
	case Lanczos:
		return kernel{lanczosKernel, 3}
	}
	return kernel{}
}

// weights are the per-output-sample taps of one resampling direction: output
// i reads input samples start[i] .. start[i]+n[i]-1 with weights
// w[i*stride : i*stride+n[i]].
type weights struct {
	start, n []int
	w        []float64
	stride   int
}

// computeWeights builds normalised antialiased taps the way PIL's
// precompute_coeffs does: the kernel is stretched by the downscale factor,
// each output's window is centred at (i+0.5)*scale, rounded to whole input
// samples and clipped to the image, and the taps are divided by their sum.
func computeWeights(inSize, outSize int, k kernel) weights {
	scale := float64(inSize) / float64(outSize)
	filterScale := max(scale, 1)
	support := k.support * filterScale
	stride := int(math.Ceil(support))*2 + 1
	ws := weights{start: make([]int, outSize), n: make([]int, outSize), w: make([]float64, outSize*stride), stride: stride}
	inv := 1 / filterScale
	// Products are rounded before they are added (float64(...)): PIL's C
	// code on x86-64 rounds each operation, and Go would otherwise fuse a
	// multiply and an add into one FMA on arm64, moving taps that sit
	// exactly on a filter's edge.
	for i := 0; i < outSize; i++ {
		center := float64((float64(i) + 0.5) * scale)
		lo := max(int(center-support+0.5), 0)
		hi := min(int(center+support+0.5), inSize)
		n := hi - lo
		taps := ws.w[i*stride : i*stride+stride]
		sum := 0.0
		for j := 0; j < n; j++ {
			v := k.fn((float64(j+lo) - center + 0.5) * inv)
			taps[j] = v
			sum += v
		}
		if sum != 0 {
			for j := 0; j < n; j++ {
				taps[j] /= sum
			}
		}
		ws.start[i], ws.n[i] = lo, max(n, 0)
	}
	return ws
}
