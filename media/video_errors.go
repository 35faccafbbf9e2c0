package media

import (
	"fmt"
	"runtime"
)

// ToolMissingError reports that an external program (ffmpeg or ffprobe)
// needed for video is not installed or not on PATH.
type ToolMissingError struct {
	Program string
	Err     error
}

// Error describes the failure and names the input.
func (e *ToolMissingError) Error() string {
	return fmt.Sprintf("media: %s not found (%v); video input needs it: %s", e.Program, e.Err, installHint())
}

// Unwrap returns the underlying error.
func (e *ToolMissingError) Unwrap() error { return e.Err }

func installHint() string {
	switch runtime.GOOS {
	case "darwin":
		return "install it with `brew install ffmpeg`"
	case "windows":
		return "install it with `choco install ffmpeg` (or winget install ffmpeg) and put it on PATH"
	}
	return "install it with `apt-get install ffmpeg` (or your distribution's ffmpeg package)"
}

// NoVideoStreamError reports a media file without a video stream.
// AudioOnly is set when the file has audio streams.
type NoVideoStreamError struct {
	Path      string
	AudioOnly bool
}

// Error describes the failure and names the input.
func (e *NoVideoStreamError) Error() string {
	if e.AudioOnly {
		return fmt.Sprintf("media: %s is audio-only: no video stream", e.Path)
	}
	return fmt.Sprintf("media: %s has no video stream", e.Path)
}

// ZeroDurationError reports a video whose duration is zero or unknown, so
// no timestamps can be sampled.
type ZeroDurationError struct {
	Path string
}

// Error describes the failure and names the input.
func (e *ZeroDurationError) Error() string {
	return fmt.Sprintf("media: %s has zero or unknown duration", e.Path)
}

// VideoDecodeError reports a file that ffprobe or ffmpeg could not read or
// decode; Stderr holds the tail of the program's diagnostics.
type VideoDecodeError struct {
	Path    string
	Program string
	Stderr  string
	Err     error
}

// Error describes the failure and names the input.
func (e *VideoDecodeError) Error() string {
	if e.Stderr != "" {
		return fmt.Sprintf("media: %s cannot read %s: %v: %s", e.Program, e.Path, e.Err, e.Stderr)
	}
	return fmt.Sprintf("media: %s cannot read %s: %v", e.Program, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *VideoDecodeError) Unwrap() error { return e.Err }
