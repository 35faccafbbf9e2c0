package hub

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// DefaultEndpoint is the hub used when HF_ENDPOINT is unset.
const DefaultEndpoint = "https://huggingface.co"

// Client downloads repositories from a Hugging Face hub into the cache. The
// zero value is usable: empty fields fall back to the defaults NewClient
// reads from the environment, except Token and Offline, which stay as set.
// A Client is safe for concurrent use once its fields are no longer changed.
type Client struct {
	// Endpoint is the hub's base URL, e.g. "https://huggingface.co".
	Endpoint string
	// Token is sent as "Authorization: Bearer <Token>" to the endpoint's
	// host, never to another host (the CDN a download redirects to).
	Token string
	// CacheDir is the hub cache root (the folder holding models--org--name).
	CacheDir string
	// HTTPClient makes the requests; nil means a client with sane timeouts.
	// Its redirect policy is bypassed: the Client follows redirects itself.
	HTTPClient *http.Client
	// Offline answers from the cache only, never touching the network.
	Offline bool
	// Refresh re-resolves branch and tag names against the hub even when the
	// cache holds a complete snapshot for them. Without it, a revision whose
	// snapshot is complete in the cache is served with no network access;
	// commit hashes never need refreshing.
	Refresh bool
	// Concurrency is how many files download in parallel; 0 means 4.
	Concurrency int
	// MaxRetries is how many times a failed request is retried after
	// connection errors and 5xx/429 answers; 0 means 5, negative means none.
	MaxRetries int
	// RetryBackoff is the first wait between retries, doubled each time up
	// to 30 times its value; 0 means 500ms.
	RetryBackoff time.Duration
	// Timeout is how long a request may wait for an answer, or a download
	// for its next bytes, before it is abandoned and retried (resuming where
	// it stopped); 0 means 30s.
	Timeout time.Duration
	// UserAgent is sent with every request; empty means "govlm-hub/1".
	UserAgent string

	// linkMode forces a fallback of linkBlob in tests; 0 tries symlinks.
	linkMode linkMode
}

// NewClient returns a Client configured from the environment, as
// huggingface_hub reads it: HF_ENDPOINT, HF_TOKEN (else HUGGING_FACE_HUB_TOKEN,
// else the token file at $HF_TOKEN_PATH or $HF_HOME/token), HF_HUB_CACHE (else
// HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub), HF_HUB_OFFLINE ("1", "ON",
// "YES" or "TRUE", any case) and HF_HUB_DOWNLOAD_TIMEOUT (seconds).
func NewClient() *Client {
	return &Client{
		Endpoint: envEndpoint(),
		Token:    envToken(),
		CacheDir: envCacheDir(),
		Offline:  envTrue("HF_HUB_OFFLINE"),
		Timeout:  envSeconds("HF_HUB_DOWNLOAD_TIMEOUT"),
	}
}

// settings returns the effective configuration, defaults filled in.
func (c *Client) settings() settings {
	s := settings{
		endpoint:    strings.TrimRight(c.Endpoint, "/"),
		token:       c.Token,
		cacheDir:    c.CacheDir,
		offline:     c.Offline,
		refresh:     c.Refresh,
		concurrency: c.Concurrency,
		maxRetries:  c.MaxRetries,
		backoff:     c.RetryBackoff,
		timeout:     c.Timeout,
		userAgent:   c.UserAgent,
		httpClient:  c.HTTPClient,
		linkMode:    c.linkMode,
	}
	if s.endpoint == "" {
		s.endpoint = envEndpoint()
	}
	if s.cacheDir == "" {
		s.cacheDir = envCacheDir()
	}
	if s.concurrency <= 0 {
		s.concurrency = 4
	}
	switch {
	case s.maxRetries == 0:
		s.maxRetries = 5
	case s.maxRetries < 0:
		s.maxRetries = 0
	}
	if s.backoff <= 0 {
		s.backoff = 500 * time.Millisecond
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
	}
	if s.userAgent == "" {
		s.userAgent = "govlm-hub/1"
	}
	if s.httpClient == nil {
		s.httpClient = defaultHTTPClient
	}
	// Follow redirects by hand, so that credentials never leave the hub.
	hc := *s.httpClient
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	s.httpClient = &hc
	return s
}

type settings struct {
	endpoint, token, cacheDir string
	offline, refresh          bool
	concurrency, maxRetries   int
	backoff, timeout          time.Duration
	userAgent                 string
	httpClient                *http.Client
	linkMode                  linkMode
}

// defaultHTTPClient has connection and header timeouts but no overall one: a
// large file may take hours, and contexts cancel it.
var defaultHTTPClient = &http.Client{
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   15 * time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   8,
		ForceAttemptHTTP2:     true,
	},
}
