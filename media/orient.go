package media

// Orient returns m transformed for display according to o, as PIL's
// ImageOps.exif_transpose does: 2 mirror, 3 rotate 180°, 4 flip vertically,
// 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90°
// counter-clockwise. Orientation 0 or 1 returns m itself.
func Orient(m *Image, o Orientation) *Image {
	if o < 2 || o > 8 {
		return m
	}
	w, h := m.W, m.H
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := NewImage(ow, oh)
	// src maps an output pixel to its input pixel.
	var src func(x, y int) (int, int)
	switch o {
	case 2:
		src = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3:
		src = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4:
		src = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5:
		src = func(x, y int) (int, int) { return y, x }
	case 6:
		src = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7:
		src = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8:
		src = func(x, y int) (int, int) { return w - 1 - y, x }
	}
	for y := 0; y < oh; y++ {
		d := out.Pix[3*y*ow:]
		for x := 0; x < ow; x++ {
			sx, sy := src(x, y)
			s := m.Pix[3*(sy*w+sx):]
			d[3*x], d[3*x+1], d[3*x+2] = s[0], s[1], s[2]
		}
	}
	return out
}
