package media

import (
	"bytes"
	"encoding/binary"
)

// Orientation is the EXIF Orientation tag (0x0112): 1 is upright, 2..8 name a
// flip and/or rotation to apply for display; 0 means absent or invalid.
type Orientation int

// ReadOrientation returns the EXIF orientation stored in a JPEG (APP1 Exif
// segment), PNG (eXIf chunk), WebP (EXIF chunk) or TIFF (IFD0) file, or 0 when
// there is none. It never fails: malformed metadata reads as absent.
func ReadOrientation(data []byte) Orientation {
	switch {
	case len(data) >= 4 && data[0] == 0xff && data[1] == 0xd8:
		return orientationJPEG(data)
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return orientationPNG(data)
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return orientationWebP(data)
	case bytes.HasPrefix(data, []byte("II*\x00")) || bytes.HasPrefix(data, []byte("MM\x00*")):
		return orientationTIFF(data)
	}
	return 0
}

func orientationJPEG(d []byte) Orientation {
	i := 2
	for i+4 <= len(d) {
		if d[i] != 0xff {
			return 0
		}
		m := d[i+1]
		if m == 0xff { // fill byte
			i++
			continue
		}
		if m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01 {
			i += 2
			continue
		}
		if m == 0xda || m == 0xd9 { // start of scan / end of image
			return 0
		}
		n := int(binary.BigEndian.Uint16(d[i+2:]))
		if n < 2 || i+2+n > len(d) {
			return 0
		}
		seg := d[i+4 : i+2+n]
		if m == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return orientationTIFF(seg[6:])
		}
		i += 2 + n
	}
	return 0
}

func orientationPNG(d []byte) Orientation {
	i := 8
	for i+12 <= len(d) {
		n := int(binary.BigEndian.Uint32(d[i:]))
		typ := string(d[i+4 : i+8])
		if n < 0 || n > len(d)-i-12 {
			return 0
		}
		if typ == "eXIf" {
			return orientationTIFF(bytes.TrimPrefix(d[i+8:i+8+n], []byte("Exif\x00\x00")))
		}
		if typ == "IEND" {
			return 0
		}
		i += 12 + n
	}
	return 0
}

func orientationWebP(d []byte) Orientation {
	i := 12
	for i+8 <= len(d) {
		typ := string(d[i : i+4])
		n := int(binary.LittleEndian.Uint32(d[i+4:]))
		if n < 0 || n > len(d)-i-8 {
			return 0
		}
		if typ == "EXIF" {
			return orientationTIFF(bytes.TrimPrefix(d[i+8:i+8+n], []byte("Exif\x00\x00")))
		}
		i += 8 + n + n&1
	}
	return 0
}

// orientationTIFF reads tag 0x0112 from the first IFD of a TIFF structure.
func orientationTIFF(t []byte) Orientation {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[off:]))
	for e := off + 2; e+12 <= int64(len(t)) && n > 0; e, n = e+12, n-1 {
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		if typ := bo.Uint16(t[e+2:]); typ != 3 { // SHORT
			return 0
		}
		v := Orientation(bo.Uint16(t[e+8:]))
		if v < 1 || v > 8 {
			return 0
		}
		return v
	}
	return 0
}
