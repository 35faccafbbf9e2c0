package vlm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/govlm/govlm/hub"
)

// fakeHub serves the files of dir as repository repo at one commit, with
// the model-info API and resolve URLs of the Hugging Face hub, and records
// which files were downloaded.
func fakeHub(t *testing.T, repo, dir string, extra map[string]string) (*httptest.Server, func() []string) {
	t.Helper()
	const commit = "0123456789abcdef0123456789abcdef01234567"
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	for name, content := range extra {
		files[name] = []byte(content)
	}
	var mu sync.Mutex
	var got []string
	mux := http.NewServeMux()
	mux.HandleFunc("/api/models/"+repo+"/revision/main", func(w http.ResponseWriter, r *http.Request) {
		info := map[string]any{"sha": commit}
		var sib []map[string]string
		for name := range files {
			sib = append(sib, map[string]string{"rfilename": name})
		}
		info["siblings"] = sib
		json.NewEncoder(w).Encode(info)
	})
	mux.HandleFunc("/"+repo+"/resolve/"+commit+"/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/"+repo+"/resolve/"+commit+"/")
		b, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		sum := sha256.Sum256(b)
		w.Header().Set("X-Repo-Commit", commit)
		w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:])+`"`)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		if r.Method == http.MethodGet {
			mu.Lock()
			got = append(got, name)
			mu.Unlock()
			w.Write(b)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Sorted(slices.Values(got))
	}
}

func TestLoadFromHubDownloadsOnlyNeededFiles(t *testing.T) {
	dir := writeTinyCheckpoint(t, tinyCfg, 1, 0)
	srv, downloaded := fakeHub(t, "govlm/tiny", dir, map[string]string{
		"README.md":         "# tiny",
		"pytorch_model.bin": "not needed",
		"images/demo.png":   "not needed",
	})
	client := &hub.Client{Endpoint: srv.URL, CacheDir: t.TempDir(), MaxRetries: -1}
	var progress []hub.Progress
	mc, err := Load(context.Background(), ModelConfiguration{ID: "govlm/tiny"}, LoadOptions{
		Hub:      client,
		Progress: func(p hub.Progress) { progress = append(progress, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	want := []string{"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"}
	if got := downloaded(); !slices.Equal(got, want) {
		t.Errorf("downloaded %v, want %v", got, want)
	}
	if len(progress) == 0 {
		t.Error("no progress reported")
	}
	got := collectTokens(t, mc.Model, tinyPrompt, GenerateParameters{MaxTokens: 5}, nil)
	if want := greedyReference(t, newBoundTinyModel(t, tinyCfg, 1), tinyPrompt, 5); !slices.Equal(got, want) {
		t.Errorf("hub-loaded model generates %v, want %v", got, want)
	}
	// Offline, the cache answers.
	client.Offline = true
	mc2, err := Load(context.Background(), ModelConfiguration{ID: "govlm/tiny"}, LoadOptions{Hub: client})
	if err != nil {
		t.Fatalf("offline load from the cache: %v", err)
	}
	mc2.Close()
	if _, err := Load(context.Background(), ModelConfiguration{ID: "govlm/absent"}, LoadOptions{Hub: client}); !errors.Is(err, ErrLoad) {
		t.Errorf("missing repository: %v", err)
	}
}
