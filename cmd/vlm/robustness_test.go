package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bombPNG returns a PNG signature and header chunk declaring a w×h RGB
// image, with no pixel data: what a decompression bomb shows before its
// pixels.
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestBadMediaInputsFailOnOneLine runs `vlm generate` on the SmolVLM
// fixture with media it cannot use — missing files, a folder, URLs that
// answer 404, garbage, a body larger than the download limit or a PNG
// header of 2.5 billion pixels, a text file as a video — and checks each
// exits with status 1 and one line on stderr naming the input.
func TestBadMediaInputsFailOnOneLine(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "models", "smolvlm")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("smolvlm fixture absent")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/missing.png", http.NotFound)
	mux.HandleFunc("/garbage.png", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html>not an image</html>"))
	})
	mux.HandleFunc("/huge.png", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, io.LimitReader(zeros{}, 65<<20))
	})
	mux.HandleFunc("/bomb.png", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bombPNG(50_000, 50_000))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tmp := t.TempDir()
	text := filepath.Join(tmp, "notes.mp4")
	if err := os.WriteFile(text, []byte("not a video\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens on its port any more
	qwen := filepath.Join(repoRoot, "testdata", "models", "qwen2_vl")
	cases := []struct {
		name  string
		model string
		flag  string
		input string
		// names is what stderr must hold besides the input.
		names []string
	}{
		{"missing file", dir, "--image", filepath.Join(tmp, "no-such.png"), []string{"no such file"}},
		{"folder", dir, "--image", tmp, []string{"is a directory"}},
		{"404", dir, "--image", srv.URL + "/missing.png", []string{"404"}},
		{"garbage", dir, "--image", srv.URL + "/garbage.png", []string{"unknown format"}},
		{"huge body", dir, "--image", srv.URL + "/huge.png", []string{"size limit"}},
		{"pixel bomb", dir, "--image", srv.URL + "/bomb.png", []string{"2500000000 pixels"}},
		{"closed port", dir, "--image", closed.URL + "/x.png", []string{"refused"}},
		// The smolvlm fixture's template has no video part: Qwen2-VL's has.
		{"text as video", qwen, "--video", text, nil},
		{"video URL 404", qwen, "--video", srv.URL + "/missing.mp4", []string{"ffprobe"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.flag == "--video" {
				for _, tool := range []string{"ffmpeg", "ffprobe"} {
					if _, err := exec.LookPath(tool); err != nil {
						t.Skipf("%s absent", tool)
					}
				}
				if _, err := os.Stat(c.model); err != nil {
					t.Skip("qwen2_vl fixture absent")
				}
			}
			code, stdout, stderr := runCLI(t, "", "generate", "--model", c.model, c.flag, c.input, "--max-tokens", "2")
			if code != 1 || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q: want exit 1 and no output", code, stdout, stderr)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr is not one line: %q", stderr)
			}
			for _, s := range append(c.names, c.input) {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not name %q: %q", s, stderr)
				}
			}
			if strings.Contains(stderr, "Hugging Face hub") {
				t.Errorf("a media failure blamed on the hub: %q", stderr)
			}
		})
	}
}

// TestChatSurvivesABadImage attaches a missing image in `vlm chat`: the
// turn prints one error line naming the file and the chat goes on to
// answer the next message.
func TestChatSurvivesABadImage(t *testing.T) {
	dir := filepath.Join(repoRoot, "testdata", "models", "smolvlm")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("smolvlm fixture absent")
	}
	missing := filepath.Join(t.TempDir(), "gone.png")
	input := "/image " + missing + "\nWhat is it?\nHello\n/stats\n/quit\n"
	code, stdout, stderr := runCLI(t, input, "chat", "--model", dir, "--max-tokens", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var errLines []string
	for _, l := range strings.Split(stdout+stderr, "\n") {
		if strings.HasPrefix(l, "error: ") {
			errLines = append(errLines, l)
		}
	}
	if len(errLines) != 1 || !strings.Contains(errLines[0], missing) || strings.Contains(errLines[0], "Hugging Face hub") {
		t.Fatalf("want one error line naming %s, got %q\n%s", missing, errLines, stdout)
	}
	if !strings.Contains(stdout, "generation 2 tokens") {
		t.Errorf("the turn after the error did not answer:\n%s", stdout)
	}
}
