package hub

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const maxRedirects = 10

// endpointHost is the host (with port) that may receive the token.
func (s *settings) endpointHost() string {
	u, err := url.Parse(s.endpoint)
	if err != nil {
		return ""
	}
	return u.Host
}

// do sends one request and follows redirects by hand. The token goes only to
// the endpoint's host; headers such as Range are kept across hops. With
// relativeOnly, as huggingface_hub's metadata requests, only a relative
// Location (a renamed repository) is followed and an absolute one is
// returned as is (a HEAD on a file whose content lives on the CDN).
func (s *settings) do(ctx context.Context, method, rawURL string, hdr http.Header, relativeOnly bool) (*http.Response, error) {
	authHost := s.endpointHost()
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("hub: bad URL %q: %w", rawURL, err)
	}
	for hop := 0; ; hop++ {
		req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
		if err != nil {
			return nil, fmt.Errorf("hub: %s %s: %w", method, u, err)
		}
		for k, v := range hdr {
			req.Header[k] = v
		}
		req.Header.Set("User-Agent", s.userAgent)
		if s.token != "" && u.Host == authHost {
			req.Header.Set("Authorization", "Bearer "+s.token)
		}
		resp, err := s.httpClient.Do(req)
		if err != nil {
			var ue *url.Error
			if errors.As(err, &ue) {
				ue.URL = safeURL(u) // signed CDN URLs carry credentials in the query
			}
			return nil, fmt.Errorf("hub: %s: %w", method, err)
		}
		if !isRedirect(resp.StatusCode) {
			return resp, nil
		}
		loc, err := resp.Location()
		if err != nil {
			resp.Body.Close()
			return nil, &ResponseError{URL: safeURL(u), Reason: fmt.Sprintf("HTTP %d redirect without a usable Location", resp.StatusCode)}
		}
		if relativeOnly {
			if raw, err := url.Parse(resp.Header.Get("Location")); err != nil || raw.Host != "" || raw.Scheme != "" {
				return resp, nil
			}
		}
		drain(resp)
		if hop >= maxRedirects {
			return nil, &ResponseError{URL: safeURL(u), Reason: "too many redirects"}
		}
		if loc.Scheme != "http" && loc.Scheme != "https" {
			return nil, &ResponseError{URL: safeURL(u), Reason: "redirect to a non-HTTP URL " + safeURL(loc)}
		}
		u = loc
	}
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// drain discards a little of an unwanted body so the connection can be
// reused, then closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	resp.Body.Close()
}

// target names what a request was for, to build typed errors.
type target struct {
	repo, revision, file string
	api                  bool // the model info API, not a file
}

// statusError turns a failed answer into a typed error, using the hub's
// X-Error-Code and X-Error-Message headers where present. It closes the body.
func (s *settings) statusError(resp *http.Response, t target) error {
	defer drain(resp)
	code := resp.Header.Get("X-Error-Code")
	msg := resp.Header.Get("X-Error-Message")
	switch {
	case code == "GatedRepo" || resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return &AuthError{Repo: t.repo, File: t.file, Status: resp.StatusCode, Gated: code == "GatedRepo",
			HasToken: s.token != "", Message: msg}
	}
	if resp.StatusCode == http.StatusNotFound {
		e := &NotFoundError{Repo: t.repo, Revision: t.revision, Message: msg}
		switch {
		case code == "RepoNotFound":
			e.Kind = NotFoundRepo
		case code == "RevisionNotFound":
			e.Kind = NotFoundRevision
		case code == "EntryNotFound" || !t.api:
			e.Kind, e.File = NotFoundFile, t.file
		default:
			e.Kind = NotFoundRepo
		}
		return e
	}
	return &HTTPError{Method: resp.Request.Method, URL: safeURL(resp.Request.URL), Status: resp.StatusCode, Message: msg,
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"))}
}

// transient reports whether err may go away on retry: connection failures,
// cut transfers and 5xx/429/408 answers, unless ctx has ended.
func transient(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return he.temporary()
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, errRetry) {
		return true
	}
	var ce *tls.CertificateVerificationError
	if errors.As(err, &ce) {
		return false
	}
	// A host name that does not resolve (no network, a typo in HF_ENDPOINT)
	// stays unresolved for the seconds a retry would wait: say so at once.
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue) && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

// errRetry marks a failure that a fresh attempt should fix (a server that
// answered a Range request oddly).
var errRetry = errors.New("retry")

// maxRetryAfter caps how long a server's Retry-After can make us wait.
const maxRetryAfter = 2 * time.Minute

// retryAfter parses a Retry-After header given in seconds (the form the hub
// sends); 0 when absent or unusable.
func retryAfter(v string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n <= 0 {
		return 0
	}
	return min(time.Duration(n)*time.Second, maxRetryAfter)
}

// waitBefore is the pause before retry number n after err: the backoff, or
// longer when the server asked for it with Retry-After.
func (s *settings) waitBefore(n int, err error) time.Duration {
	d := s.retryWait(n)
	var he *HTTPError
	if errors.As(err, &he) {
		d = max(d, he.RetryAfter)
	}
	return d
}

// retryWait is the pause before retry number n (1-based): the backoff,
// doubled each time, capped at 30 times the backoff.
func (s *settings) retryWait(n int) time.Duration {
	d := s.backoff
	for i := 1; i < n && d < 30*s.backoff; i++ {
		d *= 2
	}
	return min(d, 30*s.backoff)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retry runs op until it succeeds, fails for good, or has failed
// maxRetries+1 times in a row.
func (s *settings) retry(ctx context.Context, op func() error) error {
	for fails := 0; ; {
		err := op()
		if err == nil || !transient(ctx, err) {
			return err
		}
		fails++
		if fails > s.maxRetries {
			return fmt.Errorf("%w (gave up after %d attempts)", err, fails)
		}
		if serr := sleep(ctx, s.waitBefore(fails, err)); serr != nil {
			return fmt.Errorf("%w (while retrying after: %v)", serr, err)
		}
	}
}

// withTimeout runs op with a context that also ends after the client's
// timeout; running out of that time is a failure worth retrying, unlike the
// caller's own cancellation.
func (s *settings) withTimeout(ctx context.Context, op func(ctx context.Context) error) error {
	rctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err := op(rctx)
	if err != nil && ctx.Err() == nil && rctx.Err() != nil {
		return fmt.Errorf("%w (no answer within %v): %w", err, s.timeout, errRetry)
	}
	return err
}

// fileURL is {endpoint}/{repo}/resolve/{revision}/{file}, each path segment
// escaped.
func (s *settings) fileURL(repo, revision, file string) string {
	segs := strings.Split(file, "/")
	for i, p := range segs {
		segs[i] = url.PathEscape(p)
	}
	return s.endpoint + "/" + repo + "/resolve/" + url.PathEscape(revision) + "/" + strings.Join(segs, "/")
}

// normalizeETag strips the weak marker and quotes: W/"abc" → abc.
func normalizeETag(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "W/")
	return strings.Trim(v, `"`)
}

// safeURL prints u for messages without user info or query, where signed
// CDN URLs keep their credentials.
func safeURL(u *url.URL) string {
	v := *u
	v.User, v.RawQuery, v.ForceQuery = nil, "", false
	return v.String()
}
