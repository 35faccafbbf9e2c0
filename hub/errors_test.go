package hub

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Each message names the input it is about and what to do, where there is
// something to do.
func TestErrorMessages(t *testing.T) {
	cases := []struct {
		err  error
		want []string
	}{
		{&AuthError{Repo: "org/m", File: "model.safetensors", Status: 401, Gated: true}, []string{"org/m", "model.safetensors", "gated", "HF_TOKEN"}},
		{&AuthError{Repo: "org/m", Status: 403, HasToken: true, Message: "nope"}, []string{"org/m", "403", "token in use lacks access", "nope"}},
		{&NotFoundError{Kind: NotFoundRepo, Repo: "org/m"}, []string{"repository org/m not found", "HF_TOKEN"}},
		{&NotFoundError{Kind: NotFoundRevision, Repo: "org/m", Revision: "v2"}, []string{`revision "v2"`, "org/m"}},
		{&NotFoundError{Kind: NotFoundFile, Repo: "org/m", Revision: "main", File: "a.json"}, []string{"a.json", "org/m", `"main"`}},
		{&NotCachedError{Repo: "org/m", Revision: "main", CacheDir: "/c", Reason: "2 of 3 files absent",
			Missing: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}, Offline: true},
			[]string{"org/m", "/c", "2 of 3", "a, b", "and 2 more", "HF_HUB_OFFLINE"}},
		{&IntegrityError{Repo: "org/m", File: "w.safetensors", What: "sha256", Want: "aa", Got: "bb"}, []string{"w.safetensors", "sha256", "aa", "bb"}},
		{&UnsafePathError{Repo: "org/m", Name: "../x", What: "file name", Reason: "'.' or '..' path element"}, []string{`"../x"`, "org/m", "file name"}},
		{&RepoIDError{ID: "a/b/c", Reason: "more than one '/'"}, []string{`"a/b/c"`, "org/name"}},
		{&RevisionError{Revision: "/x", Reason: "absolute path"}, []string{`"/x"`, "absolute"}},
		{&PatternError{Pattern: "", Reason: "empty pattern"}, []string{`""`, "empty"}},
		{&HTTPError{Method: "GET", URL: "https://h/x", Status: 502}, []string{"GET https://h/x", "502"}},
		{&ResponseError{URL: "https://h/x", Reason: "no ETag header"}, []string{"https://h/x", "no ETag", "proxy"}},
	}
	for _, tc := range cases {
		msg := tc.err.Error()
		for _, w := range tc.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%T message %q lacks %q", tc.err, msg, w)
			}
		}
	}
	if NotFoundKind(9).String() != "NotFoundKind(9)" || NotFoundFile.String() != "file" {
		t.Error("NotFoundKind.String")
	}
}

func TestTransient(t *testing.T) {
	for status, want := range map[int]bool{500: true, 503: true, 429: true, 408: true, 404: false, 401: false, 400: false} {
		if got := (&HTTPError{Status: status}).temporary(); got != want {
			t.Errorf("status %d temporary = %v", status, got)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	for v, want := range map[string]time.Duration{"": 0, "3": 3 * time.Second, " 1 ": time.Second, "-1": 0,
		"soon": 0, "Wed, 21 Oct 2015 07:28:00 GMT": 0, "100000": maxRetryAfter} {
		if got := retryAfter(v); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", v, got, want)
		}
	}
	s := (&Client{RetryBackoff: time.Millisecond}).settings()
	if got := s.waitBefore(1, &HTTPError{Status: 429, RetryAfter: time.Second}); got != time.Second {
		t.Errorf("waitBefore with Retry-After 1s = %v", got)
	}
	if got := s.waitBefore(2, errRetry); got != 2*time.Millisecond {
		t.Errorf("waitBefore without Retry-After = %v", got)
	}
}

func TestUnresolvedHostIsNotRetried(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://huggingface.co/api", Err: &net.OpError{Op: "dial", Net: "tcp",
		Err: &net.DNSError{Err: "no such host", Name: "huggingface.co", IsNotFound: true}}}
	if transient(context.Background(), err) {
		t.Fatal("an unresolvable host name is retried")
	}
	timeout := &url.Error{Op: "Get", URL: "https://huggingface.co/api", Err: &net.DNSError{Err: "i/o timeout", IsTimeout: true}}
	if !transient(context.Background(), timeout) {
		t.Fatal("a DNS timeout is not retried")
	}
}
