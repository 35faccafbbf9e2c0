package hub

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// maxInfoBytes bounds the model info answer; a repository with tens of
// thousands of files stays far below it.
const maxInfoBytes = 64 << 20

// modelInfo is the part of GET /api/models/{repo}/revision/{rev} used here.
type modelInfo struct {
	SHA      string `json:"sha"`
	Siblings []struct {
		RFilename string `json:"rfilename"`
	} `json:"siblings"`
}

// modelInfo asks the hub which commit revision points to and which files it
// holds.
func (s *settings) modelInfo(ctx context.Context, repo, revision string) (modelInfo, error) {
	u := s.endpoint + "/api/models/" + repo + "/revision/" + url.PathEscape(revision)
	t := target{repo: repo, revision: revision, api: true}
	var info modelInfo
	err := s.retry(ctx, func() error {
		return s.withTimeout(ctx, func(ctx context.Context) error {
			resp, err := s.do(ctx, http.MethodGet, u, http.Header{"Accept": {"application/json"}}, false)
			if err != nil {
				return err
			}
			if resp.StatusCode != http.StatusOK {
				return s.statusError(resp, t)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(io.LimitReader(resp.Body, maxInfoBytes+1))
			if err != nil {
				return fmt.Errorf("hub: read model info of %s: %w", repo, err)
			}
			if len(body) > maxInfoBytes {
				return &ResponseError{URL: u, Reason: "model info larger than " + strconv.Itoa(maxInfoBytes) + " bytes"}
			}
			info = modelInfo{}
			if err := json.Unmarshal(body, &info); err != nil {
				return &ResponseError{URL: u, Reason: "model info is not valid JSON: " + err.Error()}
			}
			return nil
		})
	})
	if err != nil {
		return modelInfo{}, err
	}
	if err := checkCommit(repo, info.SHA); err != nil {
		return modelInfo{}, err
	}
	return info, nil
}

// fileMeta is what a HEAD on resolve/{commit}/{file} tells about a file.
type fileMeta struct {
	file     string
	commit   string // X-Repo-Commit
	etag     string // X-Linked-Etag or ETag, unquoted: the blob name
	size     int64  // X-Linked-Size or Content-Length
	location string // where to GET the content (the CDN for LFS files)
}

// fileMeta reads a file's metadata without downloading it. Redirects on the
// hub itself (a renamed repository) are followed; a redirect elsewhere (the
// CDN) is where the content will be fetched from.
func (s *settings) fileMeta(ctx context.Context, repo, commit, file string) (fileMeta, error) {
	u := s.fileURL(repo, commit, file)
	t := target{repo: repo, revision: commit, file: file}
	var m fileMeta
	err := s.retry(ctx, func() error {
		return s.withTimeout(ctx, func(ctx context.Context) error {
			resp, err := s.do(ctx, http.MethodHead, u, http.Header{"Accept-Encoding": {"identity"}}, true)
			if err != nil {
				return err
			}
			defer drain(resp)
			if resp.StatusCode != http.StatusOK && !isRedirect(resp.StatusCode) {
				return s.statusError(resp, t)
			}
			m = fileMeta{file: file, size: -1, location: resp.Request.URL.String()} // size -1 until read
			h := resp.Header
			m.commit = h.Get("X-Repo-Commit")
			m.etag = normalizeETag(h.Get("X-Linked-Etag"))
			if m.etag == "" {
				m.etag = normalizeETag(h.Get("ETag"))
			}
			sz := h.Get("X-Linked-Size")
			if sz == "" && resp.StatusCode == http.StatusOK {
				sz = h.Get("Content-Length")
			}
			if sz != "" {
				n, err := strconv.ParseInt(sz, 10, 64)
				if err != nil || n < 0 {
					return &ResponseError{URL: u, Reason: fmt.Sprintf("bad size %q for %s", sz, file)}
				}
				m.size = n
			}
			if isRedirect(resp.StatusCode) {
				loc, err := resp.Location()
				if err != nil {
					return &ResponseError{URL: u, Reason: "redirect without a usable Location"}
				}
				m.location = loc.String()
			}
			return nil
		})
	})
	if err != nil {
		return fileMeta{}, err
	}
	switch {
	case m.commit == "":
		return fileMeta{}, &ResponseError{URL: u, Reason: "no X-Repo-Commit header"}
	case m.commit != commit:
		return fileMeta{}, &ResponseError{URL: u, Reason: fmt.Sprintf("X-Repo-Commit %s, asked for commit %s", m.commit, commit)}
	case m.etag == "":
		return fileMeta{}, &ResponseError{URL: u, Reason: "no ETag header"}
	case m.size < 0:
		// As huggingface_hub: without a size, neither progress nor a check
		// of the transfer is possible, and nothing bounds what is written.
		return fileMeta{}, &ResponseError{URL: u, Reason: "no X-Linked-Size or Content-Length header"}
	}
	if err := checkETag(repo, m.etag); err != nil {
		return fileMeta{}, err
	}
	return m, nil
}
