package hub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const copyBufSize = 1 << 20

// fetchBlob makes blobs/<etag> hold the file described by m, downloading it
// unless it is already there. The download goes to blobs/<etag>.incomplete,
// resumes what an earlier attempt left there, is checked against the size
// and (for LFS files) the SHA-256, then renamed into place. A per-blob lock
// file keeps other processes, govlm or huggingface_hub, from writing it too.
func (s *settings) fetchBlob(ctx context.Context, rc repoCache, m fileMeta, tr *tracker) error {
	blob := rc.blobPath(m.etag)
	if fileExists(blob) {
		return nil
	}
	lock, err := acquireLock(ctx, rc.lockPath(m.etag))
	if err != nil {
		return err
	}
	defer lock.release()
	if fileExists(blob) { // another process finished it while we waited
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(blob), 0o755); err != nil {
		return fmt.Errorf("hub: create blobs folder: %w", err)
	}
	inc := blob + ".incomplete"
	f, err := os.OpenFile(inc, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("hub: open %s: %w", inc, err)
	}
	d := &blobDownload{s: s, rc: rc, m: m, f: f, tr: tr}
	if isSHA256(m.etag) {
		d.h = sha256.New()
	}
	err = d.run(ctx)
	cerr := f.Close()
	if err == nil && cerr != nil {
		err = fmt.Errorf("hub: close %s: %w", inc, cerr)
	}
	var ie *IntegrityError
	if errors.As(err, &ie) {
		os.Remove(inc) // resuming corrupt bytes would fail again
	}
	if err != nil {
		return err
	}
	if err := os.Rename(inc, blob); err != nil {
		return fmt.Errorf("hub: move %s into place: %w", inc, err)
	}
	return nil
}

// blobDownload is one file's transfer into its .incomplete file.
type blobDownload struct {
	s   *settings
	rc  repoCache
	m   fileMeta
	f   *os.File
	h   hash.Hash // SHA-256 of f[:pos], nil when the ETag is not a SHA-256
	pos int64     // bytes of f that hold the file's prefix
	tr  *tracker
}

func (d *blobDownload) run(ctx context.Context) error {
	if err := d.adoptPartial(); err != nil {
		return err
	}
	for fails := 0; d.pos < d.m.size; {
		before := d.pos
		done, err := d.attempt(ctx)
		if err == nil && done {
			break
		}
		if err == nil {
			err = fmt.Errorf("hub: %s: %w", d.m.file, io.ErrUnexpectedEOF)
		}
		if !transient(ctx, err) {
			return err
		}
		if d.pos > before {
			fails = 0 // a cut connection that made progress is not held against us
		}
		fails++
		if fails > d.s.maxRetries {
			return fmt.Errorf("%w (gave up after %d attempts)", err, fails)
		}
		if serr := sleep(ctx, d.s.waitBefore(fails, err)); serr != nil {
			return fmt.Errorf("hub: download %s: %w", d.m.file, serr)
		}
	}
	return d.verify()
}

// adoptPartial takes over the bytes an interrupted download left behind.
func (d *blobDownload) adoptPartial() error {
	fi, err := d.f.Stat()
	if err != nil {
		return fmt.Errorf("hub: stat partial download of %s: %w", d.m.file, err)
	}
	d.pos = fi.Size()
	if d.pos > d.m.size {
		return d.restart()
	}
	if d.pos > 0 && d.h != nil {
		if _, err := io.Copy(d.h, io.NewSectionReader(d.f, 0, d.pos)); err != nil {
			return fmt.Errorf("hub: read partial download of %s: %w", d.m.file, err)
		}
	}
	d.tr.update(d.m.file, d.pos, 0)
	return nil
}

// restart drops the partial file.
func (d *blobDownload) restart() error {
	if err := d.f.Truncate(0); err != nil {
		return fmt.Errorf("hub: truncate partial download of %s: %w", d.m.file, err)
	}
	d.pos = 0
	if d.h != nil {
		d.h.Reset()
	}
	return nil
}

// attempt makes one GET from d.pos on. It reports done when the body ended
// normally and the size is reached. A transfer that receives
// nothing for the client's timeout is abandoned, to be resumed.
func (d *blobDownload) attempt(ctx context.Context) (done bool, err error) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	var stalled atomic.Bool
	watchdog := time.AfterFunc(d.s.timeout, func() {
		stalled.Store(true)
		cancel()
	})
	defer watchdog.Stop()
	done, err = d.get(actx, func() { watchdog.Reset(d.s.timeout) })
	if err != nil && stalled.Load() && ctx.Err() == nil {
		err = fmt.Errorf("hub: %s: nothing received for %v: %w", d.m.file, d.s.timeout, errRetry)
	}
	return done, err
}

// get sends the GET and copies the body; alive is called whenever bytes
// arrive.
func (d *blobDownload) get(ctx context.Context, alive func()) (done bool, err error) {
	hdr := http.Header{"Accept-Encoding": {"identity"}}
	if d.pos > 0 {
		hdr.Set("Range", "bytes="+strconv.FormatInt(d.pos, 10)+"-")
	}
	resp, err := d.s.do(ctx, http.MethodGet, d.m.location, hdr, false)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		if d.pos > 0 { // the server ignored the Range: start over
			if err := d.restart(); err != nil {
				return false, err
			}
		}
	case http.StatusPartialContent:
		start, ok := contentRangeStart(resp.Header.Get("Content-Range"))
		if !ok || start != d.pos {
			if err := d.restart(); err != nil {
				return false, err
			}
			return false, fmt.Errorf("hub: %s: Content-Range %q does not continue at byte %d: %w",
				d.m.file, resp.Header.Get("Content-Range"), d.pos, errRetry)
		}
	case http.StatusRequestedRangeNotSatisfiable:
		if err := d.restart(); err != nil {
			return false, err
		}
		return false, fmt.Errorf("hub: %s: range from byte %d refused: %w", d.m.file, d.pos, errRetry)
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusGone:
		if resp.Request.URL.Host != d.s.endpointHost() {
			// The CDN refuses a signed link that has expired during a long
			// download: ask the hub for a fresh one.
			drain(resp)
			if err := d.refreshLocation(ctx); err != nil {
				return false, err
			}
			return false, fmt.Errorf("hub: %s: CDN answered HTTP %d: %w", d.m.file, resp.StatusCode, errRetry)
		}
		return false, d.s.statusError(resp, target{repo: d.rc.repo, revision: d.m.commit, file: d.m.file})
	default:
		return false, d.s.statusError(resp, target{repo: d.rc.repo, revision: d.m.commit, file: d.m.file})
	}
	alive()
	if err := d.copyBody(resp.Body, alive); err != nil {
		return false, err
	}
	return d.pos == d.m.size, nil
}

// refreshLocation asks the hub again where the file's content lives.
func (d *blobDownload) refreshLocation(ctx context.Context) error {
	m, err := d.s.fileMeta(ctx, d.rc.repo, d.m.commit, d.m.file)
	if err != nil {
		return err
	}
	if m.etag != d.m.etag || m.size != d.m.size {
		return &ResponseError{URL: d.s.fileURL(d.rc.repo, d.m.commit, d.m.file),
			Reason: fmt.Sprintf("file %s changed during the download (etag %s, was %s)", d.m.file, m.etag, d.m.etag)}
	}
	d.m.location = m.location
	return nil
}

// copyBody appends the body to the partial file, hashing and reporting as it
// goes, and refuses to grow past the announced size.
func (d *blobDownload) copyBody(body io.Reader, alive func()) error {
	buf := make([]byte, copyBufSize)
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			alive()
			if d.pos+int64(n) > d.m.size {
				return &IntegrityError{Repo: d.rc.repo, File: d.m.file, What: "size",
					Want: strconv.FormatInt(d.m.size, 10), Got: "more than that"}
			}
			if _, err := d.f.WriteAt(buf[:n], d.pos); err != nil {
				return fmt.Errorf("hub: write %s: %w", d.m.file, err)
			}
			if d.h != nil {
				d.h.Write(buf[:n])
			}
			d.pos += int64(n)
			d.tr.update(d.m.file, d.pos, int64(n))
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("hub: download %s: %w", d.m.file, rerr)
		}
	}
}

// verify checks the finished file and flushes it to disk.
func (d *blobDownload) verify() error {
	if d.pos != d.m.size {
		return &IntegrityError{Repo: d.rc.repo, File: d.m.file, What: "size",
			Want: strconv.FormatInt(d.m.size, 10), Got: strconv.FormatInt(d.pos, 10)}
	}
	if d.h != nil {
		if got := hex.EncodeToString(d.h.Sum(nil)); got != d.m.etag {
			return &IntegrityError{Repo: d.rc.repo, File: d.m.file, What: "sha256", Want: d.m.etag, Got: got}
		}
	}
	if err := d.f.Sync(); err != nil {
		return fmt.Errorf("hub: sync %s: %w", d.m.file, err)
	}
	return nil
}

// contentRangeStart parses the first byte of "bytes START-END/TOTAL".
func contentRangeStart(v string) (int64, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(v), "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(first), 10, 64)
	return n, err == nil && n >= 0
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
