package media

import (
	"image"
	"image/color"
)

// gifTransparent finds the first frame's transparent palette index and its
// stored colour. Go's GIF decoder replaces that palette entry with
// transparent black; PIL keeps the colour, and convert("RGB") shows it.
func gifTransparent(d []byte) (idx int, c [3]uint8, ok bool) {
	if len(d) < 13 || string(d[:3]) != "GIF" {
		return 0, c, false
	}
	var global []byte
	i := 13
	if d[10]&0x80 != 0 {
		n := 3 << (d[10]&7 + 1)
		if i+n > len(d) {
			return 0, c, false
		}
		global, i = d[i:i+n], i+n
	}
	trans := -1
	for i < len(d) {
		switch d[i] {
		case 0x21: // extension
			if i+2 > len(d) {
				return 0, c, false
			}
			if d[i+1] == 0xf9 && i+7 < len(d) && d[i+2] == 4 && d[i+3]&1 != 0 {
				trans = int(d[i+6])
			}
			i += 2
			for i < len(d) && d[i] != 0 { // skip sub-blocks
				i += int(d[i]) + 1
			}
			i++
		case 0x2c: // image descriptor: the first frame
			if trans < 0 || i+10 > len(d) {
				return 0, c, false
			}
			pal := global
			if d[i+9]&0x80 != 0 {
				n := 3 << (d[i+9]&7 + 1)
				if i+10+n > len(d) {
					return 0, c, false
				}
				pal = d[i+10 : i+10+n]
			}
			if 3*trans+3 > len(pal) {
				return 0, c, false
			}
			copy(c[:], pal[3*trans:])
			return trans, c, true
		default:
			return 0, c, false
		}
	}
	return 0, c, false
}

// restoreGIFTransparent puts the stored colour back on the transparent
// palette entry (as a fully transparent NRGBA), so AlphaDrop matches PIL.
func restoreGIFTransparent(p *image.Paletted, data []byte) {
	idx, c, ok := gifTransparent(data)
	if !ok || idx >= len(p.Palette) {
		return
	}
	pal := append(color.Palette(nil), p.Palette...)
	pal[idx] = color.NRGBA{R: c[0], G: c[1], B: c[2], A: 0}
	p.Palette = pal
}
