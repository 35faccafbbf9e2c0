package hub

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

// defaultSelection is what DefaultPatterns pick from tinyModel.
var defaultSelection = []string{"chat_template.jinja", "config.json", "extra/shard-00002.safetensors", "model.safetensors", "tokenizer.json"}

func fileByName(files []fakeFile, name string) fakeFile {
	for _, f := range files {
		if f.name == name {
			return f
		}
	}
	panic("no file " + name)
}

// checkLayout asserts the cache holds exactly what huggingface_hub would
// have made for these files of repo at commit.
func checkLayout(t *testing.T, cacheDir, repo, commit string, files []fakeFile, names []string) {
	t.Helper()
	repoDir := filepath.Join(cacheDir, "models--"+strings.ReplaceAll(repo, "/", "--"))
	wantBlobs := map[string]bool{}
	for _, name := range names {
		f := fileByName(files, name)
		wantBlobs[f.etag()] = true
		pointer := filepath.Join(repoDir, "snapshots", commit, filepath.FromSlash(name))
		target, err := os.Readlink(pointer)
		if err != nil {
			t.Fatalf("%s: not a symlink: %v", name, err)
		}
		want := strings.Repeat("../", strings.Count(name, "/")+2) + "blobs/" + f.etag()
		if filepath.ToSlash(target) != want {
			t.Errorf("%s: symlink target %q, want %q", name, target, want)
		}
		got, err := os.ReadFile(pointer)
		if err != nil || !bytes.Equal(got, f.data) {
			t.Errorf("%s: content differs (err %v)", name, err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(repoDir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	var gotBlobs []string
	for _, e := range entries {
		gotBlobs = append(gotBlobs, e.Name())
		if !wantBlobs[e.Name()] {
			t.Errorf("unexpected blob %s", e.Name())
		}
	}
	if len(gotBlobs) != len(wantBlobs) {
		t.Errorf("blobs %v, want %d of them", gotBlobs, len(wantBlobs))
	}
	var snapFiles []string
	filepath.WalkDir(filepath.Join(repoDir, "snapshots", commit), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(repoDir, "snapshots", commit), p)
			snapFiles = append(snapFiles, filepath.ToSlash(rel))
		}
		return err
	})
	sort.Strings(snapFiles)
	want := slices.Sorted(slices.Values(names))
	if !slices.Equal(snapFiles, want) {
		t.Errorf("snapshot files %v, want %v", snapFiles, want)
	}
}

// checkLocks asserts each file's blob had its lock file where huggingface_hub
// puts it: .locks/models--org--name/<etag>.lock.
func checkLocks(t *testing.T, cacheDir, repo string, files []fakeFile, names []string) {
	t.Helper()
	for _, name := range names {
		p := filepath.Join(cacheDir, ".locks", "models--"+strings.ReplaceAll(repo, "/", "--"), fileByName(files, name).etag()+".lock")
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: lock file: %v", name, err)
		}
	}
}

func readRef(t *testing.T, cacheDir, repo, rev string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(cacheDir, "models--"+strings.ReplaceAll(repo, "/", "--"), "refs", filepath.FromSlash(rev)))
	if err != nil {
		t.Fatalf("ref %s: %v", rev, err)
	}
	return string(b)
}

func TestSnapshotFreshDownloadLayout(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	fh.token = "hf_secret"
	c := fh.client(t)
	c.Token = fh.token

	dir, err := c.Snapshot(context.Background(), "org/tiny", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(c.CacheDir, "models--org--tiny", "snapshots", commitA); dir != want {
		t.Errorf("dir %s, want %s", dir, want)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, defaultSelection)
	checkLocks(t, c.CacheDir, "org/tiny", files, defaultSelection)
	if got := readRef(t, c.CacheDir, "org/tiny", "main"); got != commitA {
		t.Errorf("refs/main = %q, want the bare commit %q", got, commitA)
	}
	if fh.cdnAuth != 0 {
		t.Errorf("the token reached the CDN in %d requests", fh.cdnAuth)
	}
	if fh.hubAuth == 0 {
		t.Error("the token never reached the hub")
	}
	for _, line := range fh.logged() {
		if strings.Contains(line, "README") || strings.Contains(line, "onnx") {
			t.Errorf("fetched a file the patterns exclude: %s", line)
		}
	}
}

func TestSnapshotSecondCallNoNetwork(t *testing.T) {
	fh := newFakeHub(t)
	fh.addRepo("org/tiny", commitA, tinyModel())
	c := fh.client(t)
	ctx := context.Background()
	first, err := c.Snapshot(ctx, "org/tiny", "main", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := fh.count()
	for _, rev := range []string{"main", "", commitA} {
		other := &Client{Endpoint: c.Endpoint, CacheDir: c.CacheDir} // a new process, same cache
		dir, err := other.Snapshot(ctx, "org/tiny", rev, nil, nil)
		if err != nil || dir != first {
			t.Fatalf("revision %q: got %s, %v; want %s", rev, dir, err, first)
		}
	}
	if got := fh.count(); got != n {
		t.Errorf("cached snapshot made %d requests, want 0", got-n)
	}
	// Refresh asks the hub about the branch, but downloads nothing again.
	c.Refresh = true
	if _, err := c.Snapshot(ctx, "org/tiny", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := fh.count() - n; got != 1 {
		t.Errorf("refresh made %d requests, want 1 (model info): %v", got, fh.logged()[n:])
	}
}

func TestSnapshotOffline(t *testing.T) {
	fh := newFakeHub(t)
	fh.addRepo("org/tiny", commitA, tinyModel())
	c := fh.client(t)
	ctx := context.Background()
	off := &Client{CacheDir: c.CacheDir, Endpoint: c.Endpoint, Offline: true}

	_, err := off.Snapshot(ctx, "org/tiny", "main", nil, nil)
	var nc *NotCachedError
	if !errors.As(err, &nc) || !nc.Offline || !strings.Contains(err.Error(), "refs") {
		t.Fatalf("offline before any download: %v, want a NotCachedError naming the ref", err)
	}
	if _, err := c.Snapshot(ctx, "org/tiny", "main", []string{"*.json"}, nil); err != nil {
		t.Fatal(err)
	}
	n := fh.count()
	dir, err := off.Snapshot(ctx, "org/tiny", "main", []string{"*.json"}, nil)
	if err != nil || !strings.HasSuffix(dir, commitA) {
		t.Fatalf("offline after download: %s, %v", dir, err)
	}
	_, err = off.Snapshot(ctx, "org/tiny", "main", []string{"*.safetensors"}, nil)
	if !errors.As(err, &nc) || !slices.Equal(nc.Missing, []string{"extra/shard-00002.safetensors", "model.safetensors"}) {
		t.Fatalf("offline, weights never fetched: %v, want both weight files named missing", err)
	}
	_, err = off.Snapshot(ctx, "org/tiny", "v9", nil, nil)
	if !errors.As(err, &nc) {
		t.Fatalf("offline, unknown tag: %v", err)
	}
	if fh.count() != n {
		t.Errorf("offline mode made %d requests", fh.count()-n)
	}
	if got, err := off.CachedSnapshot("org/tiny", "main"); err != nil || got != dir {
		t.Errorf("CachedSnapshot = %s, %v; want %s", got, err, dir)
	}
	if _, err := off.CachedSnapshot("org/other", ""); !errors.As(err, &nc) {
		t.Errorf("CachedSnapshot of an unknown repo: %v", err)
	}
}

// TestPythonMadeCache reuses a cache laid out as huggingface_hub leaves it:
// no govlm listing, a ref, relative symlinks into blobs.
func TestPythonMadeCache(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	c := fh.client(t)
	repoDir := filepath.Join(c.CacheDir, "models--org--tiny")
	for _, name := range []string{"config.json", "model.safetensors"} {
		f := fileByName(files, name)
		must(t, os.MkdirAll(filepath.Join(repoDir, "blobs"), 0o755))
		must(t, os.WriteFile(filepath.Join(repoDir, "blobs", f.etag()), f.data, 0o644))
		must(t, os.MkdirAll(filepath.Join(repoDir, "snapshots", commitA), 0o755))
		must(t, os.Symlink("../../blobs/"+f.etag(), filepath.Join(repoDir, "snapshots", commitA, name)))
	}
	must(t, os.MkdirAll(filepath.Join(repoDir, "refs"), 0o755))
	must(t, os.WriteFile(filepath.Join(repoDir, "refs", "main"), []byte(commitA), 0o644))

	off := &Client{CacheDir: c.CacheDir, Offline: true}
	if _, err := off.Snapshot(context.Background(), "org/tiny", "main", []string{"*.json", "*.safetensors"}, nil); err != nil {
		t.Fatalf("offline on a huggingface_hub cache: %v", err)
	}
	// Online, the hub is asked for the file list, and only what is absent moves.
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, line := range fh.logged() {
		if strings.Contains(line, "config.json") || strings.Contains(line, fileByName(files, "model.safetensors").etag()) {
			t.Errorf("fetched a file the cache already had: %s", line)
		}
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, defaultSelection)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestSnapshotHubUnreachable falls back to a complete cached snapshot when
// the hub cannot be reached, and fails when the cache is incomplete.
func TestSnapshotHubUnreachable(t *testing.T) {
	fh := newFakeHub(t)
	fh.addRepo("org/tiny", commitA, tinyModel())
	c := fh.client(t)
	want, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"*.json"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	fh.hub.Close()
	c.Refresh = true
	c.MaxRetries = -1
	if got, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"*.json"}, nil); err != nil || got != want {
		t.Errorf("hub down, snapshot cached: %s, %v; want %s", got, err, want)
	}
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"*.safetensors"}, nil); err == nil {
		t.Error("hub down, weights never fetched: no error")
	}
}
