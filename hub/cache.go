package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// repoCache is one repository's folder in the hub cache.
type repoCache struct {
	root string // cache root
	repo string // "org/name"
	dir  string // root/models--org--name
}

func newRepoCache(root, repo string) repoCache {
	return repoCache{root: root, repo: repo, dir: filepath.Join(root, repoFolderName(repo))}
}

// repoFolderName is huggingface_hub's folder name for a model repository:
// "org/name" becomes "models--org--name".
func repoFolderName(repo string) string {
	return "models--" + strings.ReplaceAll(repo, "/", "--")
}

func (r repoCache) blobPath(etag string) string { return filepath.Join(r.dir, "blobs", etag) }
func (r repoCache) snapshotDir(commit string) string {
	return filepath.Join(r.dir, "snapshots", commit)
}
func (r repoCache) pointerPath(commit, file string) string {
	return filepath.Join(r.dir, "snapshots", commit, filepath.FromSlash(file))
}
func (r repoCache) refPath(rev string) string {
	return filepath.Join(r.dir, "refs", filepath.FromSlash(rev))
}
func (r repoCache) lockPath(etag string) string {
	return filepath.Join(r.root, ".locks", repoFolderName(r.repo), etag+".lock")
}
func (r repoCache) listingPath(commit string) string {
	return filepath.Join(r.dir, ".govlm", "listings", commit+".json")
}

// resolveCommit maps a revision to a commit hash with the cache alone: a
// commit hash is itself; a branch or tag is read from refs/<rev>. It returns
// "" when the cache does not know the revision.
func (r repoCache) resolveCommit(rev string) (string, error) {
	if isCommitHash(rev) {
		return rev, nil
	}
	b, err := os.ReadFile(r.refPath(rev))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("hub: read ref %s of %s: %w", rev, r.repo, err)
	}
	commit := strings.TrimSpace(string(b))
	if err := checkCommit(r.repo, commit); err != nil {
		return "", fmt.Errorf("hub: ref file %s: %w", r.refPath(rev), err)
	}
	return commit, nil
}

// writeRef records that rev points to commit, as huggingface_hub does: the
// bare hash, no newline, rewritten only when it changes.
func (r repoCache) writeRef(rev, commit string) error {
	if rev == commit {
		return nil
	}
	p := r.refPath(rev)
	if b, err := os.ReadFile(p); err == nil && string(b) == commit {
		return nil
	}
	if err := writeFileAtomic(p, []byte(commit)); err != nil {
		return fmt.Errorf("hub: write ref %s of %s: %w", rev, r.repo, err)
	}
	return nil
}

// listing is the file list of one commit, kept so that a complete snapshot
// can be recognised without asking the hub.
type listing struct {
	Commit string   `json:"commit"`
	Files  []string `json:"files"`
}

func (r repoCache) writeListing(commit string, files []string) error {
	l := listing{Commit: commit, Files: append([]string(nil), files...)}
	sort.Strings(l.Files)
	b, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("hub: encode listing of %s: %w", r.repo, err)
	}
	if err := writeFileAtomic(r.listingPath(commit), b); err != nil {
		return fmt.Errorf("hub: write listing of %s: %w", r.repo, err)
	}
	return nil
}

// readListing returns the recorded file list of commit, or nil when none was
// recorded (a cache made by huggingface_hub) or the record is unusable.
func (r repoCache) readListing(commit string) []string {
	b, err := os.ReadFile(r.listingPath(commit))
	if err != nil {
		return nil
	}
	var l listing
	if json.Unmarshal(b, &l) != nil || l.Commit != commit {
		return nil
	}
	for _, f := range l.Files {
		if checkFileName(r.repo, f) != nil {
			return nil
		}
	}
	return l.Files
}

// hasFile reports whether the snapshot entry for file resolves to a regular
// file. Blobs are renamed into place only once verified, so an entry that
// resolves is complete.
func (r repoCache) hasFile(commit, file string) bool {
	fi, err := os.Stat(r.pointerPath(commit, file))
	return err == nil && fi.Mode().IsRegular()
}

// snapshotFiles lists the files present in a snapshot folder, as
// slash-separated names relative to it.
func (r repoCache) snapshotFiles(commit string) ([]string, error) {
	dir := r.snapshotDir(commit)
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	return files, err
}

// writeFileAtomic writes data to a temporary file beside path, then renames it
// over path, creating the parent folders.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
