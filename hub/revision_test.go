package hub

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestSnapshotRevisions(t *testing.T) {
	fh := newFakeHub(t)
	filesA := tinyModel()
	filesB := append(tinyModel()[:2], fakeFile{name: "config.json", data: []byte(`{"model_type":"tiny","hidden_size":16}`)})
	repo := fh.addRepo("org/tiny", commitA, filesA)
	repo.commits[commitB] = filesB
	repo.refs["v1.0"] = commitA
	repo.refs["refs/pr/1"] = commitB
	repo.refs["dev"] = commitB
	c := fh.client(t)
	ctx := context.Background()

	cases := []struct {
		rev     string
		commit  string
		refFile string // "" when no ref file may be written
	}{
		{rev: "main", commit: commitA, refFile: "main"},
		{rev: "v1.0", commit: commitA, refFile: "v1.0"},
		{rev: "refs/pr/1", commit: commitB, refFile: "refs/pr/1"},
		{rev: "dev", commit: commitB, refFile: "dev"},
		{rev: commitB, commit: commitB},
	}
	for _, tc := range cases {
		dir, err := c.Snapshot(ctx, "org/tiny", tc.rev, []string{"*.json"}, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.rev, err)
		}
		if filepath.Base(dir) != tc.commit {
			t.Errorf("%s: snapshot %s, want commit %s", tc.rev, dir, tc.commit)
		}
		if tc.refFile != "" {
			if got := readRef(t, c.CacheDir, "org/tiny", tc.refFile); got != tc.commit {
				t.Errorf("refs/%s = %q, want %q", tc.refFile, got, tc.commit)
			}
		}
	}
	refs, _ := os.ReadDir(filepath.Join(c.CacheDir, "models--org--tiny", "refs"))
	var names []string
	for _, e := range refs {
		names = append(names, e.Name())
	}
	if want := []string{"dev", "main", "refs", "v1.0"}; !slices.Equal(names, want) {
		t.Errorf("refs folder holds %v, want %v (no ref for a commit hash)", names, want)
	}
	got, _ := os.ReadFile(filepath.Join(c.CacheDir, "models--org--tiny", "snapshots", commitB, "config.json"))
	if !strings.Contains(string(got), "16") {
		t.Errorf("commit B's config.json = %s", got)
	}
	if !slices.Contains(fh.logged(), "GET hub /api/models/org/tiny/revision/refs%2Fpr%2F1") {
		t.Errorf("revision not escaped as one path segment: %v", fh.logged())
	}
}

func TestSnapshotNotFound(t *testing.T) {
	fh := newFakeHub(t)
	repo := fh.addRepo("org/tiny", commitA, tinyModel())
	repo.extra = []string{"ghost.json"} // listed, but resolve answers 404
	cases := []struct {
		repo, rev string
		patterns  []string
		kind      NotFoundKind
	}{
		{repo: "org/nope", rev: "main", kind: NotFoundRepo},
		{repo: "org/tiny", rev: "v9", kind: NotFoundRevision},
		{repo: "org/tiny", rev: "main", patterns: []string{"ghost.json"}, kind: NotFoundFile},
		{repo: "org/tiny", rev: "main", patterns: []string{"*.gguf"}, kind: NotFoundFile},
	}
	for _, tc := range cases {
		_, err := fh.client(t).Snapshot(context.Background(), tc.repo, tc.rev, tc.patterns, nil)
		var nf *NotFoundError
		if !errors.As(err, &nf) || nf.Kind != tc.kind {
			t.Errorf("%s@%s %v: got %v, want a %v NotFoundError", tc.repo, tc.rev, tc.patterns, err, tc.kind)
		}
	}
}

func TestSnapshotGated(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	repo := fh.addRepo("org/gated", commitA, files)
	repo.gated = true
	fh.token = "hf_good"
	for _, token := range []string{"", "hf_bad"} {
		c := fh.client(t)
		c.Token = token
		_, err := c.Snapshot(context.Background(), "org/gated", "main", nil, nil)
		var ae *AuthError
		if !errors.As(err, &ae) || !ae.Gated || ae.Status != 401 || ae.HasToken != (token != "") {
			t.Fatalf("token %q: got %v, want a gated AuthError", token, err)
		}
		if token == "" && !strings.Contains(err.Error(), "HF_TOKEN") {
			t.Errorf("message does not say to set HF_TOKEN: %v", err)
		}
	}
	c := fh.client(t)
	c.Token = fh.token
	if _, err := c.Snapshot(context.Background(), "org/gated", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/gated", commitA, files, defaultSelection)
	if fh.cdnAuth != 0 {
		t.Errorf("the token reached the CDN %d times", fh.cdnAuth)
	}
}

func TestSnapshotPatterns(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	cases := []struct {
		patterns []string
		want     []string
	}{
		{nil, defaultSelection},
		{[]string{"*.json"}, []string{"config.json", "tokenizer.json"}},
		{[]string{"*.safetensors"}, []string{"extra/shard-00002.safetensors", "model.safetensors"}},
		{[]string{"extra/"}, []string{"extra/shard-00002.safetensors"}},
		{[]string{"onnx/*", "README.md"}, []string{"README.md", "onnx/model.onnx"}},
		{[]string{"config.jso?", "[ct]*.json"}, []string{"config.json", "tokenizer.json"}},
	}
	for _, tc := range cases {
		c := fh.client(t)
		dir, err := c.Snapshot(context.Background(), "org/tiny", "main", tc.patterns, nil)
		if err != nil {
			t.Fatalf("%v: %v", tc.patterns, err)
		}
		checkLayout(t, c.CacheDir, "org/tiny", commitA, files, tc.want)
		if filepath.Base(dir) != commitA {
			t.Errorf("%v: dir %s", tc.patterns, dir)
		}
	}
}

func TestSnapshotBadInput(t *testing.T) {
	c := &Client{CacheDir: t.TempDir(), Endpoint: "http://127.0.0.1:1", Offline: true}
	ctx := context.Background()
	var re *RepoIDError
	if _, err := c.Snapshot(ctx, "a/b/c", "", nil, nil); !errors.As(err, &re) {
		t.Errorf("bad repo id: %v", err)
	}
	var ve *RevisionError
	if _, err := c.Snapshot(ctx, "org/tiny", "../../x", nil, nil); !errors.As(err, &ve) {
		t.Errorf("bad revision: %v", err)
	}
	var pe *PatternError
	if _, err := c.Snapshot(ctx, "org/tiny", "", []string{""}, nil); !errors.As(err, &pe) {
		t.Errorf("bad pattern: %v", err)
	}
	if _, err := c.CachedSnapshot("org/tiny", "/abs"); !errors.As(err, &ve) {
		t.Errorf("CachedSnapshot, bad revision: %v", err)
	}
}

// TestSnapshotRenamedRepo follows the hub's relative redirects for a renamed
// repository, and caches under the name the caller used, as huggingface_hub.
func TestSnapshotRenamedRepo(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/new-name", commitA, files)
	fh.renamed = map[string]string{"org/old-name": "org/new-name"}
	c := fh.client(t)
	if _, err := c.Snapshot(context.Background(), "org/old-name", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/old-name", commitA, files, defaultSelection)
}

// TestSnapshotBranchMoves: with Refresh, a branch that moved to a new commit
// gets a new snapshot, and blobs the commits share are not downloaded again.
func TestSnapshotBranchMoves(t *testing.T) {
	fh := newFakeHub(t)
	filesA := tinyModel()
	repo := fh.addRepo("org/tiny", commitA, filesA)
	c := fh.client(t)
	ctx := context.Background()
	if _, err := c.Snapshot(ctx, "org/tiny", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	filesB := tinyModel()
	filesB[2].data = []byte(`{"model_type":"tiny","hidden_size":32}`) // config.json changes, weights do not
	fh.mu.Lock()
	repo.commits[commitB] = filesB
	repo.refs["main"] = commitB
	fh.mu.Unlock()

	if dir, _ := c.Snapshot(ctx, "org/tiny", "main", nil, nil); filepath.Base(dir) != commitA {
		t.Errorf("without Refresh the cached commit serves: got %s", dir)
	}
	before := len(fh.logged())
	c.Refresh = true
	dir, err := c.Snapshot(ctx, "org/tiny", "main", nil, nil)
	if err != nil || filepath.Base(dir) != commitB {
		t.Fatalf("refresh: %s, %v; want commit %s", dir, err, commitB)
	}
	if got := readRef(t, c.CacheDir, "org/tiny", "main"); got != commitB {
		t.Errorf("refs/main = %s after the branch moved", got)
	}
	for _, line := range fh.logged()[before:] {
		if strings.HasPrefix(line, "GET cdn") || strings.HasPrefix(line, "GET hub /org/tiny/resolve") && !strings.HasSuffix(line, "config.json") {
			t.Errorf("downloaded again: %s", line)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	if !strings.Contains(string(got), "32") {
		t.Errorf("new config.json = %s", got)
	}
}
