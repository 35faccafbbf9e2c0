package hub

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSnapshotRejectsHostileNames serves names meant to escape the cache and
// checks that nothing is written outside it, or at all for the bad file.
func TestSnapshotRejectsHostileNames(t *testing.T) {
	names := []string{
		"../evil.json",
		"../../../../evil.json",
		"/tmp/evil.json",
		"a/../../evil.json",
		"sub/../../../evil.json",
		"./evil.json",
		"a//evil.json",
		"",
		`..\evil.json`,
		`sub\evil.json`,
		"evil\x00.json",
		"evil\n.json",
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			fh := newFakeHub(t)
			repo := fh.addRepo("org/tiny", commitA, tinyModel())
			repo.extra = []string{name}
			root := t.TempDir()
			c := fh.client(t)
			c.CacheDir = filepath.Join(root, "a", "b", "cache")
			_, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"*"}, nil)
			var ue *UnsafePathError
			if !errors.As(err, &ue) || ue.Name != name || ue.What != "file name" {
				t.Fatalf("got %v, want an UnsafePathError for %q", err, name)
			}
			assertOnlyCache(t, root, c.CacheDir)
		})
	}
}

// TestSnapshotIgnoresHostileUnselectedNames: a hostile name the patterns do
// not select is left out rather than failing the download.
func TestSnapshotIgnoresHostileUnselectedNames(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	repo := fh.addRepo("org/tiny", commitA, files)
	repo.extra = []string{"../../evil.bin"}
	c := fh.client(t)
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, defaultSelection)
}

func TestSnapshotRejectsHostileETagAndCommit(t *testing.T) {
	cases := []struct {
		name      string
		etag      string
		commit    string
		wantWhat  string
		wantValue string
	}{
		{name: "etag path", etag: "../../../evil", wantWhat: "etag", wantValue: "../../../evil"},
		{name: "etag slash", etag: "abc/def", wantWhat: "etag", wantValue: "abc/def"},
		{name: "etag incomplete", etag: "abc.incomplete", wantWhat: "etag", wantValue: "abc.incomplete"},
		{name: "commit path", commit: "../../../../tmp/evil", wantWhat: "commit", wantValue: "../../../../tmp/evil"},
		{name: "commit short", commit: "abc", wantWhat: "commit", wantValue: "abc"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fh := newFakeHub(t)
			fh.addRepo("org/tiny", commitA, tinyModel())
			fh.badETag, fh.badCommit = tc.etag, tc.commit
			root := t.TempDir()
			c := fh.client(t)
			c.CacheDir = filepath.Join(root, "cache")
			_, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil)
			var ue *UnsafePathError
			if !errors.As(err, &ue) || ue.What != tc.wantWhat || ue.Name != tc.wantValue {
				t.Fatalf("got %v, want an UnsafePathError for the %s %q", err, tc.wantWhat, tc.wantValue)
			}
			assertOnlyCache(t, root, c.CacheDir)
		})
	}
}

// assertOnlyCache fails if anything under root lies outside cacheDir.
func assertOnlyCache(t *testing.T, root, cacheDir string) {
	t.Helper()
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cacheDir, p)
		inside := filepath.IsLocal(rel) || rel == "."
		above, _ := filepath.Rel(p, cacheDir) // p is a parent of the cache
		if !inside && !(d.IsDir() && (filepath.IsLocal(above) || above == ".")) {
			t.Errorf("wrote %s outside the cache", p)
		}
		if d.Name() == "evil.json" || d.Name() == "evil" {
			t.Errorf("wrote %s", p)
		}
		return nil
	})
}
