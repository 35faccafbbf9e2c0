package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// clips builds the test videos once per test binary with ffmpeg's testsrc
// and sine sources; tests skip when ffmpeg is not installed.
var clips struct {
	once sync.Once
	dir  string
	err  error
}

func testClips(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s not installed (apt-get install ffmpeg): skipping video tests", p)
		}
	}
	clips.once.Do(func() {
		dir, err := os.MkdirTemp("", "media-video-test")
		if err != nil {
			clips.err = err
			return
		}
		clips.dir = dir
		run := func(args ...string) {
			if clips.err != nil {
				return
			}
			cmd := exec.Command("ffmpeg", append([]string{"-nostdin", "-v", "error", "-y"}, args...)...)
			if out, err := cmd.CombinedOutput(); err != nil {
				clips.err = fmt.Errorf("ffmpeg %v: %v: %s", args, err, out)
			}
		}
		// 3 s at 10 fps, lossless (exact frames), Matroska: no frame count
		// in the container, so it is estimated from duration and rate.
		run("-f", "lavfi", "-i", "testsrc=size=64x48:rate=10:duration=3", "-c:v", "ffv1", filepath.Join(dir, "clip.mkv"))
		// 8 s at 25 fps, MPEG-4 in MP4 (frame count stored), for 2 fps sampling.
		run("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=8", "-c:v", "mpeg4", "-q:v", "3", filepath.Join(dir, "clip.mp4"))
		run("-f", "lavfi", "-i", "sine=frequency=440:duration=1", filepath.Join(dir, "sine.wav"))
		clips.err = errors.Join(clips.err, os.WriteFile(filepath.Join(dir, "garbage.mp4"), bytes.Repeat([]byte("not a video "), 100), 0o644))
	})
	if clips.err != nil {
		t.Fatal(clips.err)
	}
	return clips.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if clips.dir != "" {
		os.RemoveAll(clips.dir)
	}
	os.Exit(code)
}

func TestSampleCountAndTimes(t *testing.T) {
	tests := []struct {
		duration, fps    float64
		maxFrames, avail int
		want             int
	}{
		{8, 2, 0, 200, 16},
		{8, 2, 10, 200, 10},
		{3, 2, 0, 30, 6},
		{0.2, 2, 0, 5, 1}, // rounds to 0 -> at least one
		{10, 30, 0, 100, 100},
		{2.4, 2, 0, 0, 5}, // unknown frame count
	}
	for _, tt := range tests {
		if got := SampleCount(tt.duration, tt.fps, tt.maxFrames, tt.avail); got != tt.want {
			t.Errorf("SampleCount(%v, %v, %d, %d) = %d, want %d", tt.duration, tt.fps, tt.maxFrames, tt.avail, got, tt.want)
		}
	}
	ts := SampleTimes(3, 4)
	if len(ts) != 4 || ts[0] != 0 || ts[1] != 1 || ts[2] != 2 || ts[3] != 3 {
		t.Errorf("SampleTimes(3, 4) = %v", ts)
	}
	if ts := SampleTimes(5, 1); len(ts) != 1 || ts[0] != 0 {
		t.Errorf("SampleTimes(5, 1) = %v", ts)
	}
	if i := frameIndex(3, 10, 30); i != 29 {
		t.Errorf("timestamp at the end maps to frame %d, want 29", i)
	}
}

// allFrames decodes every frame of a clip with a plain ffmpeg run.
func allFrames(t *testing.T, path string, w, h int) [][]byte {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1").Output()
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]byte
	for n := 3 * w * h; len(out) >= n; out = out[n:] {
		frames = append(frames, out[:n])
	}
	return frames
}

func TestLoadVideoFrames(t *testing.T) {
	dir := testClips(t)
	ctx := context.Background()
	for _, tt := range []struct {
		file     string
		opt      VideoOptions
		duration float64
		frames   int
	}{
		{"clip.mkv", VideoOptions{SamplesPerSecond: 2}, 3, 6},
		{"clip.mkv", VideoOptions{SamplesPerSecond: 100}, 3, 30}, // capped by available frames
		{"clip.mp4", VideoOptions{SamplesPerSecond: 2}, 8, 16},
		{"clip.mp4", VideoOptions{MaxFrames: 5, TargetFPS: func(d float64) float64 { return 4 }}, 8, 5},
	} {
		t.Run(fmt.Sprintf("%s/%d", tt.file, tt.frames), func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			pf, err := LoadVideo(ctx, path, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if pf.Duration != tt.duration || len(pf.Frames) != tt.frames {
				t.Fatalf("duration %v with %d frames, want %v and %d", pf.Duration, len(pf.Frames), tt.duration, tt.frames)
			}
			all := allFrames(t, path, pf.Info.W, pf.Info.H)
			if len(all) != pf.Info.FrameCount {
				t.Fatalf("probe says %d frames, ffmpeg decodes %d", pf.Info.FrameCount, len(all))
			}
			want := SampleTimes(tt.duration, tt.frames)
			for i, f := range pf.Frames {
				if f.Time != want[i] {
					t.Errorf("frame %d at %v, want %v", i, f.Time, want[i])
				}
				fi := frameIndex(f.Time, pf.Info.FrameRate, pf.Info.FrameCount)
				if !bytes.Equal(f.Image.Pix, all[fi]) {
					t.Errorf("frame %d (t=%v) is not decoded frame %d", i, f.Time, fi)
				}
			}
		})
	}
}

func TestLoadVideoProcessHook(t *testing.T) {
	dir := testClips(t)
	calls := 0
	pf, err := LoadVideo(context.Background(), filepath.Join(dir, "clip.mp4"), VideoOptions{
		SamplesPerSecond: 1,
		Process: func(m *Image) (*Image, error) {
			calls++
			return Resize(m, 32, 24, Bicubic)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 8 || len(pf.Frames) != 8 {
		t.Fatalf("hook called %d times for %d frames, want 8", calls, len(pf.Frames))
	}
	for _, f := range pf.Frames {
		if f.Image.W != 32 || f.Image.H != 24 {
			t.Fatalf("frame not processed: %dx%d", f.Image.W, f.Image.H)
		}
	}
	boom := errors.New("boom")
	_, err = LoadVideo(context.Background(), filepath.Join(dir, "clip.mp4"), VideoOptions{
		Process: func(*Image) (*Image, error) { return nil, boom },
	})
	if !errors.Is(err, boom) {
		t.Errorf("hook error not propagated: %v", err)
	}
}

func TestVideoErrors(t *testing.T) {
	dir := testClips(t)
	ctx := context.Background()
	check := func(name string, err error, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("%s: unexpected error %v (%T)", name, err, err)
		}
	}
	_, err := LoadVideo(ctx, filepath.Join(dir, "sine.wav"), VideoOptions{})
	var nv *NoVideoStreamError
	check("audio-only", err, errors.As(err, &nv) && nv.AudioOnly)

	_, err = LoadVideo(ctx, filepath.Join(dir, "garbage.mp4"), VideoOptions{})
	var de *VideoDecodeError
	check("garbage", err, errors.As(err, &de) && de.Program == "ffprobe")

	_, err = LoadVideo(ctx, filepath.Join("testdata", "tiny_17x3.png"), VideoOptions{})
	var zd *ZeroDurationError
	check("still image", err, errors.As(err, &zd))

	_, err = LoadVideo(ctx, filepath.Join(dir, "missing.mp4"), VideoOptions{})
	var se *SourceError
	check("missing", err, errors.As(err, &se))

	_, err = LoadVideo(ctx, filepath.Join(dir, "clip.mp4"), VideoOptions{Tools: Tools{FFprobe: filepath.Join(dir, "no-ffprobe")}})
	var tm *ToolMissingError
	check("no ffprobe", err, errors.As(err, &tm) && tm.Program == "ffprobe")

	info, err := ProbeVideo(ctx, filepath.Join(dir, "clip.mp4"), Tools{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = ExtractFrames(ctx, info, []float64{0}, VideoOptions{Tools: Tools{FFmpeg: filepath.Join(dir, "no-ffmpeg")}})
	check("no ffmpeg", err, errors.As(err, &tm) && tm.Program == "ffmpeg")

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = ExtractFrames(cancelled, info, []float64{0, 7.9}, VideoOptions{})
	check("cancelled", err, errors.Is(err, context.Canceled))
}

// TestExtractFramesCancelMidStream cancels the context from the frame hook
// after the first frame: ffmpeg must be killed and the cancellation returned.
func TestExtractFramesCancelMidStream(t *testing.T) {
	dir := testClips(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	frames := 0
	_, err := LoadVideo(ctx, filepath.Join(dir, "clip.mp4"), VideoOptions{
		SamplesPerSecond: 2,
		Process: func(m *Image) (*Image, error) {
			frames++
			cancel()
			return m, nil
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if frames >= 16 {
		t.Errorf("all %d frames were processed despite the cancellation", frames)
	}
}

// TestLoadVideoURL loads a clip from a loopback HTTP server: ffprobe and
// ffmpeg read the URL themselves, so the frames equal the file's. A URL
// that answers 404 is a *VideoDecodeError.
func TestLoadVideoURL(t *testing.T) {
	dir := testClips(t)
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx := context.Background()
	opt := VideoOptions{SamplesPerSecond: 2}
	want, err := LoadVideo(ctx, filepath.Join(dir, "clip.mkv"), opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := LoadVideo(ctx, srv.URL+"/clip.mkv", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Frames) != len(want.Frames) {
		t.Fatalf("%d frames from the URL, %d from the file", len(got.Frames), len(want.Frames))
	}
	for i := range got.Frames {
		if !bytes.Equal(got.Frames[i].Image.Pix, want.Frames[i].Image.Pix) {
			t.Errorf("frame %d differs between URL and file", i)
		}
	}
	var de *VideoDecodeError
	if _, err := LoadVideo(ctx, srv.URL+"/missing.mkv", opt); !errors.As(err, &de) {
		t.Errorf("404: got %v (%T), want a *VideoDecodeError", err, err)
	}
}
