package hub

import (
	"context"
	"testing"
)

// BenchmarkSnapshotDownload measures a cold download of one 32 MiB LFS file
// over loopback through the hub redirect and the CDN, SHA-256 check and
// fsync included.
func BenchmarkSnapshotDownload(b *testing.B) {
	const size = 32 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 31)
	}
	fh := newFakeHub(b)
	fh.addRepo("org/big", commitA, []fakeFile{{name: "model.safetensors", data: data, lfs: true}})
	b.SetBytes(size)
	for b.Loop() {
		c := &Client{Endpoint: fh.hub.URL, CacheDir: b.TempDir()}
		if _, err := c.Snapshot(context.Background(), "org/big", "main", nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotCached measures the no-network path: a complete snapshot
// of the tiny model found through refs, the listing and the symlinks.
func BenchmarkSnapshotCached(b *testing.B) {
	fh := newFakeHub(b)
	fh.addRepo("org/tiny", commitA, tinyModel())
	c := &Client{Endpoint: fh.hub.URL, CacheDir: b.TempDir()}
	if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil {
		b.Fatal(err)
	}
	n := fh.count()
	for b.Loop() {
		if _, err := c.Snapshot(context.Background(), "org/tiny", "main", nil, nil); err != nil {
			b.Fatal(err)
		}
	}
	if fh.count() != n {
		b.Fatal("the cached path used the network")
	}
}
