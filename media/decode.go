package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"
	"os"

	// Formats understood by Decode.
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// DefaultMaxPixels is PIL's Image.MAX_IMAGE_PIXELS: the default limit on
// width*height checked before decoding.
const DefaultMaxPixels = 89_478_485

// DecodeOptions controls Decode. The zero value decodes like PIL followed by
// ImageOps.exif_transpose and convert("RGB"), with the default pixel limit.
type DecodeOptions struct {
	// Alpha says how transparency is removed (default AlphaDrop).
	Alpha AlphaMode
	// MaxPixels limits width*height; 0 means DefaultMaxPixels and a negative
	// value disables the check.
	MaxPixels int
	// IgnoreOrientation skips the EXIF orientation transform.
	IgnoreOrientation bool
}

func (o DecodeOptions) limit() int {
	if o.MaxPixels == 0 {
		return DefaultMaxPixels
	}
	return o.MaxPixels
}

// Config reads an image's format and size without decoding its pixels.
// Errors are *DecodeError.
func Config(data []byte, source string) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, format, &DecodeError{Source: source, Format: format, Err: err}
	}
	return cfg, format, nil
}

// DecodeBytes decodes an encoded image (JPEG, PNG, GIF first frame, WebP, BMP
// or TIFF) into RGB. source names the input in errors. It checks the
// dimensions against the pixel limit before decoding (*TooLargeError), and
// reports bad or truncated data as *DecodeError; it never panics.
func DecodeBytes(data []byte, source string, opt DecodeOptions) (*Image, error) {
	cfg, format, err := Config(data, source)
	if err != nil {
		return nil, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, &DecodeError{Source: source, Format: format, Err: fmt.Errorf("invalid size %dx%d", cfg.Width, cfg.Height)}
	}
	if lim := opt.limit(); lim > 0 && (cfg.Width > lim || cfg.Height > lim || cfg.Width*cfg.Height > lim) {
		return nil, &TooLargeError{Source: source, W: cfg.Width, H: cfg.Height, Limit: lim}
	}
	img, err := safeDecode(data)
	if err != nil {
		return nil, &DecodeError{Source: source, Format: format, Err: err}
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, &DecodeError{Source: source, Format: format,
			Err: fmt.Errorf("decoded size %dx%d differs from header %dx%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)}
	}
	m := toRGB(img, format, data, opt.Alpha)
	if !opt.IgnoreOrientation {
		m = Orient(m, ReadOrientation(data))
	}
	return m, nil
}

// toRGB converts a decoded image with the conversion that matches the
// reference decoder of its format (libjpeg for JPEG, libwebp for lossy WebP,
// PIL's mode rules otherwise).
func toRGB(img image.Image, format string, data []byte, alpha AlphaMode) *Image {
	if p, ok := img.(*image.Paletted); ok && format == "gif" {
		restoreGIFTransparent(p, data)
	}
	switch y := img.(type) {
	case *image.YCbCr:
		switch format {
		case "jpeg":
			return fromJPEGYCbCr(y)
		case "webp":
			return fromWebPYCbCr(y, nil, alpha)
		}
	case *image.NYCbCrA:
		if format == "webp" {
			return fromWebPYCbCr(&y.YCbCr, y, alpha)
		}
	}
	return FromImage(img, alpha)
}

// safeDecode runs the registered decoder and turns a decoder panic into an
// error, so corrupt user input can never crash the caller.
func safeDecode(data []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", r)
		}
	}()
	img, _, err = image.Decode(bytes.NewReader(data))
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return img, err
}

// Decode reads all of r and decodes it as DecodeBytes does.
func Decode(r io.Reader, source string, opt DecodeOptions) (*Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &SourceError{Source: source, Err: err}
	}
	return DecodeBytes(data, source, opt)
}

// DecodeFile reads and decodes the image file at path.
func DecodeFile(path string, opt DecodeOptions) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &SourceError{Source: path, Err: err}
	}
	return DecodeBytes(data, path, opt)
}
