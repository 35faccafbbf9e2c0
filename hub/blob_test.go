package hub

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestFetchBlobOddRangeAnswers drives fetchBlob against servers that answer
// a resumed request in unusual but legal or half-broken ways.
func TestFetchBlobOddRangeAnswers(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	sum := sha256.Sum256(data)
	etag := hex.EncodeToString(sum[:])
	cases := []struct {
		name    string
		partial []byte
		first   func(w http.ResponseWriter, r *http.Request) // answer to the first request
		wantErr bool
		ranges  []string // Range headers the server must see, in order
	}{
		{name: "206 at the wrong offset", partial: data[:1000], first: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes 0-%d/%d", len(data)-1, len(data)))
			w.WriteHeader(http.StatusPartialContent)
			w.Write(data)
		}, ranges: []string{"bytes=1000-", ""}},
		{name: "416", partial: data[:1000], first: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
		}, ranges: []string{"bytes=1000-", ""}},
		{name: "503 then fine", partial: nil, first: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}, ranges: []string{"", ""}},
		{name: "partial longer than the file", partial: append(bytes.Clone(data), 'x'), ranges: []string{""}},
		{name: "partial is garbage", partial: bytes.Repeat([]byte{'z'}, 5000), wantErr: true, ranges: []string{"bytes=5000-", ""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			var ranges []string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				ranges = append(ranges, r.Header.Get("Range"))
				n := len(ranges)
				mu.Unlock()
				if n == 1 && tc.first != nil {
					tc.first(w, r)
					return
				}
				http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
			}))
			defer srv.Close()
			c := &Client{Endpoint: "http://hub.invalid", CacheDir: t.TempDir(), RetryBackoff: time.Millisecond}
			s := c.settings()
			rc := newRepoCache(s.cacheDir, "org/m")
			blob := rc.blobPath(etag)
			if tc.partial != nil {
				must(t, os.MkdirAll(filepath.Dir(blob), 0o755))
				must(t, os.WriteFile(blob+".incomplete", tc.partial, 0o644))
			}
			m := fileMeta{file: "w.safetensors", commit: commitA, etag: etag, size: int64(len(data)), location: srv.URL + "/blob"}
			err := s.fetchBlob(context.Background(), rc, m, nil)
			if tc.wantErr {
				var ie *IntegrityError
				if !errors.As(err, &ie) || ie.What != "sha256" {
					t.Fatalf("got %v, want a sha256 IntegrityError", err)
				}
				if _, err := os.Stat(blob + ".incomplete"); !errors.Is(err, os.ErrNotExist) {
					t.Error("the corrupt partial download was kept")
				}
				// The next attempt starts clean and succeeds.
				err = s.fetchBlob(context.Background(), rc, m, nil)
			}
			if err != nil {
				t.Fatalf("fetchBlob: %v (requests: %q)", err, ranges)
			}
			got, err := os.ReadFile(blob)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("blob wrong (err %v); requests: %q", err, ranges)
			}
			if !slices.Equal(ranges, tc.ranges) {
				t.Errorf("Range headers %q, want %q", ranges, tc.ranges)
			}
		})
	}
}

func TestAcquireLockWaitsForHolder(t *testing.T) {
	p := filepath.Join(t.TempDir(), "locks", "x.lock")
	held, err := acquireLock(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*lockPollInterval)
	defer cancel()
	if _, err := acquireLock(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second holder while held: %v, want DeadlineExceeded", err)
	}
	got := make(chan error, 1)
	go func() {
		l, err := acquireLock(context.Background(), p)
		if err == nil {
			err = l.release()
		}
		got <- err
	}()
	must(t, held.release())
	if err := <-got; err != nil {
		t.Fatalf("after release: %v", err)
	}
}
