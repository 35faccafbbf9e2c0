package media

import (
	"fmt"
	"image"
	"image/color"
)

// Image is a packed 8-bit RGB image: the pixel at column x, row y occupies
// Pix[3*(y*W+x) : 3*(y*W+x)+3] as R, G, B. There is no stride and no padding;
// len(Pix) == 3*W*H. The zero Image is an empty 0×0 image.
type Image struct {
	W, H int
	Pix  []uint8
}

// NewImage returns a black w×h image. It panics if w or h is negative, like
// make does for a negative length; callers validate user-provided sizes.
func NewImage(w, h int) *Image {
	if w < 0 || h < 0 {
		panic(fmt.Sprintf("media: negative image size %dx%d", w, h))
	}
	return &Image{W: w, H: h, Pix: make([]uint8, 3*w*h)}
}

// Bounds returns the image rectangle, (0,0)-(W,H).
func (m *Image) Bounds() image.Rectangle { return image.Rect(0, 0, m.W, m.H) }

// Size returns the image size.
func (m *Image) Size() Size { return Size{W: m.W, H: m.H} }

// RGBAt returns the pixel at (x, y). It is meant for tests and debugging;
// processing code works on Pix directly.
func (m *Image) RGBAt(x, y int) (r, g, b uint8) {
	i := 3 * (y*m.W + x)
	return m.Pix[i], m.Pix[i+1], m.Pix[i+2]
}

// Clone returns a deep copy of m.
func (m *Image) Clone() *Image {
	return &Image{W: m.W, H: m.H, Pix: append([]uint8(nil), m.Pix...)}
}

// ToRGBA returns m as a standard library image (alpha 255), e.g. for
// encoding with image/png.
func (m *Image) ToRGBA() *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, m.W, m.H))
	for i, j := 0, 0; i < len(m.Pix); i, j = i+3, j+4 {
		out.Pix[j], out.Pix[j+1], out.Pix[j+2], out.Pix[j+3] = m.Pix[i], m.Pix[i+1], m.Pix[i+2], 0xff
	}
	return out
}

// Size is a width and height in pixels.
type Size struct {
	W, H int
}

// String formats s as "WxH".
func (s Size) String() string { return fmt.Sprintf("%dx%d", s.W, s.H) }

// Area returns W*H.
func (s Size) Area() int { return s.W * s.H }

// Rect is an axis-aligned rectangle of pixels: X, Y is its top-left corner.
type Rect struct {
	X, Y, W, H int
}

// RGB is an 8-bit colour, used for fills such as padding.
type RGB struct{ R, G, B uint8 }

// White and Black are common fill colours.
var (
	White = RGB{255, 255, 255}
	Black = RGB{0, 0, 0}
)

// rgbOf returns the colour c as 8-bit RGB with the alpha policy applied.
// It is the slow path for colour types without a fast path.
func rgbOf(c color.Color, alpha AlphaMode) (r, g, b uint8) {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return applyAlpha(n.R, n.G, n.B, n.A, alpha)
}
