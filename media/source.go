package media

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Defaults for reading images from URLs.
const (
	DefaultHTTPTimeout = 30 * time.Second
	DefaultMaxBytes    = 64 << 20
)

// LoadOptions controls Load: decoding plus how remote inputs are fetched.
type LoadOptions struct {
	DecodeOptions
	// Timeout bounds an HTTP(S) fetch (default DefaultHTTPTimeout).
	Timeout time.Duration
	// MaxBytes bounds the encoded size of any input (default
	// DefaultMaxBytes); a larger input fails with ErrBodyTooLarge.
	MaxBytes int64
	// Client is the HTTP client to use (default http.DefaultClient, with
	// Timeout applied through the context).
	Client *http.Client
}

func (o LoadOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// Load reads and decodes an image named by src: an http:// or https:// URL,
// a data: URL (base64 or percent-encoded), a file:// URL, or a file path.
func Load(ctx context.Context, src string, opt LoadOptions) (*Image, error) {
	data, err := ReadSource(ctx, src, opt)
	if err != nil {
		return nil, err
	}
	return DecodeBytes(data, sourceLabel(src), opt.DecodeOptions)
}

// sourceLabel shortens data: URLs for error messages.
func sourceLabel(src string) string {
	if strings.HasPrefix(src, "data:") && len(src) > 48 {
		return src[:40] + "…"
	}
	return src
}

// ReadSource returns the encoded bytes named by src (see Load). Failures are
// *SourceError.
func ReadSource(ctx context.Context, src string, opt LoadOptions) ([]byte, error) {
	label := sourceLabel(src)
	fail := func(err error) ([]byte, error) { return nil, &SourceError{Source: label, Err: err} }
	limit := opt.maxBytes()
	switch {
	case strings.HasPrefix(src, "data:"):
		data, err := parseDataURL(src)
		if err != nil {
			return fail(err)
		}
		if int64(len(data)) > limit {
			return fail(ErrBodyTooLarge)
		}
		return data, nil
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		data, err := fetchHTTP(ctx, src, opt, limit)
		if err != nil {
			return fail(err)
		}
		return data, nil
	case strings.HasPrefix(src, "file://"):
		u, err := url.Parse(src)
		if err != nil {
			return fail(err)
		}
		src = u.Path
	}
	f, err := os.Open(src)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	return readLimited(f, limit, label)
}

func readLimited(r io.Reader, limit int64, label string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &SourceError{Source: label, Err: err}
	}
	if int64(len(data)) > limit {
		return nil, &SourceError{Source: label, Err: ErrBodyTooLarge}
	}
	return data, nil
}

func fetchHTTP(ctx context.Context, src string, opt LoadOptions, limit int64) ([]byte, error) {
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	client := opt.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %s", resp.Status)
	}
	if resp.ContentLength > limit {
		return nil, ErrBodyTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, ErrBodyTooLarge
	}
	return data, nil
}

// parseDataURL decodes "data:[<mediatype>][;base64],<data>" (RFC 2397).
func parseDataURL(s string) ([]byte, error) {
	meta, payload, ok := strings.Cut(strings.TrimPrefix(s, "data:"), ",")
	if !ok {
		return nil, errors.New("data URL has no comma")
	}
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		payload = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, payload)
		if p, err := url.PathUnescape(payload); err == nil {
			payload = p
		}
		payload = strings.TrimRight(payload, "=")
		if strings.ContainsAny(payload, "-_") {
			return base64.RawURLEncoding.DecodeString(payload)
		}
		return base64.RawStdEncoding.DecodeString(payload)
	}
	p, err := url.PathUnescape(payload)
	if err != nil {
		return nil, fmt.Errorf("data URL: %w", err)
	}
	return []byte(p), nil
}
