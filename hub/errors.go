package hub

import (
	"fmt"
	"strings"
	"time"
)

// AuthError reports a 401 or 403 answer: the repository is gated or private,
// or the token lacks access to it.
type AuthError struct {
	Repo     string // repository id, e.g. "org/name"
	File     string // file being fetched, empty for the model info API
	Status   int    // HTTP status code
	Gated    bool   // the hub said the repository is gated
	HasToken bool   // a token was sent
	Message  string // the hub's X-Error-Message, if any
}

// Error says what was refused and how to get access.
func (e *AuthError) Error() string {
	var b strings.Builder
	what := "repository " + e.Repo
	if e.File != "" {
		what = fmt.Sprintf("%s in repository %s", e.File, e.Repo)
	}
	if e.Gated {
		fmt.Fprintf(&b, "hub: access to %s is restricted (gated repository, HTTP %d)", what, e.Status)
	} else {
		fmt.Fprintf(&b, "hub: access to %s denied (HTTP %d): it is private, gated or does not exist", what, e.Status)
	}
	if e.HasToken {
		b.WriteString("; the token in use lacks access: accept the model's terms on the hub or use another token")
	} else {
		b.WriteString("; set HF_TOKEN (or log in so that $HF_HOME/token exists) with a token that has access")
	}
	if e.Message != "" {
		fmt.Fprintf(&b, " (hub says: %s)", e.Message)
	}
	return b.String()
}

// NotFoundKind says what a [NotFoundError] could not find.
type NotFoundKind int

// What a 404 answer refers to.
const (
	NotFoundRepo     NotFoundKind = iota + 1 // the repository
	NotFoundRevision                         // the branch, tag or commit
	NotFoundFile                             // a file in the repository
)

// String names the kind: "repository", "revision" or "file".
func (k NotFoundKind) String() string {
	switch k {
	case NotFoundRepo:
		return "repository"
	case NotFoundRevision:
		return "revision"
	case NotFoundFile:
		return "file"
	}
	return fmt.Sprintf("NotFoundKind(%d)", int(k))
}

// NotFoundError reports a 404 answer for a repository, revision or file.
type NotFoundError struct {
	Kind     NotFoundKind
	Repo     string
	Revision string
	File     string // set when Kind is NotFoundFile
	Message  string // the hub's X-Error-Message, if any
}

// Error names what was not found and where.
func (e *NotFoundError) Error() string {
	var s string
	switch e.Kind {
	case NotFoundRevision:
		s = fmt.Sprintf("hub: revision %q not found in repository %s", e.Revision, e.Repo)
	case NotFoundFile:
		s = fmt.Sprintf("hub: file %s not found in repository %s at revision %q", e.File, e.Repo, e.Revision)
	default:
		s = fmt.Sprintf("hub: repository %s not found (check the spelling; a private repository needs HF_TOKEN)", e.Repo)
	}
	if e.Message != "" {
		s += " (hub says: " + e.Message + ")"
	}
	return s
}

// NotCachedError reports that the cache cannot answer for a repository and
// revision, in offline mode (HF_HUB_OFFLINE or Client.Offline) or from
// [Client.CachedSnapshot]; what is missing is named.
type NotCachedError struct {
	Repo     string
	Revision string
	CacheDir string   // the cache root searched
	Reason   string   // what is missing, e.g. "no snapshot folder for commit ..."
	Missing  []string // files of the snapshot that are absent, if known
	Offline  bool     // offline mode was on
}

// Error names the repository, revision and the missing parts.
func (e *NotCachedError) Error() string {
	s := fmt.Sprintf("hub: %s at revision %q is not in the cache %s: %s", e.Repo, e.Revision, e.CacheDir, e.Reason)
	if len(e.Missing) > 0 {
		const show = 8
		m := e.Missing
		more := ""
		if len(m) > show {
			more = fmt.Sprintf(" and %d more", len(m)-show)
			m = m[:show]
		}
		s += "; missing: " + strings.Join(m, ", ") + more
	}
	if e.Offline {
		s += " (offline mode is on: unset HF_HUB_OFFLINE to download)"
	}
	return s
}

// IntegrityError reports a downloaded file whose size or SHA-256 differs from
// what the hub announced. The partial download is deleted.
type IntegrityError struct {
	Repo string
	File string
	What string // "size" or "sha256"
	Want string
	Got  string
}

// Error names the file and both values.
func (e *IntegrityError) Error() string {
	return fmt.Sprintf("hub: %s of %s in %s: %s mismatch: want %s, got %s", e.What, e.File, e.Repo, e.What, e.Want, e.Got)
}

// UnsafePathError reports a name from the server (a file name, ETag or commit
// hash) that could escape the cache directory or is otherwise unusable as a
// path; nothing is written for it.
type UnsafePathError struct {
	Repo   string
	Name   string
	What   string // "file name", "etag", "commit"
	Reason string
}

// Error quotes the refused name and the reason.
func (e *UnsafePathError) Error() string {
	return fmt.Sprintf("hub: unsafe %s %q from the server for %s: %s", e.What, e.Name, e.Repo, e.Reason)
}

// RepoIDError reports a malformed repository id.
type RepoIDError struct {
	ID     string
	Reason string
}

// Error quotes the id and says what is wrong with it.
func (e *RepoIDError) Error() string {
	return fmt.Sprintf("hub: invalid repository id %q: %s (want \"org/name\" or \"name\")", e.ID, e.Reason)
}

// RevisionError reports a malformed revision (branch, tag or commit).
type RevisionError struct {
	Revision string
	Reason   string
}

// Error quotes the revision and says what is wrong with it.
func (e *RevisionError) Error() string {
	return fmt.Sprintf("hub: invalid revision %q: %s", e.Revision, e.Reason)
}

// PatternError reports a malformed glob pattern.
type PatternError struct {
	Pattern string
	Reason  string
}

// Error quotes the pattern and says what is wrong with it.
func (e *PatternError) Error() string {
	return fmt.Sprintf("hub: invalid pattern %q: %s", e.Pattern, e.Reason)
}

// HTTPError reports an HTTP status the client does not otherwise classify,
// after any retries.
type HTTPError struct {
	Method     string
	URL        string
	Status     int
	Message    string        // the hub's X-Error-Message, if any
	RetryAfter time.Duration // the server's Retry-After in seconds, if any
}

// Error gives the request and the status.
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("hub: %s %s: HTTP %d", e.Method, e.URL, e.Status)
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	return s
}

// temporary reports whether retrying the request may help.
func (e *HTTPError) temporary() bool {
	return e.Status >= 500 || e.Status == 429 || e.Status == 408
}

// ResponseError reports an answer that lacks what the hub always sends (an
// ETag, a commit hash, valid JSON): often a proxy or firewall in the way.
type ResponseError struct {
	URL    string
	Reason string
}

// Error names the URL and what was wrong with the answer.
func (e *ResponseError) Error() string {
	return fmt.Sprintf("hub: unexpected answer from %s: %s (is a proxy or firewall in the way of HF_ENDPOINT?)", e.URL, e.Reason)
}
