// Package media turns images and videos into the pixels and tensors a
// vision-language model expects, matching the reference Python preprocessors.
//
// Images are decoded with the Go standard library and golang.org/x/image
// (JPEG, PNG, GIF, WebP, BMP, TIFF), oriented by their EXIF tag the way
// PIL's ImageOps.exif_transpose does, and converted to packed 8-bit RGB
// (see [Image]) with PIL's conversion rules. Two alpha policies exist, because
// the reference code uses both: [AlphaDrop] is PIL's convert("RGB"), and
// [AlphaOnWhite] is transformers' convert_to_rgb (alpha composited on white,
// with PIL's integer arithmetic).
//
// [Resize] reproduces PIL's Image.resize: the same filters, the same
// antialiasing (the filter support grows with the downscale factor), the same
// order of the two separable passes (horizontal, then vertical, each skipped
// when its size does not change) and the same 22-bit fixed-point arithmetic
// with a clamped uint8 image between the passes. [ResizeFloat] is the
// float32 counterpart with torch's F.interpolate(antialias=True) semantics,
// for processors that resize tensors.
//
// JPEG decoding is Go's, not libjpeg's: Go upsamples chroma by replication
// where libjpeg-turbo interpolates ("fancy upsampling") and the IDCTs round
// differently, so decoded JPEG pixels differ from PIL's by a few units at
// colour edges (the measured difference is asserted in the decode tests).
// Every other format decodes bit-identically to PIL for the test images.
//
// Videos are read through the ffmpeg and ffprobe programs (no cgo): see
// [ProbeVideo] and [ExtractFrames].
package media
