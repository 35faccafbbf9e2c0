package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// VideoInfo describes the first video stream of a file, from ffprobe.
type VideoInfo struct {
	Path        string
	Duration    float64 // seconds: the stream's, else the container's
	StartTime   float64 // seconds, presentation time of the first frame
	FrameRate   float64 // average frames per second
	FrameCount  int     // from the container, else round(Duration*FrameRate)
	W, H        int     // displayed size (after rotation metadata)
	Rotation    int     // display rotation in degrees, as ffmpeg applies it
	Codec       string
	StreamIndex int
}

// Tools names the programs used for video; empty fields are looked up on
// PATH as "ffmpeg" and "ffprobe".
type Tools struct {
	FFmpeg, FFprobe string
}

func (t Tools) path(name, override string) (string, error) {
	if override == "" {
		override = name
	}
	p, err := exec.LookPath(override)
	if err != nil {
		return "", &ToolMissingError{Program: name, Err: err}
	}
	return p, nil
}

// ffprobe's JSON, reduced to the fields used.
type probeJSON struct {
	Streams []struct {
		Index        int    `json:"index"`
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		AvgFrameRate string `json:"avg_frame_rate"`
		RFrameRate   string `json:"r_frame_rate"`
		NbFrames     string `json:"nb_frames"`
		Duration     string `json:"duration"`
		StartTime    string `json:"start_time"`
		Disposition  struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
		Tags         map[string]string `json:"tags"`
		SideDataList []struct {
			Rotation *float64 `json:"rotation"`
		} `json:"side_data_list"`
	} `json:"streams"`
	Format struct {
		Duration  string `json:"duration"`
		StartTime string `json:"start_time"`
	} `json:"format"`
}

// ProbeVideo runs ffprobe on path and describes its first video stream.
// Errors: *ToolMissingError, *VideoDecodeError (unreadable file),
// *NoVideoStreamError (AudioOnly for audio files), *ZeroDurationError.
func ProbeVideo(ctx context.Context, path string, tools Tools) (*VideoInfo, error) {
	prog, err := tools.path("ffprobe", tools.FFprobe)
	if err != nil {
		return nil, err
	}
	// ffprobe and ffmpeg read http(s) URLs themselves; only a file can be
	// checked first.
	if !strings.HasPrefix(path, "http://") && !strings.HasPrefix(path, "https://") {
		if _, err := os.Stat(path); err != nil {
			return nil, &SourceError{Source: path, Err: err}
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, prog, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &VideoDecodeError{Path: path, Program: "ffprobe", Stderr: tail(stderr.String()), Err: err}
	}
	var pj probeJSON
	if err := json.Unmarshal(stdout.Bytes(), &pj); err != nil {
		return nil, &VideoDecodeError{Path: path, Program: "ffprobe", Err: err}
	}
	return infoFromProbe(path, &pj)
}

func infoFromProbe(path string, pj *probeJSON) (*VideoInfo, error) {
	audio := false
	for _, s := range pj.Streams {
		if s.CodecType == "audio" {
			audio = true
		}
		if s.CodecType != "video" || s.Disposition.AttachedPic != 0 {
			continue
		}
		info := &VideoInfo{Path: path, Codec: s.CodecName, StreamIndex: s.Index, W: s.Width, H: s.Height}
		info.FrameRate = parseRate(s.AvgFrameRate)
		if info.FrameRate <= 0 {
			info.FrameRate = parseRate(s.RFrameRate)
		}
		info.Duration = parseFloat(s.Duration)
		if info.Duration <= 0 {
			info.Duration = parseFloat(pj.Format.Duration)
		}
		info.StartTime = parseFloat(s.StartTime)
		for _, sd := range s.SideDataList {
			if sd.Rotation != nil {
				info.Rotation = int(math.Round(*sd.Rotation))
			}
		}
		if r, ok := s.Tags["rotate"]; ok && info.Rotation == 0 {
			info.Rotation, _ = strconv.Atoi(r)
		}
		if ((info.Rotation%180)+180)%180 == 90 {
			info.W, info.H = info.H, info.W
		}
		if n, err := strconv.Atoi(s.NbFrames); err == nil && n > 0 {
			info.FrameCount = n
		} else if info.FrameRate > 0 {
			info.FrameCount = int(math.Round(info.Duration * info.FrameRate))
		}
		if info.W <= 0 || info.H <= 0 {
			return nil, &VideoDecodeError{Path: path, Program: "ffprobe", Err: errors.New("video stream has no size")}
		}
		if info.Duration <= 0 || info.FrameCount <= 0 {
			return nil, &ZeroDurationError{Path: path}
		}
		return info, nil
	}
	return nil, &NoVideoStreamError{Path: path, AudioOnly: audio}
}

// parseRate parses ffprobe's "num/den" rates; "0/0" gives 0.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseFloat(s)
	}
	n, d := parseFloat(num), parseFloat(den)
	if d == 0 {
		return 0
	}
	return n / d
}

func parseFloat(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// tail returns the last few hundred bytes of program diagnostics.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 400 {
		s = "…" + s[len(s)-400:]
	}
	return s
}
