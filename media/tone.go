package media

import "math"

// SRGBToLinear maps an sRGB-encoded value in [0, 1] to linear light with the
// piecewise sRGB transfer function (IEC 61966-2-1).
func SRGBToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

// LinearToSRGB is the inverse of SRGBToLinear.
func LinearToSRGB(v float64) float64 {
	if v <= 0.0031308 {
		return v * 12.92
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

var toLinearLUT, toSRGBLUT = func() (a, b [256]uint8) {
	for i := range 256 {
		v := float64(i) / 255
		a[i] = uint8(math.Round(255 * SRGBToLinear(v)))
		b[i] = uint8(math.Round(255 * LinearToSRGB(v)))
	}
	return a, b
}()

// InLinearToneCurve returns m with each 8-bit value mapped from the sRGB tone
// curve to linear light (rounded to 8 bits), like Core Image's
// srgbToneCurveToLinear used by the MLX Swift processors.
func InLinearToneCurve(m *Image) *Image { return applyLUT(m, &toLinearLUT) }

// InSRGBToneCurve returns m with each 8-bit value mapped from linear light
// to the sRGB tone curve (rounded to 8 bits).
func InSRGBToneCurve(m *Image) *Image { return applyLUT(m, &toSRGBLUT) }

func applyLUT(m *Image, lut *[256]uint8) *Image {
	out := &Image{W: m.W, H: m.H, Pix: make([]uint8, len(m.Pix))}
	for i, v := range m.Pix {
		out.Pix[i] = lut[v]
	}
	return out
}
