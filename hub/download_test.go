package hub

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSnapshotResumesCutTransfer(t *testing.T) {
	cases := []struct {
		name        string
		ignoreRange bool
		wantRange   string // a Range request the CDN must have seen
	}{
		{name: "range", wantRange: "bytes=100000-"},
		{name: "server ignores range", ignoreRange: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fh := newFakeHub(t)
			files := tinyModel()
			fh.addRepo("org/tiny", commitA, files)
			fh.cutOnce["model.safetensors"] = 100_000
			fh.ignoreRange = tc.ignoreRange
			c := fh.client(t)
			var reports []Progress
			if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, func(p Progress) { reports = append(reports, p) }); err != nil {
				t.Fatal(err)
			}
			checkLayout(t, c.CacheDir, "org/tiny", commitA, files, defaultSelection)
			checkMonotone(t, reports, files, defaultSelection)
			sha := fileByName(files, "model.safetensors").etag()
			var gets int
			var sawRange bool
			for _, line := range fh.logged() {
				if strings.HasPrefix(line, "GET cdn /blobs/"+sha) {
					gets++
					sawRange = sawRange || strings.HasSuffix(line, tc.wantRange) && tc.wantRange != ""
				}
			}
			if gets != 2 {
				t.Errorf("%d GETs of the cut blob, want 2", gets)
			}
			if tc.wantRange != "" && !sawRange {
				t.Errorf("no %q request: %v", tc.wantRange, fh.logged())
			}
		})
	}
}

// TestSnapshotResumesPartialFromEarlierRun starts from a .incomplete file an
// interrupted process left behind.
func TestSnapshotResumesPartialFromEarlierRun(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	c := fh.client(t)
	f := fileByName(files, "model.safetensors")
	blobs := filepath.Join(c.CacheDir, "models--org--tiny", "blobs")
	must(t, os.MkdirAll(blobs, 0o755))
	must(t, os.WriteFile(filepath.Join(blobs, f.etag()+".incomplete"), f.data[:123_456], 0o644))
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"model.safetensors"}, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, []string{"model.safetensors"})
	want := "GET cdn /blobs/" + f.etag() + " bytes=123456-"
	if log := fh.logged(); !strings.Contains(strings.Join(log, "\n"), want) {
		t.Errorf("no resumed request %q in %v", want, log)
	}
}

func TestSnapshotRejectsBadContent(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		corrupt  bool
		extra    bool
		wantWhat string
	}{
		{name: "lfs sha256 mismatch", file: "model.safetensors", corrupt: true, wantWhat: "sha256"},
		{name: "lfs too long", file: "model.safetensors", extra: true, wantWhat: "size"},
		{name: "regular too long", file: "config.json", extra: true, wantWhat: "size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fh := newFakeHub(t)
			files := tinyModel()
			fh.addRepo("org/tiny", commitA, files)
			fh.corrupt[tc.file], fh.extraBytes[tc.file] = tc.corrupt, tc.extra
			c := fh.client(t)
			_, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{tc.file}, nil)
			var ie *IntegrityError
			if !errors.As(err, &ie) || ie.What != tc.wantWhat || ie.File != tc.file {
				t.Fatalf("got %v, want a %s IntegrityError for %s", err, tc.wantWhat, tc.file)
			}
			blobs := filepath.Join(c.CacheDir, "models--org--tiny", "blobs")
			entries, _ := os.ReadDir(blobs)
			for _, e := range entries {
				t.Errorf("left %s in blobs after a rejected download", e.Name())
			}
			if _, err := os.Lstat(filepath.Join(c.CacheDir, "models--org--tiny", "snapshots", commitA, tc.file)); err == nil {
				t.Error("snapshot entry made for a rejected file")
			}
		})
	}
}

func TestSnapshotRetries(t *testing.T) {
	fh := newFakeHub(t)
	fh.addRepo("org/tiny", commitA, tinyModel())
	fh.apiFailures = 2
	c := fh.client(t)
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"*.json"}, nil); err != nil {
		t.Fatalf("two 503s, then success: %v", err)
	}
	fh.apiFailures = 100
	c = fh.client(t)
	c.MaxRetries = 2
	before := fh.count()
	_, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil)
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 503 {
		t.Fatalf("endless 503: %v, want HTTPError 503", err)
	}
	if n := fh.count() - before; n != 3 {
		t.Errorf("%d requests with MaxRetries 2, want 3", n)
	}
}

func TestSnapshotCancel(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	release := make(chan struct{})
	fh.stall["model.safetensors"] = release
	fh.stalled = make(chan string, 1)
	c := fh.client(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-fh.stalled // half the body is sent and the server holds the rest
		cancel()
	}()
	_, err := c.Snapshot(ctx, "org/tiny", "main", []string{"model.safetensors"}, nil)
	close(release)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	f := fileByName(files, "model.safetensors")
	inc := filepath.Join(c.CacheDir, "models--org--tiny", "blobs", f.etag()+".incomplete")
	fi, err := os.Stat(inc)
	if err != nil {
		t.Fatalf("no partial download kept after cancel: %v", err)
	}
	kept := fi.Size()
	if kept > 150_000 {
		t.Fatalf("partial download holds %d bytes, the server sent 150000", kept)
	}
	fh.mu.Lock()
	delete(fh.stall, "model.safetensors")
	fh.mu.Unlock()
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"model.safetensors"}, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, []string{"model.safetensors"})
	if kept > 0 {
		want := fmt.Sprintf("GET cdn /blobs/%s bytes=%d-", f.etag(), kept)
		if log := fh.logged(); !slices.Contains(log, want) {
			t.Errorf("no resumed request %q in %v", want, log)
		}
	}
}

// checkMonotone asserts progress reports never go back and end at the total.
func checkMonotone(t *testing.T, reports []Progress, files []fakeFile, names []string) {
	t.Helper()
	if len(reports) == 0 {
		t.Fatal("no progress reports")
	}
	var want int64
	for _, n := range names {
		want += int64(len(fileByName(files, n).data))
	}
	for i := 1; i < len(reports); i++ {
		a, b := reports[i-1], reports[i]
		if b.Downloaded < a.Downloaded || b.FilesDone < a.FilesDone || b.Total != a.Total {
			t.Fatalf("report %d went back: %+v after %+v", i, b, a)
		}
		if b.Downloaded > b.Total {
			t.Fatalf("report %d beyond total: %+v", i, b)
		}
	}
	last := reports[len(reports)-1]
	if last.Downloaded != want || last.Total != want || last.FilesDone != last.FilesTotal || last.FilesTotal != len(names) {
		t.Errorf("final report %+v, want %d/%d bytes and %d/%d files", last, want, want, len(names), len(names))
	}
}

func TestSnapshotProgress(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	c := fh.client(t)
	var reports []Progress
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, func(p Progress) { reports = append(reports, p) }); err != nil {
		t.Fatal(err)
	}
	checkMonotone(t, reports, files, defaultSelection)
}

// TestConcurrentSnapshots runs two clients on one cache at once: the blob
// locks let each blob be downloaded once.
func TestConcurrentSnapshots(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	cache := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &Client{Endpoint: fh.hub.URL, CacheDir: cache, Refresh: true}
			_, errs[i] = c.Snapshot(context.Background(), "org/tiny", "main", nil, nil)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkLayout(t, cache, "org/tiny", commitA, files, defaultSelection)
	for sha, n := range fh.blobGets {
		if n != 1 {
			t.Errorf("blob %s downloaded %d times", sha, n)
		}
	}
}

func TestLinkFallbacks(t *testing.T) {
	for _, mode := range []linkMode{linkHardlink, linkCopy} {
		fh := newFakeHub(t)
		files := tinyModel()
		fh.addRepo("org/tiny", commitA, files)
		c := fh.client(t)
		c.linkMode = mode
		dir, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range defaultSelection {
			p := filepath.Join(dir, filepath.FromSlash(name))
			fi, err := os.Lstat(p)
			if err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("mode %d: %s is not a regular file: %v", mode, name, err)
			}
			got, _ := os.ReadFile(p)
			if string(got) != string(fileByName(files, name).data) {
				t.Errorf("mode %d: %s content differs", mode, name)
			}
		}
		// A fallback snapshot is still recognised as complete.
		n := fh.count()
		if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil || fh.count() != n {
			t.Errorf("mode %d: second call: %v, %d requests", mode, err, fh.count()-n)
		}
	}
}

// TestSnapshotRenewsExpiredCDNLink: a 403 from the CDN is an expired signed
// link, not a hub permission problem: the client asks the hub for a new one.
func TestSnapshotRenewsExpiredCDNLink(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	fh.expireOnce["model.safetensors"] = true
	c := fh.client(t)
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", []string{"model.safetensors"}, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, []string{"model.safetensors"})
	heads := 0
	for _, line := range fh.logged() {
		if strings.HasPrefix(line, "HEAD hub /org/tiny/resolve/"+commitA+"/model.safetensors") {
			heads++
		}
	}
	if heads != 2 {
		t.Errorf("%d HEAD requests, want 2 (the first link expired): %v", heads, fh.logged())
	}
}

// TestSnapshotStalls: a server that stops sending (or never answers) is
// abandoned after Timeout and the request retried, the download resumed.
func TestSnapshotStalls(t *testing.T) {
	fh := newFakeHub(t)
	files := tinyModel()
	fh.addRepo("org/tiny", commitA, files)
	fh.stall["model.safetensors"] = make(chan struct{}) // never released
	fh.apiStalls = 1
	c := fh.client(t)
	c.Timeout = 100 * time.Millisecond
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil {
		t.Fatal(err)
	}
	checkLayout(t, c.CacheDir, "org/tiny", commitA, files, defaultSelection)
	want := "GET cdn /blobs/" + fileByName(files, "model.safetensors").etag() + " bytes=150000-"
	if !slices.Contains(fh.logged(), want) {
		t.Errorf("no resumed request %q after the stall: %v", want, fh.logged())
	}
}

// TestSnapshotNeedsSizes: like huggingface_hub, a file whose size the hub
// does not announce is refused rather than written without bound.
func TestSnapshotNeedsSizes(t *testing.T) {
	fh := newFakeHub(t)
	fh.addRepo("org/tiny", commitA, tinyModel())
	fh.noLinkSize = true
	_, err := fh.client(t).Snapshot(context.Background(), "org/tiny", "main", nil, nil)
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "X-Linked-Size") {
		t.Fatalf("got %v, want a ResponseError about the missing size", err)
	}
}
