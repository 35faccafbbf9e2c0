package media

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// VideoFrame is one sampled frame and its time in seconds from the start of
// the video.
type VideoFrame struct {
	Image *Image
	Time  float64
}

// ProcessedFrames is the result of LoadVideo: the frames in time order, the
// video's total duration in seconds, and its description.
type ProcessedFrames struct {
	Frames   []VideoFrame
	Duration float64
	Info     *VideoInfo
}

// VideoOptions controls LoadVideo's sampling.
type VideoOptions struct {
	// SamplesPerSecond is a fixed sampling rate. Ignored when TargetFPS is
	// set; when both are unset DefaultSamplesPerSecond is used.
	SamplesPerSecond float64
	// TargetFPS chooses the sampling rate from the duration in seconds.
	TargetFPS func(duration float64) float64
	// MaxFrames caps the number of frames (0: no cap).
	MaxFrames int
	// Process, when set, is applied to each frame as it is read (e.g. a
	// resize), so full-size frames need not all be kept in memory.
	Process func(*Image) (*Image, error)
	// Tools names the ffmpeg and ffprobe programs.
	Tools Tools
}

// LoadVideo probes the video at path and samples frames as MLX's media
// processing does: fps = TargetFPS(duration) or SamplesPerSecond; the number
// of frames is round(fps*duration) clamped to [1, MaxFrames] and to the
// frames available; timestamps are evenly spaced from 0 to the duration
// inclusive, each mapped to the frame displayed at that time.
func LoadVideo(ctx context.Context, path string, opt VideoOptions) (*ProcessedFrames, error) {
	info, err := ProbeVideo(ctx, path, opt.Tools)
	if err != nil {
		return nil, err
	}
	fps := opt.SamplesPerSecond
	if opt.TargetFPS != nil {
		fps = opt.TargetFPS(info.Duration)
	}
	if fps <= 0 {
		fps = DefaultSamplesPerSecond
	}
	n := SampleCount(info.Duration, fps, opt.MaxFrames, info.FrameCount)
	frames, err := ExtractFrames(ctx, info, SampleTimes(info.Duration, n), opt)
	if err != nil {
		return nil, err
	}
	return &ProcessedFrames{Frames: frames, Duration: info.Duration, Info: info}, nil
}

// ExtractFrames decodes the frames shown at the given times (seconds from
// the start, any order) with one ffmpeg process: a select filter keeps
// exactly the needed frame numbers, which arrive as raw RGB through a pipe;
// ffmpeg is stopped as soon as the last one is read. This decodes the video
// once, sequentially, up to the last needed frame, and picks frames by
// index, so results are exact for constant-frame-rate video (variable-rate
// video is indexed at its average rate). Cancelling ctx kills ffmpeg.
func ExtractFrames(parent context.Context, info *VideoInfo, times []float64, opt VideoOptions) ([]VideoFrame, error) {
	if len(times) == 0 {
		return nil, nil
	}
	prog, err := opt.Tools.path("ffmpeg", opt.Tools.FFmpeg)
	if err != nil {
		return nil, err
	}
	idx := make([]int, len(times))
	for i, t := range times {
		idx[i] = frameIndex(t, info.FrameRate, info.FrameCount)
	}
	uniq := append([]int(nil), idx...)
	sort.Ints(uniq)
	uniq = compactInts(uniq)
	terms := make([]string, len(uniq))
	for i, v := range uniq {
		terms[i] = "eq(n\\," + strconv.Itoa(v) + ")"
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, prog, "-nostdin", "-v", "error", "-i", info.Path,
		"-map", "0:v:0", "-vf", "select='"+strings.Join(terms, "+")+"'", "-vsync", "0",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, &VideoDecodeError{Path: info.Path, Program: "ffmpeg", Err: err}
	}
	byIndex := make(map[int]*Image, len(uniq))
	size := 3 * info.W * info.H
	var readErr error
	var last *Image
	for _, fi := range uniq {
		m := NewImage(info.W, info.H)
		if _, err := io.ReadFull(stdout, m.Pix[:size]); err != nil {
			if err == io.EOF && last != nil {
				// The stream ended on a frame boundary: the frame count was
				// an estimate past the real last frame. Later samples get
				// the last frame, as for timestamps at the very end.
				byIndex[fi] = last
				continue
			}
			readErr = fmt.Errorf("frame %d: %w", fi, err)
			break
		}
		if opt.Process != nil {
			if m, err = opt.Process(m); err != nil {
				cancel()
				_ = cmd.Wait()
				return nil, fmt.Errorf("media: processing frame %d of %s: %w", fi, info.Path, err)
			}
		}
		byIndex[fi], last = m, m
	}
	// All frames read (or a failure): stop ffmpeg rather than let it decode
	// the rest of the file.
	cancel()
	waitErr := cmd.Wait()
	if err := parent.Err(); err != nil {
		return nil, err
	}
	if readErr != nil {
		if waitErr == nil {
			waitErr = readErr
		}
		return nil, &VideoDecodeError{Path: info.Path, Program: "ffmpeg", Stderr: tail(stderr.String()), Err: fmt.Errorf("%w (%v)", readErr, waitErr)}
	}
	out := make([]VideoFrame, len(times))
	for i, t := range times {
		out[i] = VideoFrame{Image: byIndex[idx[i]], Time: t}
	}
	return out, nil
}

func compactInts(s []int) []int {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
