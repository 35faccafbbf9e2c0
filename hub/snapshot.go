package hub

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Snapshot makes the files of repo at revision that match patterns present
// in the cache and returns the snapshot folder, snapshots/<commit> under the
// repository's cache folder. An empty revision means "main"; nil patterns
// mean DefaultPatterns (fnmatch globs where '*' also matches '/'). progress,
// if not nil, is called from one goroutine at a time with reports that only
// grow; it should return quickly.
//
// A snapshot already complete in the cache is returned without network
// access, unless Refresh is set and revision is a branch or tag. In offline
// mode only the cache is read, and a *NotCachedError names what is missing.
func (c *Client) Snapshot(ctx context.Context, repo, revision string, patterns []string, progress func(Progress)) (string, error) {
	s := c.settings()
	if revision == "" {
		revision = DefaultRevision
	}
	if err := checkRepoID(repo); err != nil {
		return "", err
	}
	if err := checkRevision(revision); err != nil {
		return "", err
	}
	m, err := newMatcher(patterns)
	if err != nil {
		return "", err
	}
	rc := newRepoCache(s.cacheDir, repo)
	if s.offline || !s.refresh || isCommitHash(revision) {
		dir, miss, err := cachedSnapshot(rc, revision, m, s.offline)
		if err != nil || miss == nil {
			return dir, err
		}
		if s.offline {
			miss.Offline = true
			return "", miss
		}
	}
	dir, err := s.download(ctx, rc, revision, m, progress)
	if err != nil && unreachable(ctx, err) {
		// As huggingface_hub does: when the hub cannot be reached, a
		// snapshot the cache holds in full is better than an error.
		if cached, miss, cerr := cachedSnapshot(rc, revision, m, true); cerr == nil && miss == nil {
			return cached, nil
		}
	}
	return dir, err
}

// unreachable reports whether err means the hub could not be reached or
// failed on its side (connection errors, timeouts, 5xx), as opposed to an
// answer about the request (401, 404, bad content).
func unreachable(ctx context.Context, err error) bool {
	var he *HTTPError
	if errors.As(err, &he) {
		return he.Status >= 500
	}
	return transient(ctx, err)
}

// CachedSnapshot returns the snapshot folder of repo at revision (a branch,
// tag or commit; empty means "main") from the cache alone, never touching
// the network. It does not check which files the folder holds; a
// *NotCachedError says what is missing when there is no such folder.
func (c *Client) CachedSnapshot(repo, revision string) (string, error) {
	if revision == "" {
		revision = DefaultRevision
	}
	if err := checkRepoID(repo); err != nil {
		return "", err
	}
	if err := checkRevision(revision); err != nil {
		return "", err
	}
	rc := newRepoCache(c.settings().cacheDir, repo)
	commit, miss, err := cachedCommit(rc, revision)
	if err != nil {
		return "", err
	}
	if miss != nil {
		miss.Offline = c.Offline
		return "", miss
	}
	return rc.snapshotDir(commit), nil
}

// cachedCommit resolves revision to a commit whose snapshot folder exists.
func cachedCommit(rc repoCache, revision string) (string, *NotCachedError, error) {
	miss := func(reason string) *NotCachedError {
		return &NotCachedError{Repo: rc.repo, Revision: revision, CacheDir: rc.root, Reason: reason}
	}
	commit, err := rc.resolveCommit(revision)
	if err != nil {
		return "", nil, err
	}
	if commit == "" {
		return "", miss(fmt.Sprintf("no ref file %s (the revision was never downloaded)", rc.refPath(revision))), nil
	}
	fi, err := os.Stat(rc.snapshotDir(commit))
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
		return "", miss("no snapshot folder for commit " + commit), nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("hub: stat snapshot of %s: %w", rc.repo, err)
	}
	return commit, nil, nil
}

// cachedSnapshot returns the snapshot folder when the cache holds every file
// of revision that m selects, or a *NotCachedError saying what is absent.
// The file list comes from the listing recorded at download time; a cache
// made by huggingface_hub has none, and then the snapshot's own files are
// used where strict is set (offline), while otherwise the hub is asked.
func cachedSnapshot(rc repoCache, revision string, m *matcher, strict bool) (string, *NotCachedError, error) {
	commit, miss, err := cachedCommit(rc, revision)
	if err != nil || miss != nil {
		return "", miss, err
	}
	miss = &NotCachedError{Repo: rc.repo, Revision: revision, CacheDir: rc.root}
	files := rc.readListing(commit)
	if files == nil {
		if !strict {
			miss.Reason = "the file list of commit " + commit + " is unknown"
			return "", miss, nil
		}
		if files, err = rc.snapshotFiles(commit); err != nil {
			return "", nil, fmt.Errorf("hub: list snapshot of %s: %w", rc.repo, err)
		}
	}
	var selected []string
	for _, f := range files {
		if m.match(f) {
			selected = append(selected, f)
			if !rc.hasFile(commit, f) {
				miss.Missing = append(miss.Missing, f)
			}
		}
	}
	switch {
	case len(selected) == 0:
		miss.Reason = "no file of commit " + commit + " matches the patterns"
		return "", miss, nil
	case len(miss.Missing) > 0:
		miss.Reason = fmt.Sprintf("%d of %d files of commit %s are absent", len(miss.Missing), len(selected), commit)
		return "", miss, nil
	}
	return rc.snapshotDir(commit), nil, nil
}

// download resolves revision with the hub, records the ref and the file
// list, then fetches the selected files that the snapshot lacks.
func (s *settings) download(ctx context.Context, rc repoCache, revision string, m *matcher, progress func(Progress)) (string, error) {
	info, err := s.modelInfo(ctx, rc.repo, revision)
	if err != nil {
		return "", err
	}
	commit := info.SHA
	var all, selected []string
	for _, sib := range info.Siblings {
		name := sib.RFilename
		bad := checkFileName(rc.repo, name)
		if m.match(name) && bad != nil {
			return "", bad
		}
		if bad == nil {
			all = append(all, name)
			if m.match(name) {
				selected = append(selected, name)
			}
		}
	}
	sort.Strings(selected)
	selected = slices.Compact(selected)
	if len(selected) == 0 {
		return "", &NotFoundError{Kind: NotFoundFile, Repo: rc.repo, Revision: revision,
			File: "any file matching " + strings.Join(m.patterns, ", "), Message: fmt.Sprintf("%d files in the repository", len(all))}
	}
	if err := rc.writeRef(revision, commit); err != nil {
		return "", err
	}
	if err := rc.writeListing(commit, all); err != nil {
		return "", err
	}
	if err := os.MkdirAll(rc.snapshotDir(commit), 0o755); err != nil {
		return "", fmt.Errorf("hub: create snapshot folder: %w", err)
	}

	var need []string
	for _, f := range selected {
		if !rc.hasFile(commit, f) {
			need = append(need, f)
		}
	}
	metas := make([]fileMeta, len(need))
	err = forEach(ctx, s.concurrency*2, len(need), func(ctx context.Context, i int) error {
		var err error
		metas[i], err = s.fileMeta(ctx, rc.repo, commit, need[i])
		return err
	})
	if err != nil {
		return "", err
	}
	var total int64
	for _, fm := range metas {
		total += fm.size
	}
	tr := newTracker(progress, len(selected), len(selected)-len(need), total)
	if progress == nil {
		tr = nil
	}
	err = forEach(ctx, s.concurrency, len(metas), func(ctx context.Context, i int) error {
		fm := metas[i]
		if err := s.fetchBlob(ctx, rc, fm, tr); err != nil {
			return err
		}
		if err := linkBlob(rc.blobPath(fm.etag), rc.pointerPath(commit, fm.file), s.linkMode); err != nil {
			return err
		}
		tr.fileDone(fm.file, fm.size)
		return nil
	})
	if err != nil {
		return "", err
	}
	tr.finish()
	return rc.snapshotDir(commit), nil
}

// forEach runs fn(0..n-1) on up to workers goroutines. The first failure
// cancels the others' context and is returned.
func forEach(ctx context.Context, workers, n int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				if first != nil || next >= n {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if first == nil {
		first = ctx.Err() // the parent's cancellation, if any
	}
	return first
}
