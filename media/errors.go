package media

import (
	"errors"
	"fmt"
)

// DecodeError reports input that is not a decodable image: an unknown
// format, truncated or corrupt data, or a decoder failure. Source names the
// input (a path, URL, or a caller-chosen label).
type DecodeError struct {
	Source string
	Format string // the detected format, "" when unknown
	Err    error
}

// Error describes the failure and names the input.
func (e *DecodeError) Error() string {
	if e.Format != "" {
		return fmt.Sprintf("media: decode %s (%s): %v", e.Source, e.Format, e.Err)
	}
	return fmt.Sprintf("media: decode %s: %v", e.Source, e.Err)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// TooLargeError reports an image whose pixel count exceeds the limit (a
// decompression-bomb guard); it is returned before any pixel is decoded.
type TooLargeError struct {
	Source string
	W, H   int
	Limit  int
}

// Error describes the failure and names the input.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("media: %s is %dx%d = %d pixels, over the limit of %d", e.Source, e.W, e.H, e.W*e.H, e.Limit)
}

// SourceError reports an input that could not be read: a missing file, a bad
// data: URL, an HTTP failure or status, or a body over the size limit.
type SourceError struct {
	Source string
	Err    error
}

// Error describes the failure and names the input.
func (e *SourceError) Error() string { return fmt.Sprintf("media: read %s: %v", e.Source, e.Err) }

// Unwrap returns the underlying error.
func (e *SourceError) Unwrap() error { return e.Err }

// ErrBodyTooLarge is wrapped by a SourceError when an input is larger than the
// allowed number of bytes.
var ErrBodyTooLarge = errors.New("input larger than the size limit")

// SizeError reports an invalid size or rectangle passed to an operation.
type SizeError struct {
	Op     string
	Reason string
}

// Error describes the failure and names the input.
func (e *SizeError) Error() string { return fmt.Sprintf("media: %s: %s", e.Op, e.Reason) }
